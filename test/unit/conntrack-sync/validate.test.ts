import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../../src/config/tree.js';
import { validateConntrackSync } from '../../../src/features/conntrack-sync/validate.js';
import { buildRegistry } from '../../../src/daemon/features.js';
import { featureRules } from '../support/featureRules.js';

const registry = buildRegistry();
const facts = { interfaces: new Set(['eth0', 'eth1', 'eth2']) };
const CS = 'service conntrack-sync';
const VRRP = [
  'interfaces ethernet eth0 address 192.0.2.2/24',
  'interfaces ethernet eth0 vrrp vrrp-group 10 virtual-address 192.0.2.1/24',
  'interfaces ethernet eth0 vrrp vrrp-group 10 sync-group LAB',
  'interfaces ethernet eth2 address 198.51.100.2/30',
];
const GOOD = [...VRRP, `${CS} interface eth2`, `${CS} failover-mechanism vrrp sync-group LAB`];

const rules = featureRules(registry, validateConntrackSync, facts);
const tree = rules.tree;
const problems = rules.problems;

describe('conntrack-sync commit rules (spec §2.4)', () => {
  it('accepts the guide’s VRRP example with defaults', () => {
    expect(problems(...GOOD)).toEqual([]);
    expect(validateConntrackSync(withDefaults(tree(...GOOD), registry), facts)).toEqual([]);
    expect(withDefaults(tree(...GOOD), registry)['service']).toMatchObject({
      'conntrack-sync': { 'mcast-group': '225.0.0.50', 'sync-queue-size': 1, 'event-listen-queue-size': 8 },
    });
  });

  it('refuses what CV-1…CV-12 name, with the path', () => {
    expect(problems(...VRRP, `${CS} failover-mechanism vrrp sync-group LAB`)).toEqual([
      'service conntrack-sync: conntrack-sync error: interface not defined',
    ]);
    expect(problems(...VRRP, `${CS} interface eth9`, `${CS} failover-mechanism vrrp sync-group LAB`)).toEqual(
      ['service conntrack-sync interface: conntrack-sync error: interface does not exist on system'],
    );
    expect(problems(...VRRP, `${CS} interface eth1`, `${CS} failover-mechanism vrrp sync-group LAB`)).toEqual(
      ['service conntrack-sync interface: conntrack-sync error: IP address not configured on interface'],
    );
    expect(problems(...VRRP, `${CS} interface eth2`)).toEqual([
      'service conntrack-sync: conntrack-sync error: failover mechanism not defined',
    ]);
    expect(problems(...GOOD, `${CS} failover-mechanism cluster group G`)).toEqual([
      "service conntrack-sync failover-mechanism: conntrack-sync error: can't set both vrrp and cluster as failover mechanism",
    ]);
    expect(
      problems(...VRRP, `${CS} interface eth2`, `${CS} failover-mechanism vrrp sync-group OTHER`),
    ).toEqual([
      'service conntrack-sync failover-mechanism vrrp sync-group: conntrack-sync error: vrrp sync-group does not exist',
    ]);
    expect(problems(...VRRP, `${CS} interface eth2`, `${CS} failover-mechanism cluster group G`)).toEqual([
      'service conntrack-sync failover-mechanism cluster group: conntrack-sync error: cluster group does not exist',
    ]);
    expect(problems(...GOOD, `${CS} expect-sync all`, `${CS} expect-sync ftp`)).toEqual([
      'service conntrack-sync expect-sync: expect-sync error: Cannot configure all with other protocol(s)',
    ]);
    expect(problems(...GOOD, `${CS} mcast-group 192.0.2.9`)).toEqual([
      'service conntrack-sync mcast-group: IP address is not a multicast group',
    ]);
    expect(() => tree(...GOOD, `${CS} accept-protocol tcp,gre`)).toThrow(
      /Allowed values : tcp udp icmp sctp/,
    );
    expect(() => tree(...GOOD, `${CS} expect-sync tftp`)).toThrow(/expect-sync tftp/);
  });

  it('warns when the sync link is part of the failover group (CV-15)', () => {
    expect(problems(...VRRP, `${CS} interface eth0`, `${CS} failover-mechanism vrrp sync-group LAB`)).toEqual(
      [
        'warning: service conntrack-sync interface: the conntrack-sync link should not be part of the failover group',
      ],
    );
  });

  it('refuses WAN load balancing’s flush-connections alongside (CV-13)', () => {
    const lb = 'load-balancing wan';
    expect(
      problems(
        ...GOOD,
        `${lb} interface-health eth1 nexthop 198.51.100.1`,
        `${lb} rule 10 inbound-interface eth0`,
        `${lb} rule 10 interface eth1`,
        `${lb} flush-connections`,
      ),
    ).toContain(
      'service conntrack-sync: conntrack-sync cannot be used with load-balancing wan flush-connections',
    );
  });
});
