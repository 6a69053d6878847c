// The commit-time guard (spec CS-54). VRRP's engine thread installs the virtual addresses the
// moment it becomes master, a little before the commit of the peers' connections has run; a
// packet of a synced flow arriving in between would create a wrong entry — a new NAT binding, or
// local delivery of a reply addressed to the SNAT VIP, answered by a RST. So while this router
// is standby, and until its commit has run, packets on the failover group's interfaces that would
// create a connection and are not a TCP SYN, or that conntrack finds invalid (out of the window of
// an entry left from this router's own time as master), are dropped silently when they are
// forwarded or addressed to a VIP. Multicast (VRRP, sync, heartbeats), broadcast and traffic to the router's
// own addresses pass.
import {
  nftApply,
  nftCounters,
  nftDeleteTable,
  nftTableExists,
  replaceTableScript,
} from '../../platform/nftables.js';

export const GUARD_TABLE = 'tandem_ctsync_guard';

export interface GuardScope {
  interfaces: string[];
  vips: string[];
}

export function guardScript(scope: GuardScope): string {
  const set = (items: string[]) => `{ ${items.join(', ')} }`;
  return replaceTableScript('ip', GUARD_TABLE, [
    '  counter dropped { }',
    '  chain prerouting {',
    // After conntrack (-200): its verdict on the packet is known.
    '    type filter hook prerouting priority -150; policy accept;',
    `    iifname != ${set(scope.interfaces.map((i) => JSON.stringify(i)))} return`,
    // Invalid: a packet out of the window of a leftover entry would skip NAT (a RST from here).
    '    ct state != { new, invalid } return',
    '    ct state new tcp flags & (fin | syn | rst | ack) == syn return',
    '    fib daddr type unicast counter name "dropped" drop',
    ...(scope.vips.length ? [`    ip daddr ${set(scope.vips)} counter name "dropped" drop`] : []),
    '  }',
  ]);
}

export const armGuard = (scope: GuardScope) => nftApply(guardScript(scope));
export const disarmGuard = () => nftDeleteTable('ip', GUARD_TABLE);

/** Whether the guard is in place, and the packets it has dropped since it was armed. */
export async function guardState(): Promise<{ armed: boolean; dropped: number }> {
  if (!(await nftTableExists('ip', GUARD_TABLE))) return { armed: false, dropped: 0 };
  return { armed: true, dropped: (await nftCounters('ip', GUARD_TABLE)).get('dropped')?.packets ?? 0 };
}
