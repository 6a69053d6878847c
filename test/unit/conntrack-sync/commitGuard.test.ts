// The commit-time guard's nftables table (CS-54).
import { describe, expect, it } from 'vitest';
import { guardScript } from '../../../src/features/conntrack-sync/commitGuard.js';

describe('commit guard', () => {
  it("drops, on the group's interfaces, new non-SYN and invalid packets that are forwarded or addressed to a VIP", () => {
    const rules = guardScript({ interfaces: ['eth0', 'eth1'], vips: ['192.0.2.1', '198.51.100.4'] })
      .split('\n')
      .map((l) => l.trim());
    const chain = rules.slice(rules.indexOf('type filter hook prerouting priority -150; policy accept;') + 1);
    expect(chain.slice(0, 6)).toEqual([
      'iifname != { "eth0", "eth1" } return',
      'ct state != { new, invalid } return',
      'ct state new tcp flags & (fin | syn | rst | ack) == syn return',
      'fib daddr type unicast counter name "dropped" drop',
      'ip daddr { 192.0.2.1, 198.51.100.4 } counter name "dropped" drop',
      '}',
    ]);
  });

  it('replaces any previous table in the same transaction', () => {
    expect(
      guardScript({ interfaces: ['eth1'], vips: [] })
        .split('\n')
        .slice(0, 2),
    ).toEqual(['table ip tandem_ctsync_guard', 'delete table ip tandem_ctsync_guard']);
  });
});
