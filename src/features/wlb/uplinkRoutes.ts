// Each WAN interface's private routing table and the policy rule that sends its mark there (W-42,
// W-43): the interface's connected prefixes plus a default route via its nexthop. Balanced packets
// and health probes use only this table, never the main one (W-12, W-35).
import * as ip from '../../platform/ip.js';
import {
  fwmarkRuleDelete,
  fwmarkRuleSet,
  policyRules,
  tableFlush,
  tableSet,
  type TableRoute,
} from '../../platform/policyRouting.js';
import { MAX_SLOTS, RULE_PRIORITY_BASE, type Slot, TABLE_BASE } from './slots.js';

export interface Uplink {
  ifname: string;
  slot: Slot;
  /** The nexthop in use; null while a `dhcp` nexthop is unknown (the table then has no default). */
  nexthop: string | null;
}

/** The interface's primary IPv4 address (first non-secondary, W-47/WA-29), if any. */
export function primaryIpv4(addrs: readonly ip.AddrInfo[], ifname: string): string | undefined {
  return addrs.find((a) => a.ifname === ifname)?.addr_info.find((i) => i.family === 'inet')?.local;
}

/** Installs the tables and rules of `uplinks`; returns per interface the error it met, if any. */
export async function installUplinks(uplinks: readonly Uplink[]): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  const main = (await ip.routes()).filter((r) => r.table === undefined || r.table === 'main');
  for (const u of uplinks) {
    const connected: TableRoute[] = main
      .filter((r) => r.dev === u.ifname && r.protocol === 'kernel' && r.dst !== 'default')
      .map((r) => ({ dst: r.dst, dev: u.ifname, scope: 'link' }));
    const routes = [...connected];
    if (u.nexthop) routes.push({ dst: 'default', via: u.nexthop, dev: u.ifname });
    try {
      await tableSet(u.slot.table, routes);
    } catch (e) {
      // W-45: a nexthop off the link (or a missing interface) is logged; probes fail until it works.
      errors.set(u.ifname, e instanceof Error ? e.message.trim() : String(e));
      await tableSet(u.slot.table, connected).catch(() => undefined);
    }
    await fwmarkRuleSet(u.slot.priority, u.slot.mark, 0xff, u.slot.table);
  }
  return errors;
}

/** Removes the tables and rules of every slot not in `keep` (only those that exist). */
export async function removeUplinks(keep: ReadonlySet<number>): Promise<void> {
  const stale = (s: number) => s >= 0 && s < MAX_SLOTS && !keep.has(s);
  for (const r of await policyRules()) {
    const s = r.priority - RULE_PRIORITY_BASE;
    if (stale(s)) await fwmarkRuleDelete(r.priority);
  }
  const tables = new Set((await ip.routes()).map((r) => Number(r.table)));
  for (const t of tables) if (stale(t - TABLE_BASE)) await tableFlush(t);
}
