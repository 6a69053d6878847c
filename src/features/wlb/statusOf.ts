// Builds the status records of spec §3.7 from the engine's live state: health snapshots, the
// classifier's counters and flows, and conntrack.
import type { ConntrackEntry } from '../../platform/conntrack.js';
import type { WlbCounterRow, WlbFlow } from '../../native/wlbDataplane.js';
import { WLB_ENTRY } from '../../native/wlbDataplane.js';
import type { HealthState, InterfaceHealth } from './health.js';
import type { WlbConfig, WlbRule } from './model.js';
import { MARK_BASE, slotInfo } from './slots.js';
import type {
  WlbChainStatus,
  WlbConnection,
  WlbConnections,
  WlbInterfaceStatus,
  WlbRuleEntry,
  WlbRuleStatus,
  WlbRulesStatus,
  WlbStatus,
} from './status.js';

const seconds = (sinceMono: number | null, nowMono: number) =>
  sinceMono === null ? null : Math.max(0, Math.floor((nowMono - sinceMono) / 1000));

export function wlbStatusOf(
  cfg: WlbConfig,
  health: readonly InterfaceHealth[],
  slots: ReadonlyMap<string, number>,
  addresses: ReadonlyMap<string, string>,
  nowMono: number,
  leases: ReadonlyMap<string, string | null> = new Map(),
): WlbStatus {
  const interfaces = cfg.interfaces.map((i): WlbInterfaceStatus => {
    const h = health.find((x) => x.interface === i.interface);
    const slot = slotInfo(slots.get(i.interface) ?? 0);
    // A dhcp nexthop is the lease's router, null while none is known (W-44).
    const nexthop = i.nexthop === 'dhcp' ? (leases.get(i.interface) ?? null) : i.nexthop;
    return {
      interface: i.interface,
      status: h?.state === 'FAILED' ? 'failed' : 'active',
      lastStatusChange: h?.lastStatusChangeWall ? new Date(h.lastStatusChangeWall).toISOString() : null,
      nexthop,
      nexthopSource: i.nexthop === 'dhcp' ? 'dhcp' : 'static',
      address: addresses.get(i.interface) ?? null,
      routeTable: slot.table,
      mark: `0x${slot.mark.toString(16)}`,
      failureCount: i.failureCount,
      successCount: i.successCount,
      consecutiveFailures: h?.consecutiveFailures ?? 0,
      consecutiveSuccesses: h?.consecutiveSuccesses ?? 0,
      lastSuccessSeconds: seconds(h?.lastSuccessMono ?? null, nowMono),
      lastFailureSeconds: seconds(h?.lastFailureMono ?? null, nowMono),
      tests: i.tests.map((t) => {
        const s = h?.tests.find((x) => x.test === t.test);
        return {
          test: t.test,
          type: t.type,
          target: t.type === 'user-defined' ? null : (t.target ?? nexthop),
          script: t.type === 'user-defined' ? t.scriptName : null,
          result: s?.result ?? 'none',
          rttMs: s?.rttMs ?? null,
        };
      }),
    };
  });
  return { configured: true, interfaces };
}

function sortConnections(rows: WlbConnection[]): WlbConnection[] {
  return rows.sort(
    (a, b) =>
      a.protocol.localeCompare(b.protocol) || a.source.localeCompare(b.source, 'en', { numeric: true }),
  );
}

const PROTOCOLS: Record<number, string> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  47: 'gre',
  50: 'esp',
  132: 'sctp',
};

/**
 * Connections with a WLB assignment: from conntrack (their marks), or — without source NAT, where
 * WLB needs no connection tracking — from the classifier's flow table, without counters.
 */
export function wlbConnectionsOf(
  entries: readonly ConntrackEntry[] | null,
  flows: readonly WlbFlow[],
  slots: ReadonlyMap<string, number>,
): WlbConnections {
  const bySlot = new Map([...slots].map(([name, s]) => [s, name]));
  const ruleOf = new Map(
    flows.map((f) => [
      `${f.protocol} ${f.source} ${f.sourcePort} ${f.destination} ${f.destinationPort}`,
      f.rule,
    ]),
  );
  if (entries === null) {
    const rows = flows
      .filter((f) => !f.perPacket && bySlot.has(f.slot))
      .map((f): WlbConnection => ({
        protocol: PROTOCOLS[f.protocol] ?? String(f.protocol),
        state: null,
        source: f.source,
        sourcePort: f.protocol === 6 || f.protocol === 17 ? f.sourcePort : null,
        destination: f.destination,
        destinationPort: f.protocol === 6 || f.protocol === 17 ? f.destinationPort : null,
        packets: 0,
        bytes: 0,
        interface: bySlot.get(f.slot) ?? null,
        rule: f.rule || null,
      }));
    return { configured: true, connections: sortConnections(rows) };
  }
  const connections = entries
    .filter((e) => (e.mark & 0xff) >= MARK_BASE && bySlot.has((e.mark & 0xff) - MARK_BASE))
    .map((e): WlbConnection => {
      const key = `${e.protocolNumber} ${e.source} ${e.sourcePort ?? 0} ${e.destination} ${e.destinationPort ?? 0}`;
      return {
        protocol:
          e.protocol === 'unknown' ? String(e.protocolNumber) : (PROTOCOLS[e.protocolNumber] ?? e.protocol),
        state: e.state,
        source: e.source,
        sourcePort: e.sourcePort,
        destination: e.destination,
        destinationPort: e.destinationPort,
        packets: e.packets,
        bytes: e.bytes,
        interface: bySlot.get((e.mark & 0xff) - MARK_BASE) ?? null,
        rule: ruleOf.get(key) ?? null,
      };
    });
  return { configured: true, connections: sortConnections(connections) };
}

function spec(r: WlbRule, side: 'source' | 'destination'): string | null {
  return r[side].addressText;
}

/** The rows a rule contributes to the status listing, in order (spec §3.4). */
function entriesOf(
  r: WlbRule,
  active: (ifname: string) => boolean,
  count: (entry: number) => { packets: number; bytes: number },
  slots: ReadonlyMap<string, number>,
  restored: { packets: number; bytes: number },
): WlbRuleEntry[] {
  if (r.exclude)
    return [{ target: 'ACCEPT', interface: null, probability: null, ...count(WLB_ENTRY.exclude) }];
  const members = (r.failover ? r.failoverOrder : r.pool).filter(
    (m) => active(m.interface) && slots.has(m.interface),
  );
  if (!members.length) return [];
  const used = r.failover ? members.slice(0, 1) : members;
  let remaining = used.reduce((s, m) => s + m.weight, 0);
  const rows = used.map((m, i): WlbRuleEntry => {
    const p = i === used.length - 1 ? null : m.weight / remaining;
    remaining -= m.weight;
    return {
      target: `ISP_${m.interface}`,
      interface: m.interface,
      probability: p,
      ...count(slots.get(m.interface)!),
    };
  });
  if (!r.perPacket) rows.push({ target: 'CONNMARK', interface: null, probability: null, ...restored });
  return rows;
}

/** Counters of one classifier hook: every packet it examined, and its (rule, entry) rows. */
export interface ChainCounters {
  totals: { packets: number; bytes: number };
  rows: readonly WlbCounterRow[];
}

function chainStatusOf(
  cfg: WlbConfig,
  { totals, rows: counters }: ChainCounters,
  slots: ReadonlyMap<string, number>,
  state: (ifname: string) => HealthState | undefined,
): WlbChainStatus {
  // Later packets of assigned flows are counted per uplink: each uplink's count goes to the first
  // flow-mode rule whose pool holds it.
  const claimed = new Set<number>();
  const restoredBy = (r: WlbRule) => {
    const sum = { packets: 0, bytes: 0 };
    if (r.exclude || r.perPacket) return sum;
    for (const m of r.pool) {
      const s = slots.get(m.interface);
      if (s === undefined || claimed.has(s)) continue;
      claimed.add(s);
      const row = counters.find((c) => c.rule === 0 && c.entry === WLB_ENTRY.restoreSlot + s);
      sum.packets += row?.packets ?? 0;
      sum.bytes += row?.bytes ?? 0;
    }
    return sum;
  };
  const rules = cfg.rules.map((r): WlbRuleStatus => {
    const count = (entry: number) => {
      const row = counters.find((c) => c.rule === r.number && c.entry === entry);
      return { packets: row?.packets ?? 0, bytes: row?.bytes ?? 0 };
    };
    return {
      rule: r.number,
      exclude: r.exclude,
      failover: r.failover,
      perPacket: r.perPacket,
      protocol: `${r.protocol.negate ? '!' : ''}${r.protocol.name}`,
      inboundInterface: r.inboundInterface,
      source: spec(r, 'source'),
      destination: spec(r, 'destination'),
      sourcePorts: r.source.portText,
      destinationPorts: r.destination.portText,
      limit: r.limit
        ? {
            rate: r.limit.rate,
            period: r.limit.period,
            burst: r.limit.burst,
            threshold: r.limit.threshold,
            conforming: count(WLB_ENTRY.limitConform).packets,
            excess: count(WLB_ENTRY.limitExcess).packets,
          }
        : null,
      entries: entriesOf(r, (n) => state(n) !== 'FAILED', count, slots, restoredBy(r)),
    };
  });
  return { ...totals, rules };
}

/** Forwarded traffic (the tc classifier) and, with enable-local-traffic, router traffic (nftables). */
export function wlbRuleStatusOf(
  cfg: WlbConfig,
  forward: ChainCounters,
  local: ChainCounters | null,
  slots: ReadonlyMap<string, number>,
  state: (ifname: string) => HealthState | undefined,
): WlbRulesStatus {
  return {
    configured: true,
    forward: chainStatusOf(cfg, forward, slots, state),
    local: local && chainStatusOf(cfg, local, slots, state),
  };
}
