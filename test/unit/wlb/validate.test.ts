// Commit rules of WAN load balancing (spec §2.4): every WV id with its path and severity, checked
// the way the commit engine reports them ("path: message", "warning: path: message").
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { type ConfigTree, isConfigTree, withDefaults } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import { serviceDatabase } from '../../../src/features/wlb/grammar.js';
import { registerWlbSchema } from '../../../src/features/wlb/schema.js';
import { validateWlb } from '../../../src/features/wlb/validate.js';
import { featureRules } from '../support/featureRules.js';

const registry = new SchemaRegistry();
registerInterfacesSchema(registry);
registerWlbSchema(registry);
const facts = { interfaces: new Set(['eth0', 'eth1', 'eth3', 'eth4']) };
const { tree, problems } = featureRules(registry, validateWlb, facts);

const LB = 'load-balancing wan';
const H0 = `${LB} interface-health eth0`;
const H1 = `${LB} interface-health eth1`;
const R10 = `${LB} rule 10`;
/** Base configuration B (spec §5.1, lab values). */
const B = [
  `${H0} failure-count 5`,
  `${H0} nexthop 192.0.2.1`,
  `${H0} test 10 type ping`,
  `${H0} test 10 target 203.0.113.44`,
  `${H0} test 20 type ping`,
  `${H0} test 20 target 203.0.113.88`,
  `${H1} failure-count 4`,
  `${H1} nexthop 198.51.100.1`,
  `${H1} test 10 type ping`,
  `${H1} test 10 target 203.0.113.66`,
  `${H1} test 20 type ping`,
  `${H1} test 20 target 203.0.113.22`,
  `${R10} inbound-interface eth3`,
  `${R10} interface eth0`,
  `${R10} interface eth1`,
];
const without = (...drop: string[]) => B.filter((l) => !drop.includes(l));

/** Problems of a tree built from lines plus extra top-level nodes (for features not registered here). */
function problemsWith(extra: ConfigTree, ...lines: string[]): string[] {
  const t = { ...withDefaults(tree(...lines), registry), ...extra };
  return validateWlb(t, facts).map((e) => (e.severity === 'warning' ? `warning: ${e.message}` : e.message));
}

/** The subtree at `words` (which must exist), to edit a tree the way a hand-written config.boot would. */
function node(t: ConfigTree, ...words: string[]): ConfigTree {
  let at = t;
  for (const w of words) {
    const next = at[w];
    if (!isConfigTree(next)) throw new Error(`no node ${words.join(' ')}`);
    at = next;
  }
  return at;
}

const scripts = mkdtempSync(join(tmpdir(), 'wlb-validate-'));
const runnable = join(scripts, 'probe');
const plain = join(scripts, 'not-executable');
writeFileSync(runnable, '#!/bin/sh\nexit 0\n');
chmodSync(runnable, 0o755);
writeFileSync(plain, '#!/bin/sh\nexit 0\n');
chmodSync(plain, 0o644);
afterAll(() => rmSync(scripts, { recursive: true, force: true }));

describe('WLB commit rules (spec §2.4)', () => {
  it('accepts configuration B and no WLB at all', () => {
    expect(problems(...B)).toEqual([]);
    expect(problems('interfaces ethernet eth0 address 192.0.2.2/24')).toEqual([]);
    expect(problems(...B, `${LB} disable-source-nat`, `${R10} per-packet-balancing`)).toEqual([]);
  });

  it('WV-1: interface-health without nexthop', () => {
    expect(problems(...without(`${H0} nexthop 192.0.2.1`))).toEqual([`${H0}: nexthop must be specified`]);
  });

  it('WV-2: nexthop neither a unicast IPv4 address nor dhcp', () => {
    expect(() => tree(...B, `${H0} nexthop 192.0.2.300`)).toThrow(
      `${H0} nexthop 192.0.2.300: Invalid nexthop: must be a unicast IPv4 address or dhcp`,
    );
    expect(() => tree(...B, `${H0} nexthop gateway`)).toThrow(/Invalid nexthop/);
    for (const bad of ['224.0.0.5', '0.0.0.0', '255.255.255.255', '127.0.0.1']) {
      expect(problems(...without(`${H0} nexthop 192.0.2.1`), `${H0} nexthop ${bad}`)).toEqual([
        `${H0} nexthop: Invalid nexthop [${bad}]`,
      ]);
    }
    expect(problems(...B, `${H0} nexthop dhcp`)).not.toContainEqual(expect.stringMatching(/Invalid/));
  });

  it('W-44: a dhcp nexthop on an interface without address dhcp is warned about', () => {
    const dhcp = [...without(`${H0} nexthop 192.0.2.1`), `${H0} nexthop dhcp`];
    expect(problems(...dhcp)).toContain(
      `warning: ${H0} nexthop: interface eth0 has no address dhcp: its nexthop stays unknown and its tests fail`,
    );
    expect(problems(...dhcp, 'interfaces ethernet eth0 address dhcp')).not.toContainEqual(
      expect.stringMatching(/address dhcp/),
    );
  });

  it('WV-3: no interface-health with a usable nexthop', () => {
    const noHealth = [`${R10} inbound-interface eth3`];
    expect(problems(...noHealth)).toEqual([
      `${LB}: A valid WAN load-balance configuration requires an interface with a nexthop`,
      `warning: ${R10}: rule 10 will be inactive because no (outbound) interfaces have been defined for this rule`,
      `warning: ${LB} rule: At least one rule with an (outbound) interface must be defined for WAN load balancing to be active`,
    ]);
    expect(problems(`${H0} failure-count 2`)).toEqual([
      `${H0}: nexthop must be specified`,
      `${LB}: A valid WAN load-balance configuration requires an interface with a nexthop`,
      `warning: ${LB}: At least one rule with an (outbound) interface must be defined for WAN load balancing to be active`,
    ]);
    expect(
      problems(`${H0} nexthop 224.0.0.1`, `${R10} inbound-interface eth3`, `${R10} interface eth0`),
    ).toContain(`${LB}: A valid WAN load-balance configuration requires an interface with a nexthop`);
  });

  it('WV-4: ranges and enums are refused by the schema, at set and in a loaded tree', () => {
    const refused: [string, string][] = [
      [`${H0} failure-count 0`, `${H0} failure-count 0: must be 1-10`],
      [`${H0} failure-count 11`, `${H0} failure-count 11: must be 1-10`],
      [`${H0} success-count 11`, `${H0} success-count 11: must be 1-10`],
      [`${H0} test 10 resp-time 31`, `${H0} test 10 resp-time 31: must be 1-30`],
      [`${H0} test 10 resp-time 0`, `${H0} test 10 resp-time 0: must be 1-30`],
      [`${H0} test 10 ttl-limit 255`, `${H0} test 10 ttl-limit 255: must be 1-254`],
      [`${H0} test 10 type dns`, `${H0} test 10 type dns: must be one of: ping, ttl, user-defined`],
      [`${H0} test 0 type ping`, `${H0} test 0: must be 1-4294967295`],
      [`${R10} interface eth0 weight 0`, `${R10} interface eth0 weight 0: must be 1-255`],
      [`${R10} interface eth0 weight 256`, `${R10} interface eth0 weight 256: must be 1-255`],
      [`${R10} limit period day`, `${R10} limit period day: must be one of: second, minute, hour`],
      [`${R10} limit threshold over`, `${R10} limit threshold over: must be one of: above, below`],
      [`${R10} limit rate 0`, `${R10} limit rate 0: must be 1-4294967295`],
      [`${R10} limit burst 4294967296`, `${R10} limit burst 4294967296: must be 1-4294967295`],
      [`${LB} rule 0 inbound-interface eth3`, `${LB} rule 0: must be 1-4294967295`],
      [`${LB} rule 4294967296 inbound-interface eth3`, `${LB} rule 4294967296: must be 1-4294967295`],
      [`${R10} description "${'x'.repeat(256)}"`, 'must be 1-255 printable characters'],
    ];
    for (const [line, message] of refused) expect(() => tree(...B, line)).toThrow(message);
    expect(() => tree(...B, `${LB} rule 4294967295 inbound-interface eth3`)).not.toThrow();
    // A config.boot holding such values reports them at commit with their paths.
    const loaded = structuredClone(tree(...B));
    node(loaded, 'load-balancing', 'wan', 'interface-health', 'eth1')['failure-count'] = 11;
    node(loaded, 'load-balancing', 'wan', 'rule', '10')['interface'] = { eth0: { weight: 0 } };
    expect(validateTree(loaded, registry).map((e) => e.message)).toEqual([
      `${H1} failure-count 11: must be 1-10`,
      `${R10} interface eth0 weight 0: must be 1-255`,
    ]);
  });

  it('WV-5: a user-defined test without test-script', () => {
    expect(problems(...B, `${H0} test 30 type user-defined`)).toEqual([
      `${H0} test 30: script must be defined for test-script`,
    ]);
  });

  it('WV-6: a rule without inbound-interface', () => {
    expect(problems(...without(`${R10} inbound-interface eth3`))).toEqual([
      `${R10}: inbound-interface must be specified`,
    ]);
  });

  it('WV-7: ports need protocol tcp or udp, and service names valid for it', () => {
    const noPorts = `${R10} destination port: ports can only be specified when protocol is "tcp" or "udp"`;
    expect(problems(...B, `${R10} destination port 80`)).toEqual([noPorts]);
    expect(problems(...B, `${R10} destination port 80`, `${R10} protocol icmp`)).toEqual([noPorts]);
    expect(problems(...B, `${R10} destination port 80`, `${R10} protocol !tcp`)).toEqual([noPorts]);
    expect(problems(...B, `${R10} source port 80`, `${R10} protocol all`)).toEqual([
      `${R10} source port: ports can only be specified when protocol is "tcp" or "udp"`,
    ]);
    for (const p of ['tcp', 'udp', '6', '17', 'TCP'])
      expect(problems(...B, `${R10} destination port 5060`, `${R10} protocol ${p}`)).toEqual([]);
    expect(problems(...B, `${R10} destination port sip`, `${R10} protocol tcp`)).toEqual([]);
    expect(problems(...B, `${R10} destination port no-such-service`, `${R10} protocol udp`)).toEqual([
      `${R10} destination port: 'no-such-service' is not a known udp service`,
    ]);
    // A name the services database has for tcp only is refused with udp.
    const db = serviceDatabase();
    const tcpOnly = [...db.get('tcp')!.keys()].find((n) => !db.get('udp')!.has(n));
    if (tcpOnly) {
      expect(problems(...B, `${R10} destination port ${tcpOnly}`, `${R10} protocol tcp`)).toEqual([]);
      expect(problems(...B, `${R10} destination port ${tcpOnly}`, `${R10} protocol udp`)).toEqual([
        `${R10} destination port: '${tcpOnly}' is not a known udp service`,
      ]);
    }
  });

  it('WV-8: exclude with failover or with limit', () => {
    const ex = without(`${R10} interface eth0`, `${R10} interface eth1`);
    expect(problems(...ex, `${R10} exclude`, `${R10} failover`)).toEqual([
      `${R10}: failover cannot be configured with exclude`,
      `warning: ${LB} rule: At least one rule with an (outbound) interface must be defined for WAN load balancing to be active`,
    ]);
    expect(problems(...ex, `${R10} exclude`, `${R10} limit`)).toContain(
      `${R10}: limit cannot be used with exclude`,
    );
  });

  it('WV-9: a rule interface without interface-health', () => {
    expect(problems(...B, `${R10} interface eth4`)).toEqual([
      `${R10} interface eth4: interface eth4 has no interface-health: it could never be ACTIVE`,
    ]);
  });

  it('WV-10 / WV-10a: hook and test-script files must exist and should be executable', () => {
    expect(problems(...B, `${LB} hook missing-script`)).toEqual([
      `${LB} hook: script /config/scripts/missing-script does not exist`,
    ]);
    expect(
      problems(...B, `${H0} test 30 type user-defined`, `${H0} test 30 test-script ${scripts}/nope`),
    ).toEqual([`${H0} test 30 test-script: script ${scripts}/nope does not exist`]);
    expect(problems(...B, `${LB} hook ${runnable}`)).toEqual([]);
    expect(
      problems(...B, `${H0} test 30 type user-defined`, `${H0} test 30 test-script ${runnable}`),
    ).toEqual([]);
    expect(problems(...B, `${LB} hook ${plain}`)).toEqual([
      `warning: ${LB} hook: script ${plain} is not executable`,
    ]);
    expect(problems(...B, `${H1} test 5 type user-defined`, `${H1} test 5 test-script ${plain}`)).toEqual([
      `warning: ${H1} test 5 test-script: script ${plain} is not executable`,
    ]);
    expect(() => tree(...B, `${LB} hook relative/path`)).toThrow(/script name .* or an absolute path/);
  });

  it('WV-11 / WV-11a: conntrack-sync alongside WLB', () => {
    const sync = { service: { 'conntrack-sync': { interface: { eth4: {} } } } };
    expect(problemsWith(sync, ...B, `${LB} flush-connections`)).toEqual([
      `${LB} flush-connections: flush-connections cannot be used with service conntrack-sync`,
    ]);
    expect(problemsWith(sync, ...B)).toEqual([
      `warning: ${LB}: WAN load balancing together with conntrack-sync is not supported in general`,
    ]);
    expect(problemsWith({ service: {} }, ...B, `${LB} flush-connections`)).toEqual([]);
  });

  it('WV-12: malformed specs, at set (form) or at commit (meaning)', () => {
    const atSet: [string, RegExp][] = [
      [`${R10} source address 10.0.0.0/33`, /source address 10.0.0.0\/33: must be an IPv4 address, prefix/],
      [`${R10} source address 192.0.2.256`, /must be an IPv4 address, prefix/],
      [`${R10} source address !!10.0.0.1`, /must be an IPv4 address, prefix/],
      [`${R10} destination address 2001:db8::/32`, /must be an IPv4 address, prefix/],
      [`${R10} destination port 80,!22`, /destination port 80,!22: must be a comma-separated list/],
      [`${R10} destination port 80,,81`, /must be a comma-separated list/],
      [`${R10} protocol tcp/udp`, /protocol tcp\/udp: must be a protocol name or number/],
      [
        `${R10} inbound-interface eth+0`,
        /inbound-interface eth\+0: must be an interface name, or an interface name prefix/,
      ],
      [`${R10} inbound-interface +`, /must be an interface name/],
      [`${R10} inbound-interface eth**`, /must be an interface name/],
      [`${LB} interface-health eth+ nexthop 192.0.2.1`, /interface-health eth\+: must be an interface name/],
      [`${R10} interface eth* weight 1`, /interface eth\*: must be an interface name/],
    ];
    for (const [line, message] of atSet) expect(() => tree(...B, line)).toThrow(message);
    const tcp = `${R10} protocol tcp`;
    const atCommit: [string[], string][] = [
      [
        [`${R10} destination address 198.18.3.9-198.18.3.1`],
        `${R10} destination address: range '198.18.3.9-198.18.3.1': the first address is above the last`,
      ],
      [[`${R10} protocol foo`], `${R10} protocol: 'foo' is not a known protocol`],
      [[`${R10} protocol !all`], `${R10} protocol: '!all' would match nothing`],
      [[`${R10} protocol 256`], `${R10} protocol: protocol number 256 must be 0-255`],
      [[tcp, `${R10} destination port 0`], `${R10} destination port: port '0' must be 1-65535`],
      [[tcp, `${R10} destination port 65536`], `${R10} destination port: port '65536' must be 1-65535`],
      [
        [tcp, `${R10} source port 2000-1000`],
        `${R10} source port: port range '2000-1000' must be start-end with 1 <= start <= end <= 65535`,
      ],
      [
        [tcp, `${R10} destination port ${Array.from({ length: 257 }, (_, i) => i + 1).join(',')}`],
        `${R10} destination port: '${Array.from({ length: 257 }, (_, i) => i + 1).join(',')}' has 257 items: a port list takes at most 256`,
      ],
    ];
    for (const [lines, message] of atCommit) expect(problems(...B, ...lines)).toEqual([message]);
    expect(
      problems(
        ...B,
        tcp,
        `${R10} destination port ${Array.from({ length: 256 }, (_, i) => i + 1).join(',')}`,
      ),
    ).toEqual([]);
    // A prefix with host bits set is accepted, masked, with a warning.
    expect(problems(...B, `${R10} destination address 198.18.3.9/15`)).toEqual([
      `warning: ${R10} destination address: host bits set in '198.18.3.9/15': matching 198.18.0.0/15`,
    ]);
    for (const ok of ['eth+', 'eth*', 'eth3.100', 'bond0', 'pppoe0'])
      expect(() => tree(...B, `${R10} inbound-interface ${ok}`)).not.toThrow();
  });

  it('WV-13: an exclude rule that lists interfaces', () => {
    expect(
      problems(
        ...B,
        `${LB} rule 5 inbound-interface eth+`,
        `${LB} rule 5 exclude`,
        `${LB} rule 5 interface eth0`,
      ),
    ).toEqual([
      `warning: ${LB} rule 5 interface: interfaces (outbound) are not used when exclude has been defined for rule 5`,
    ]);
  });

  it('WV-14: a non-exclude rule without interfaces (WS-22)', () => {
    expect(problems(...B, `${LB} rule 30 inbound-interface eth3`)).toEqual([
      `warning: ${LB} rule 30: rule 30 will be inactive because no (outbound) interfaces have been defined for this rule`,
    ]);
  });

  it('WV-15: no rule with an outbound interface', () => {
    expect(problems(`${H0} nexthop 192.0.2.1`)).toEqual([
      `warning: ${LB}: At least one rule with an (outbound) interface must be defined for WAN load balancing to be active`,
    ]);
    expect(
      problems(`${H0} nexthop 192.0.2.1`, `${LB} rule 5 inbound-interface eth+`, `${LB} rule 5 exclude`),
    ).toEqual([
      `warning: ${LB} rule: At least one rule with an (outbound) interface must be defined for WAN load balancing to be active`,
    ]);
  });

  it('WV-16: inbound interface equal to an outbound interface (WS-22)', () => {
    expect(
      problems(...B, `${LB} interface-health eth3 nexthop 198.18.3.254`, `${R10} interface eth3`),
    ).toEqual([`warning: ${R10} interface eth3: inbound interface is the same as the outbound interface`]);
  });

  it('WV-17: test-script or ttl-limit where the test type ignores them', () => {
    expect(problems(...B, `${H0} test 10 test-script ${runnable}`, `${H0} test 20 ttl-limit 3`)).toEqual([
      `warning: ${H0} test 10 test-script: test-script is ignored: the test type is not user-defined`,
      `warning: ${H0} test 20 ttl-limit: ttl-limit is ignored: the test type is not ttl`,
    ]);
    expect(problems(...B, `${H0} test 10 type ttl`, `${H0} test 10 ttl-limit 3`)).toEqual([]);
  });

  it('WV-18: a ttl test without target (WS-22)', () => {
    expect(problems(...B, `${H0} test 30 type ttl`)).toEqual([
      `warning: ${H0} test 30: a ttl test without target probes the nexthop, which cannot answer Time Exceeded`,
    ]);
  });

  it('WV-19: per-packet balancing with source NAT', () => {
    expect(problems(...B, `${R10} per-packet-balancing`)).toEqual([
      `warning: ${R10} per-packet-balancing: per-packet balancing with source NAT sends packets of one connection out of several links with one address`,
    ]);
  });

  it('WV-20: a static default route at distance 1 beside a dhcp nexthop', () => {
    const dhcp = [...without(`${H1} nexthop 198.51.100.1`), `${H1} nexthop dhcp`];
    const route = (distance?: number): ConfigTree => ({
      protocols: {
        static: {
          route: { '0.0.0.0/0': { 'next-hop': { '192.0.2.1': distance === undefined ? {} : { distance } } } },
        },
      },
    });
    const wv20 = `warning: ${H1} nexthop: the static default route (distance 1) outranks the DHCP default route (distance 2) in the main table: give it distance 2 to keep both`;
    expect(problemsWith(route(), ...dhcp)).toContain(wv20);
    expect(problemsWith(route(1), ...dhcp)).toContain(wv20);
    expect(problemsWith(route(2), ...dhcp)).not.toContain(wv20);
    expect(problemsWith({}, ...dhcp)).not.toContain(wv20);
    expect(problemsWith(route(1), ...B)).toEqual([]);
  });

  it('WV-21: interfaces that do not exist (yet) are accepted with a warning', () => {
    const missing = { interfaces: new Set(['eth0', 'eth3']) };
    const t = withDefaults(
      tree(...B, `${LB} rule 20 inbound-interface eth9`, `${LB} rule 20 interface eth0`),
      registry,
    );
    expect(validateWlb(t, missing).map((e) => [e.path.join(' '), e.severity, e.detail])).toEqual([
      [H1, 'warning', 'interface eth1 does not exist (yet): it counts as down'],
      [`${R10} interface eth1`, 'warning', 'interface eth1 does not exist (yet): it counts as down'],
      [`${LB} rule 20 inbound-interface`, 'warning', 'interface eth9 does not exist (yet)'],
    ]);
    const wildcard = withDefaults(tree(...B, `${R10} inbound-interface wan+`), registry);
    expect(validateWlb(wildcard, facts)).toEqual([]);
  });

  it('WV-22: negated criteria in consecutive rules', () => {
    const rule = (n: number, ...rest: string[]) => [
      `${LB} rule ${n} inbound-interface eth3`,
      `${LB} rule ${n} interface eth0`,
      ...rest.map((r) => `${LB} rule ${n} ${r}`),
    ];
    expect(
      problems(...B, ...rule(20, 'destination address !198.18.0.0/15'), ...rule(30, 'protocol !icmp')),
    ).toEqual([
      `warning: ${LB} rule 30: consecutive rules with negated (!) criteria are easy to get wrong: check the rule order`,
    ]);
    expect(
      problems(...B, ...rule(5, 'destination address !198.18.0.0/15'), ...rule(30, 'protocol !icmp')),
    ).toEqual([]);
    expect(
      problems(...B, ...rule(20, 'protocol tcp', 'source address !10.0.0.0/8', 'destination port !22')),
    ).toEqual([]);
  });
});
