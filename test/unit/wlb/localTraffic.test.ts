// Router-originated traffic (spec §4.12): the rules compiled into the nftables output chain.
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { withDefaults } from '../../../src/config/tree.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import {
  localCounterRow,
  localTrafficObjects,
  localTrafficRules,
} from '../../../src/features/wlb/localTraffic.js';
import { type WlbConfig, wlbConfigOf } from '../../../src/features/wlb/model.js';
import { registerWlbSchema } from '../../../src/features/wlb/schema.js';
import { validateWlb } from '../../../src/features/wlb/validate.js';
import { WLB_ENTRY } from '../../../src/native/wlbDataplane.js';
import { featureRules } from '../support/featureRules.js';

const registry = new SchemaRegistry();
registerInterfacesSchema(registry);
registerWlbSchema(registry);
const { tree } = featureRules(registry, validateWlb, { interfaces: new Set() });
const LB = 'load-balancing wan';
const model = (...lines: string[]): WlbConfig => wlbConfigOf(withDefaults(tree(...lines), registry))!;
const BASE = [
  `${LB} enable-local-traffic`,
  `${LB} interface-health eth0 nexthop 192.0.2.1`,
  `${LB} interface-health eth1 nexthop 198.51.100.1`,
];
const slots = new Map([
  ['eth0', 0],
  ['eth1', 1],
]);
const all = () => true;
/** The decision rules (after the fixed head of skips and per-uplink restores). */
const decisions = (cfg: WlbConfig, active: (n: string) => boolean = all) =>
  localTrafficRules(cfg, slots, active)
    .slice(5 + slots.size)
    .map((l) => l.trim());

describe('enable-local-traffic output chain', () => {
  it('skips probes, loopback, ICMP and replies, and restores assigned connections first', () => {
    const head = localTrafficRules(model(...BASE), slots, all).map((l) => l.trim());
    expect(head.slice(1, 5)).toEqual([
      'meta mark and 0xff != 0 return',
      'oifname "lo" return',
      'meta l4proto 1 return',
      'ct direction reply return',
    ]);
    expect(head[6]).toBe(
      'ct mark and 0xff 0xca meta mark set meta mark or 0xca counter name "l_0_201" return',
    );
  });

  it('draws over the ACTIVE members by weight on a new connection, with the criteria in nftables terms', () => {
    const cfg = model(
      ...BASE,
      `${LB} rule 10 inbound-interface eth+`,
      `${LB} rule 10 protocol tcp`,
      `${LB} rule 10 destination address !203.0.113.0/24`,
      `${LB} rule 10 destination port 80,443,8000-8080`,
      `${LB} rule 10 source address 198.51.100.2-198.51.100.9`,
      `${LB} rule 10 interface eth0 weight 2`,
      `${LB} rule 10 interface eth1`,
    );
    expect(decisions(cfg)).toEqual([
      'meta l4proto 6 ip saddr 198.51.100.2-198.51.100.9 ip daddr != 203.0.113.0-203.0.113.255 ' +
        'th dport { 80, 443, 8000-8080 } oifname != "eth*" ct state new ' +
        'numgen random mod 3 vmap { 0-1 : jump l_r10_s0, 2 : jump l_r10_s1 }',
    ]);
    // A FAILED member leaves the draw; with none ACTIVE the rule contributes nothing (W-7).
    expect(decisions(cfg, (n) => n !== 'eth0')).toEqual([
      expect.stringMatching(/ct state new jump l_r10_s1$/),
    ]);
    expect(decisions(cfg, () => false)).toEqual([]);
    const objects = localTrafficObjects(cfg, slots).map((l) => l.trim());
    expect(objects).toContain('ct mark set ct mark or 0xc9');
    expect(objects).toContain('counter name "l_10_0"');
  });

  it('ignores the inbound interface of an exclude rule, and fails over to the heaviest ACTIVE member', () => {
    const cfg = model(
      ...BASE,
      `${LB} rule 5 exclude`,
      `${LB} rule 5 inbound-interface eth3`,
      `${LB} rule 5 destination address 10.0.0.0/8`,
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 failover`,
      `${LB} rule 10 interface eth0 weight 2`,
      `${LB} rule 10 interface eth1 weight 9`,
      `${LB} rule 20 inbound-interface eth3`,
      `${LB} rule 20 per-packet-balancing`,
      `${LB} rule 20 interface eth0`,
    );
    expect(decisions(cfg)).toEqual([
      'ip daddr 10.0.0.0-10.255.255.255 counter name "l_5_101" return',
      'oifname != "eth3" ct state new jump l_r10_s1',
      'oifname != "eth3" ct state new jump l_r20_s0',
    ]);
    expect(decisions(cfg, (n) => n !== 'eth1')[1]).toBe('oifname != "eth3" ct state new jump l_r10_s0');
    // Router connections under a per-packet rule are balanced per connection (their SNAT address
    // is fixed by the first packet): the decision is written to the connection.
    const objects = localTrafficObjects(cfg, slots).join('\n');
    expect(objects).toContain(
      'chain l_r20_s0 {\n    counter name "l_20_0"\n    meta mark set meta mark or 0xc9\n    ct mark set ct mark or 0xc9\n    accept',
    );
  });

  it('admits the packets a limit passes and counts the ones it refuses, which go on to the next rule', () => {
    const cfg = model(
      ...BASE,
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 limit rate 100`,
      `${LB} rule 10 limit threshold above`,
      `${LB} rule 10 interface eth0`,
    );
    expect(localTrafficObjects(cfg, slots)).toContain(
      '  limit l_limit_10 { rate over 100/second burst 5 packets }',
    );
    expect(decisions(cfg)).toEqual([
      'oifname != "eth3" ct state new limit name "l_limit_10" counter name "l_10_103" jump l_r10_s0',
      'oifname != "eth3" ct state new counter name "l_10_102"',
    ]);
  });

  it('reads counter names back as classifier rows', () => {
    expect(localCounterRow('l_10_102', 7, 700)).toEqual({
      rule: 10,
      entry: WLB_ENTRY.limitConform,
      packets: 7,
      bytes: 700,
    });
    expect(localCounterRow('l_total', 1, 1)).toBeNull();
  });
});
