// Router-originated traffic under `enable-local-traffic` (spec §4.12): the same rules, evaluated
// by nftables in a route-type output chain. The tc classifier only sees packets that arrive on an
// interface, and only a mark set at the output hook makes the kernel route a local packet again
// (through the uplink's table), after which the uplink's SNAT gives it that uplink's address.
// Counters are named objects so a health change can rewrite the chain without resetting them.
import { WLB_ENTRY } from '../../native/wlbDataplane.js';
import type { WlbCounterRow } from '../../native/wlbDataplane.js';
import { numberToIpv4, type AddressRange, type PortSet } from './grammar.js';
import type { WlbConfig, WlbMember, WlbRule } from './model.js';
import { slotInfo } from './slots.js';

export const LOCAL_CHAIN = 'output';
export const LOCAL_TOTAL = 'l_total';
const ICMP = 1;

/** Counter names carry the (rule, entry) of the classifier's counter rows: `l_<rule>_<entry hex>`. */
const counterName = (rule: number, entry: number) => `l_${rule}_${entry.toString(16)}`;
const memberChain = (rule: number, slot: number) => `l_r${rule}_s${slot}`;
const limitName = (rule: number) => `l_limit_${rule}`;

export function localCounterRow(name: string, packets: number, bytes: number): WlbCounterRow | null {
  const m = /^l_(\d+)_([0-9a-f]+)$/.exec(name);
  return m ? { rule: Number(m[1]), entry: parseInt(m[2]!, 16), packets, bytes } : null;
}

function address(field: string, a: AddressRange | null): string[] {
  if (!a) return [];
  const value = a.from === a.to ? numberToIpv4(a.from) : `${numberToIpv4(a.from)}-${numberToIpv4(a.to)}`;
  return [`${field} ${a.negate ? '!= ' : ''}${value}`];
}

function ports(field: string, p: PortSet | null): string[] {
  if (!p) return [];
  const items = p.ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
  return [`${field} ${p.negate ? '!= ' : ''}{ ${items.join(', ')} }`];
}

/**
 * The rule's criteria as nftables matches (W-6 (a)). For router traffic the inbound interface of
 * a balancing rule reads "the main-table route does not leave via it"; an exclude rule ignores it
 * (W-66).
 */
function criteria(r: WlbRule): string[] {
  const inbound =
    !r.exclude && r.inbound
      ? [`oifname != ${JSON.stringify(r.inbound.name + (r.inbound.wildcard ? '*' : ''))}`]
      : [];
  const protocol =
    r.protocol.number === null ? [] : [`meta l4proto ${r.protocol.negate ? '!= ' : ''}${r.protocol.number}`];
  return [
    ...protocol,
    ...address('ip saddr', r.source.address),
    ...address('ip daddr', r.destination.address),
    ...ports('th sport', r.source.ports),
    ...ports('th dport', r.destination.ports),
    ...inbound,
  ];
}

const usable = (r: WlbRule, slots: ReadonlyMap<string, number>) =>
  (r.failover ? r.failoverOrder : r.pool).filter((m) => slots.has(m.interface));

/**
 * What does not depend on interface health: counters, the rules' token buckets and one chain per
 * (rule, member) that counts the decision and sets the uplink's mark on the packet and on the
 * connection, whose later packets are restored from it (W-19). A per-packet rule balances router
 * connections per connection too: the first packet fixes the SNAT address (W-22), and a later
 * packet sent out another uplink would leave with a foreign source.
 */
export function localTrafficObjects(cfg: WlbConfig, slots: ReadonlyMap<string, number>): string[] {
  const lines = [`  counter ${LOCAL_TOTAL} { }`];
  for (const s of new Set(slots.values()))
    lines.push(`  counter ${counterName(0, WLB_ENTRY.restoreSlot + s)} { }`);
  for (const r of cfg.rules) {
    if (r.exclude) {
      lines.push(`  counter ${counterName(r.number, WLB_ENTRY.exclude)} { }`);
      continue;
    }
    if (r.limit) {
      const l = r.limit;
      lines.push(
        `  counter ${counterName(r.number, WLB_ENTRY.limitConform)} { }`,
        `  counter ${counterName(r.number, WLB_ENTRY.limitExcess)} { }`,
        `  limit ${limitName(r.number)} { rate ${l.threshold === 'above' ? 'over ' : ''}${l.rate}/${l.period} burst ${l.burst} packets }`,
      );
    }
    for (const m of usable(r, slots)) {
      const slot = slots.get(m.interface)!;
      const mark = `0x${slotInfo(slot).mark.toString(16)}`;
      lines.push(
        `  counter ${counterName(r.number, slot)} { }`,
        `  chain ${memberChain(r.number, slot)} {`,
        `    counter name ${JSON.stringify(counterName(r.number, slot))}`,
        `    meta mark set meta mark or ${mark}`,
        `    ct mark set ct mark or ${mark}`,
        '    accept',
        '  }',
      );
    }
  }
  return lines;
}

/** The decision of a rule among its ACTIVE members: one jump, or a weighted draw (W-13, W-16). */
function decision(r: WlbRule, members: readonly WlbMember[], slots: ReadonlyMap<string, number>): string {
  if (r.failover || members.length === 1)
    return `jump ${memberChain(r.number, slots.get(members[0]!.interface)!)}`;
  let from = 0;
  const arms = members.map((m) => {
    const to = from + m.weight - 1;
    const arm = `${from === to ? from : `${from}-${to}`} : jump ${memberChain(r.number, slots.get(m.interface)!)}`;
    from = to + 1;
    return arm;
  });
  return `numgen random mod ${from} vmap { ${arms.join(', ')} }`;
}

/** The output chain's rules for the current health: FAILED members leave the draws (W-7, W-13). */
export function localTrafficRules(
  cfg: WlbConfig,
  slots: ReadonlyMap<string, number>,
  active: (ifname: string) => boolean,
): string[] {
  const lines = [
    `    counter name ${JSON.stringify(LOCAL_TOTAL)}`,
    // Probes carry their uplink's mark already (W-36); loopback and ICMP stay put (W-66); replies
    // to connections opened from outside are never steered (W-67).
    '    meta mark and 0xff != 0 return',
    '    oifname "lo" return',
    `    meta l4proto ${ICMP} return`,
    '    ct direction reply return',
  ];
  for (const s of new Set(slots.values())) {
    const mark = `0x${slotInfo(s).mark.toString(16)}`;
    lines.push(
      `    ct mark and 0xff ${mark} meta mark set meta mark or ${mark} counter name ${JSON.stringify(counterName(0, WLB_ENTRY.restoreSlot + s))} return`,
    );
  }
  for (const r of cfg.rules) {
    const match = criteria(r);
    if (r.exclude) {
      lines.push(
        `    ${[...match, `counter name ${JSON.stringify(counterName(r.number, WLB_ENTRY.exclude))}`].join(' ')} return`,
      );
      continue;
    }
    const members = usable(r, slots).filter((m) => active(m.interface));
    if (!members.length) continue;
    // A decision is made on a connection's first packet only; later ones were restored above.
    const when = [...match, 'ct state new'];
    if (r.limit) {
      const admitted =
        r.limit.threshold === 'above'
          ? counterName(r.number, WLB_ENTRY.limitExcess)
          : counterName(r.number, WLB_ENTRY.limitConform);
      const refused =
        r.limit.threshold === 'above'
          ? counterName(r.number, WLB_ENTRY.limitConform)
          : counterName(r.number, WLB_ENTRY.limitExcess);
      lines.push(
        `    ${[...when, `limit name ${JSON.stringify(limitName(r.number))}`, `counter name ${JSON.stringify(admitted)}`, decision(r, members, slots)].join(' ')}`,
        // Reached only by the packets the limit refused: they go on to the next rule (W-58).
        `    ${[...when, `counter name ${JSON.stringify(refused)}`].join(' ')}`,
      );
    } else lines.push(`    ${[...when, decision(r, members, slots)].join(' ')}`);
  }
  return lines;
}

export const LOCAL_CHAIN_HEAD = 'type route hook output priority mangle; policy accept;';
