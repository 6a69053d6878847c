// The typed model of the committed `load-balancing wan` tree (defaults, order, parsed specs).
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { withDefaults } from '../../../src/config/tree.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import {
  conditionalProbabilities,
  failoverChoice,
  failoverOrder,
  IMPLICIT_TEST,
  type WlbConfig,
  wlbConfigOf,
} from '../../../src/features/wlb/model.js';
import { registerWlbSchema, wlbSchema } from '../../../src/features/wlb/schema.js';
import type { TSchema } from '@sinclair/typebox';
import { childrenOf, defaultOf, descriptionOf, kindOf, tagBodyOf } from '../../../src/config/schemaNodes.js';
import { validateWlb } from '../../../src/features/wlb/validate.js';
import { featureRules } from '../support/featureRules.js';

const registry = new SchemaRegistry();
registerInterfacesSchema(registry);
registerWlbSchema(registry);
const { tree } = featureRules(registry, validateWlb, { interfaces: new Set() });
const LB = 'load-balancing wan';

const model = (...lines: string[]): WlbConfig => {
  const cfg = wlbConfigOf(withDefaults(tree(...lines), registry));
  if (!cfg) throw new Error('no load-balancing wan');
  return cfg;
};

/** Every node below `load-balancing wan` as "path kind[=default]" (tag bodies as `<>`). */
function nodes(container: TSchema, prefix: string[] = []): string[] {
  return Object.entries(childrenOf(container)).flatMap(([word, child]) => {
    const path = [...prefix, word];
    const kind = kindOf(child)!;
    expect(descriptionOf(child)).not.toBe('');
    const fallback = defaultOf(child);
    const own = `${path.join(' ')} ${kind}${fallback === undefined ? '' : `=${String(fallback)}`}`;
    if (kind === 'container') return [own, ...nodes(child, path)];
    if (kind === 'tag') return [own, ...nodes(tagBodyOf(child), [...path, '<>'])];
    return [own];
  });
}

describe('schema (spec §2.1/2.2)', () => {
  it('has the nodes of the node table (wan itself + these 34) with their defaults', () => {
    expect(nodes(wlbSchema())).toEqual([
      'disable-source-nat flag',
      'enable-local-traffic flag',
      'flush-connections flag',
      'hook leaf',
      'interface-health tag',
      'interface-health <> failure-count leaf=1',
      'interface-health <> nexthop leaf',
      'interface-health <> success-count leaf=1',
      'interface-health <> test tag',
      'interface-health <> test <> resp-time leaf',
      'interface-health <> test <> target leaf',
      'interface-health <> test <> test-script leaf',
      'interface-health <> test <> ttl-limit leaf',
      'interface-health <> test <> type leaf=ping',
      'rule tag',
      'rule <> description leaf',
      'rule <> destination container',
      'rule <> destination address leaf',
      'rule <> destination port leaf',
      'rule <> exclude flag',
      'rule <> failover flag',
      'rule <> inbound-interface leaf',
      'rule <> interface tag',
      'rule <> interface <> weight leaf=1',
      'rule <> limit container',
      'rule <> limit burst leaf=5',
      'rule <> limit period leaf=second',
      'rule <> limit rate leaf=5',
      'rule <> limit threshold leaf=below',
      'rule <> per-packet-balancing flag',
      'rule <> protocol leaf',
      'rule <> source container',
      'rule <> source address leaf',
      'rule <> source port leaf',
    ]);
  });

  it('registers load-balancing wan as a presence container', () => {
    const wan = registry.nodeAt(['load-balancing', 'wan']);
    expect(wan.kind).toBe('container');
    expect(wlbConfigOf(withDefaults(tree('load-balancing wan'), registry))).toMatchObject({
      interfaces: [],
      rules: [],
    });
  });
});

describe('wlbConfigOf', () => {
  it('is undefined without load-balancing wan', () => {
    expect(wlbConfigOf({})).toBeUndefined();
    expect(
      wlbConfigOf(withDefaults(tree('interfaces ethernet eth0 address 192.0.2.2/24'), registry)),
    ).toBeUndefined();
  });

  it('applies the global defaults and resolves the hook path', () => {
    expect(model(`${LB} interface-health eth0 nexthop 192.0.2.1`)).toMatchObject({
      disableSourceNat: false,
      enableLocalTraffic: false,
      flushConnections: false,
      hookName: null,
      hook: null,
      rules: [],
    });
    const flags = model(
      `${LB} disable-source-nat`,
      `${LB} enable-local-traffic`,
      `${LB} flush-connections`,
      `${LB} hook wlb-hook`,
    );
    expect(flags).toMatchObject({
      disableSourceNat: true,
      enableLocalTraffic: true,
      flushConnections: true,
      hookName: 'wlb-hook',
      hook: '/config/scripts/wlb-hook',
    });
    expect(model(`${LB} hook /usr/local/bin/hook`).hook).toBe('/usr/local/bin/hook');
  });

  it('orders interfaces byte-wise and tests by ascending number, with defaults', () => {
    const cfg = model(
      `${LB} interface-health eth2 nexthop 192.0.2.1`,
      `${LB} interface-health eth10 nexthop dhcp`,
      `${LB} interface-health eth10 failure-count 5`,
      `${LB} interface-health eth10 success-count 3`,
      `${LB} interface-health eth10 test 100 target 203.0.113.44`,
      `${LB} interface-health eth10 test 20 type ttl`,
      `${LB} interface-health eth10 test 20 ttl-limit 3`,
      `${LB} interface-health eth10 test 20 resp-time 2`,
      `${LB} interface-health eth10 test 3 type user-defined`,
      `${LB} interface-health eth10 test 3 test-script probe`,
      `${LB} interface-health bond0 nexthop 198.51.100.1`,
      `${LB} interface-health eth1 nexthop 198.51.100.1`,
    );
    expect(cfg.interfaces.map((i) => i.interface)).toEqual(['bond0', 'eth1', 'eth10', 'eth2']);
    const eth10 = cfg.interfaces[2]!;
    expect(eth10).toMatchObject({ nexthop: 'dhcp', failureCount: 5, successCount: 3 });
    expect(cfg.interfaces[0]).toMatchObject({ nexthop: '198.51.100.1', failureCount: 1, successCount: 1 });
    expect(eth10.tests).toEqual([
      {
        test: 3,
        type: 'user-defined',
        target: null,
        respTime: 5,
        respTimeSet: false,
        ttlLimit: 1,
        scriptName: 'probe',
        script: '/config/scripts/probe',
        implicit: false,
      },
      {
        test: 20,
        type: 'ttl',
        target: null,
        respTime: 2,
        respTimeSet: true,
        ttlLimit: 3,
        scriptName: null,
        script: null,
        implicit: false,
      },
      {
        test: 100,
        type: 'ping',
        target: '203.0.113.44',
        respTime: 5,
        respTimeSet: false,
        ttlLimit: 1,
        scriptName: null,
        script: null,
        implicit: false,
      },
    ]);
  });

  it('gives an interface without tests one implicit ping test to its nexthop (W-27)', () => {
    const [i] = model(`${LB} interface-health eth0 nexthop 192.0.2.1`).interfaces;
    expect(i!.tests).toEqual([IMPLICIT_TEST]);
    expect(IMPLICIT_TEST).toMatchObject({ type: 'ping', target: null, respTime: 5, implicit: true });
  });

  it('orders rules by ascending number and parses their specs into ranges', () => {
    const R = (n: number, rest: string) => `${LB} rule ${n} ${rest}`;
    const cfg = model(
      `${LB} interface-health eth0 nexthop 192.0.2.1`,
      R(4294967295, 'inbound-interface eth+'),
      R(100, 'inbound-interface eth3'),
      R(20, 'inbound-interface eth*'),
      R(20, 'protocol !TCP'),
      R(5, 'inbound-interface eth4'),
      R(5, 'protocol tcp'),
      R(5, 'source address 198.18.3.0/24'),
      R(5, 'source port !22,http,1000-2000'),
      R(5, 'destination address !192.0.2.1-192.0.2.150'),
      R(5, 'destination port 80'),
      R(5, 'description "LAN 3"'),
    );
    expect(cfg.rules.map((r) => r.number)).toEqual([5, 20, 100, 4294967295]);
    const [r5, r20, r100] = cfg.rules;
    expect(r5).toMatchObject({
      description: 'LAN 3',
      inboundInterface: 'eth4',
      inbound: { name: 'eth4', wildcard: false },
      protocol: { number: 6, negate: false, name: 'tcp' },
      source: {
        addressText: '198.18.3.0/24',
        address: { from: 0xc6120300, to: 0xc61203ff, negate: false },
        portText: '!22,http,1000-2000',
        ports: {
          ranges: [
            [22, 22],
            [80, 80],
            [1000, 2000],
          ],
          negate: true,
        },
      },
      destination: {
        address: { from: 0xc0000201, to: 0xc0000296, negate: true },
        ports: { ranges: [[80, 80]], negate: false },
      },
    });
    expect(r20).toMatchObject({
      inbound: { name: 'eth', wildcard: true },
      protocol: { number: 6, negate: true, name: 'tcp' },
    });
    expect(r100).toMatchObject({
      description: null,
      protocol: { number: null, negate: false, name: 'all' },
      source: { addressText: null, address: null, portText: null, ports: null },
      destination: { addressText: null, address: null, portText: null, ports: null },
      exclude: false,
      failover: false,
      perPacket: false,
      limit: null,
      pool: [],
      failoverOrder: [],
    });
  });

  it('orders pools by name with default weights, and failover by weight then name (W-16)', () => {
    const cfg = model(
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 interface eth1 weight 10`,
      `${LB} rule 10 interface eth0 weight 1`,
      `${LB} rule 10 interface eth2 weight 10`,
      `${LB} rule 10 interface bond0`,
      `${LB} rule 10 failover`,
    );
    const r = cfg.rules[0]!;
    expect(r.failover).toBe(true);
    expect(r.pool).toEqual([
      { interface: 'bond0', weight: 1 },
      { interface: 'eth0', weight: 1 },
      { interface: 'eth1', weight: 10 },
      { interface: 'eth2', weight: 10 },
    ]);
    expect(r.failoverOrder.map((m) => m.interface)).toEqual(['eth1', 'eth2', 'bond0', 'eth0']);
    expect(failoverOrder(r.pool)).toEqual(r.failoverOrder);
    expect(failoverChoice(r.pool, () => true)?.interface).toBe('eth1');
    expect(failoverChoice(r.pool, (i) => i !== 'eth1')?.interface).toBe('eth2');
    expect(failoverChoice(r.pool, (i) => i === 'eth0' || i === 'bond0')?.interface).toBe('bond0');
    expect(failoverChoice(r.pool, () => false)).toBeUndefined();
  });

  it('fills limit defaults when the presence container exists, and reads the flags', () => {
    const cfg = model(
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 limit`,
      `${LB} rule 20 inbound-interface eth3`,
      `${LB} rule 20 limit rate 100`,
      `${LB} rule 20 limit burst 7`,
      `${LB} rule 20 limit period minute`,
      `${LB} rule 20 limit threshold above`,
      `${LB} rule 20 per-packet-balancing`,
      `${LB} rule 30 inbound-interface eth+`,
      `${LB} rule 30 exclude`,
    );
    expect(cfg.rules.map((r) => r.limit)).toEqual([
      { rate: 5, period: 'second', periodSeconds: 1, burst: 5, threshold: 'below' },
      { rate: 100, period: 'minute', periodSeconds: 60, burst: 7, threshold: 'above' },
      null,
    ]);
    expect(cfg.rules.map((r) => [r.perPacket, r.exclude])).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect(
      model(`${LB} rule 1 inbound-interface eth3`, `${LB} rule 1 limit period hour`).rules[0]!.limit,
    ).toMatchObject({ periodSeconds: 3600 });
  });

  it('gives the conditional probabilities that reproduce the weights top-down (spec §3.4)', () => {
    expect(conditionalProbabilities([1, 1])).toEqual([0.5, null]);
    expect(conditionalProbabilities([2, 1])).toEqual([2 / 3, null]);
    expect(conditionalProbabilities([3, 2, 1])).toEqual([0.5, 2 / 3, null]);
    expect(conditionalProbabilities([7])).toEqual([null]);
    expect(conditionalProbabilities([])).toEqual([]);
    // Rows tried top-down give every member its weight share.
    const weights = [5, 1, 255, 3];
    const p = conditionalProbabilities(weights);
    let reach = 1;
    const shares = p.map((pk) => {
      const share = reach * (pk ?? 1);
      reach -= share;
      return share;
    });
    weights.forEach((w, i) => expect(shares[i]).toBeCloseTo(w / 264, 12));
  });
});
