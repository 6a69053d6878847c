import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { withDefaults } from '../../../src/config/tree.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import { parseAddressSpec, parsePortSpec, parseProtocolSpec } from '../../../src/features/wlb/grammar.js';
import { wlbConfigOf } from '../../../src/features/wlb/model.js';
import { registerWlbSchema } from '../../../src/features/wlb/schema.js';
import { validateWlb } from '../../../src/features/wlb/validate.js';
import { featureRules } from '../support/featureRules.js';

const registry = new SchemaRegistry();
registerInterfacesSchema(registry);
registerWlbSchema(registry);
const facts = { interfaces: new Set(['eth0', 'eth1', 'eth3']) };
const LB = 'load-balancing wan';
const BASE = [
  `${LB} interface-health eth0 nexthop 192.0.2.1`,
  `${LB} interface-health eth1 nexthop 198.51.100.1`,
  `${LB} rule 10 inbound-interface eth3`,
  `${LB} rule 10 interface eth0`,
  `${LB} rule 10 interface eth1`,
];

const { tree, problems } = featureRules(registry, validateWlb, facts);

describe('WLB value grammars (spec §2.3)', () => {
  it('reads hosts, prefixes, ranges and negation as host-order ranges', () => {
    expect(parseAddressSpec('192.0.2.1')).toEqual({
      ok: { from: 0xc0000201, to: 0xc0000201, negate: false },
    });
    expect(parseAddressSpec('!198.51.100.0/24')).toEqual({
      ok: { from: 0xc6336400, to: 0xc63364ff, negate: true },
    });
    expect(parseAddressSpec('0.0.0.0/0')).toEqual({ ok: { from: 0, to: 0xffffffff, negate: false } });
    expect(parseAddressSpec('192.0.2.1-192.0.2.150')).toMatchObject({
      ok: { from: 0xc0000201, to: 0xc0000296 },
    });
    expect(parseAddressSpec('192.0.2.9/24')).toMatchObject({
      ok: { from: 0xc0000200 },
      warning: /host bits/,
    });
    expect(parseAddressSpec('192.0.2.9-192.0.2.1')).toHaveProperty('error');
    expect(parseAddressSpec('192.0.2.300')).toHaveProperty('error');
    expect(parseAddressSpec('192.0.2.0/33')).toHaveProperty('error');
  });

  it('reads port lists with names per protocol, ranges and one leading !', () => {
    expect(parsePortSpec('!22,telnet,http,123,1001-1005', 'tcp')).toEqual({
      ok: {
        ranges: [
          [22, 22],
          [23, 23],
          [80, 80],
          [123, 123],
          [1001, 1005],
        ],
        negate: true,
      },
    });
    expect(parsePortSpec('sip', 'udp')).toEqual({ ok: { ranges: [[5060, 5060]], negate: false } });
    expect(parsePortSpec('80,!22', 'tcp')).toHaveProperty('error');
    expect(parsePortSpec('0', 'tcp')).toHaveProperty('error');
    expect(parsePortSpec('2000-1000', 'tcp')).toHaveProperty('error');
    expect(parsePortSpec('no-such-service', 'tcp')).toHaveProperty('error');
  });

  it('reads protocols by name or number, all and negation', () => {
    expect(parseProtocolSpec('tcp')).toEqual({ ok: { number: 6, negate: false, name: 'tcp' } });
    expect(parseProtocolSpec('!GRE')).toEqual({ ok: { number: 47, negate: true, name: 'gre' } });
    expect(parseProtocolSpec('all')).toEqual({ ok: { number: null, negate: false, name: 'all' } });
    expect(parseProtocolSpec('47')).toMatchObject({ ok: { number: 47 } });
    expect(parseProtocolSpec('!all')).toHaveProperty('error');
    expect(parseProtocolSpec('256')).toHaveProperty('error');
  });
});

describe('WLB configuration model', () => {
  it('applies defaults, orders pools by name and failover by weight, and adds the implicit test', () => {
    const cfg = wlbConfigOf(
      withDefaults(
        tree(
          ...BASE,
          `${LB} rule 10 interface eth0 weight 10`,
          `${LB} rule 10 failover`,
          `${LB} rule 10 protocol tcp`,
        ),
        registry,
      ),
    )!;
    expect(cfg.interfaces.map((i) => [i.interface, i.failureCount, i.tests[0]!.implicit])).toEqual([
      ['eth0', 1, true],
      ['eth1', 1, true],
    ]);
    const r = cfg.rules[0]!;
    expect(r.pool.map((m) => m.interface)).toEqual(['eth0', 'eth1']);
    expect(r.failoverOrder).toEqual([
      { interface: 'eth0', weight: 10 },
      { interface: 'eth1', weight: 1 },
    ]);
    expect(r.protocol).toEqual({ number: 6, negate: false, name: 'tcp' });
    expect(r.limit).toBeNull();
  });
});

describe('WLB commit rules (spec §2.4)', () => {
  it('accepts the base configuration', () => {
    expect(problems(...BASE)).toEqual([]);
  });

  it('rejects what WS-22 lists, naming the node', () => {
    expect(problems(`${LB} interface-health eth0 failure-count 1`, ...BASE.slice(1))).toContain(
      'load-balancing wan interface-health eth0: nexthop must be specified',
    );
    // WV-4: out-of-range values are refused as they are set.
    expect(() => tree(...BASE, `${LB} interface-health eth0 failure-count 11`)).toThrow(
      /failure-count 11: must be 1-10/,
    );
    expect(() => tree(...BASE, `${LB} rule 10 interface eth0 weight 256`)).toThrow(
      /weight 256: must be 1-255/,
    );
    expect(() => tree(...BASE, `${LB} interface-health eth0 test 1 resp-time 31`)).toThrow(/resp-time 31/);
    expect(() => tree(...BASE, `${LB} rule 10 limit period day`)).toThrow(/period day/);
    expect(problems(...BASE, `${LB} interface-health eth0 test 30 type user-defined`)).toContain(
      'load-balancing wan interface-health eth0 test 30: script must be defined for test-script',
    );
    expect(problems(...BASE.filter((l) => !l.includes('inbound')), `${LB} rule 10 protocol tcp`)).toContain(
      'load-balancing wan rule 10: inbound-interface must be specified',
    );
    expect(problems(...BASE, `${LB} rule 10 destination port 80`)).toContain(
      'load-balancing wan rule 10 destination port: ports can only be specified when protocol is "tcp" or "udp"',
    );
    expect(problems(...BASE, `${LB} rule 10 exclude`, `${LB} rule 10 failover`)).toContain(
      'load-balancing wan rule 10: failover cannot be configured with exclude',
    );
    expect(problems(...BASE, `${LB} rule 10 interface eth2`)).toContain(
      'load-balancing wan rule 10 interface eth2: interface eth2 has no interface-health: it could never be ACTIVE',
    );
    expect(problems(...BASE, `${LB} hook missing-script`)).toContain(
      'load-balancing wan hook: script /config/scripts/missing-script does not exist',
    );
    expect(problems(...BASE, `${LB} rule 10 source address 192.0.2.300`)[0]).toMatch(/not an address/);
  });

  it('warns as WS-22 lists', () => {
    expect(problems(...BASE, `${LB} rule 30 inbound-interface eth3`)).toContain(
      'warning: load-balancing wan rule 30: rule 30 will be inactive because no (outbound) interfaces have been defined for this rule',
    );
    expect(
      problems(...BASE, `${LB} interface-health eth3 nexthop 198.51.100.254`, `${LB} rule 10 interface eth3`),
    ).toContain(
      'warning: load-balancing wan rule 10 interface eth3: inbound interface is the same as the outbound interface',
    );
    expect(problems(...BASE, `${LB} interface-health eth0 test 10 type ttl`)).toContain(
      'warning: load-balancing wan interface-health eth0 test 10: a ttl test without target probes the nexthop, which cannot answer Time Exceeded',
    );
    expect(problems(...BASE, `${LB} rule 10 per-packet-balancing`)[0]).toMatch(/^warning: .*per-packet/);
  });
});
