// Commit-time rules of WAN load balancing (spec §2.4, WV-1…WV-22): every error and warning with
// the path of the node it concerns. Ranges and enums (WV-4) are the schema's.
import { existsSync } from 'node:fs';
import type { ConfigTree } from '../../config/tree.js';
import { ConfigPathError } from '../../errors.js';
import type { SystemFacts } from '../feature.js';
import { executable, scriptPath } from '../vrrp/validate.js';
import { parseAddressSpec, parsePortSpec, parseProtocolSpec, portProtocol } from './grammar.js';
import { wanConfigOf } from './model.js';

const WAN = ['load-balancing', 'wan'];

export function validateWlb(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
  const wan = wanConfigOf(tree);
  if (!wan) return [];
  const problems: ConfigPathError[] = [];
  const error = (path: string[], detail: string) =>
    problems.push(new ConfigPathError([...WAN, ...path], detail));
  const warn = (path: string[], detail: string) =>
    problems.push(new ConfigPathError([...WAN, ...path], detail, 'warning'));

  const script = (path: string[], name: string) => {
    const file = scriptPath(name);
    if (!existsSync(file))
      error(path, `script ${file} does not exist`); // WV-10
    else if (!executable(file)) warn(path, `script ${file} is not executable`); // WV-10a
  };

  const health = wan['interface-health'] ?? {};
  let withNexthop = 0;
  for (const [ifname, h] of Object.entries(health)) {
    const at = ['interface-health', ifname];
    if (h.nexthop === undefined)
      error(at, 'nexthop must be specified'); // WV-1
    else withNexthop++;
    if (!facts.interfaces.has(ifname))
      warn(at, `interface ${ifname} does not exist (yet): it counts as down`); // WV-21
    for (const [n, t] of Object.entries(h.test ?? {})) {
      const tat = [...at, 'test', n];
      const type = t.type ?? 'ping';
      if (type === 'user-defined') {
        if (!t['test-script'])
          error(tat, 'script must be defined for test-script'); // WV-5
        else script([...tat, 'test-script'], t['test-script']);
      } else if (t['test-script']) {
        warn([...tat, 'test-script'], 'test-script is ignored: the test type is not user-defined'); // WV-17
      }
      if (t['ttl-limit'] !== undefined && type !== 'ttl')
        warn([...tat, 'ttl-limit'], 'ttl-limit is ignored: the test type is not ttl'); // WV-17
      if (type === 'ttl' && !t.target)
        warn(tat, 'a ttl test without target probes the nexthop, which cannot answer Time Exceeded'); // WV-18
    }
  }
  if (withNexthop === 0)
    error(
      ['interface-health'],
      'A valid WAN load-balance configuration requires an interface with a nexthop',
    ); // WV-3

  if (wan.hook) script(['hook'], wan.hook);
  // Not built yet: say so at commit rather than accept a node that changes nothing.
  if (wan['enable-local-traffic'])
    warn(['enable-local-traffic'], 'not supported yet: traffic the router originates follows the main table');
  for (const [ifname, h] of Object.entries(health)) {
    if (h.nexthop === 'dhcp')
      warn(
        ['interface-health', ifname, 'nexthop'],
        'dhcp nexthops are not followed yet: the interface has no WLB default route and its tests fail',
      );
  }
  if (tree['service'] && (tree['service'] as Record<string, unknown>)['conntrack-sync'] !== undefined) {
    if (wan['flush-connections'])
      error(['flush-connections'], 'flush-connections cannot be used with service conntrack-sync'); // WV-11
    else warn([], 'WAN load balancing together with conntrack-sync is not supported in general'); // WV-11a
  }

  let anyPool = false;
  let negatedRun = 0;
  for (const [n, r] of Object.entries(wan.rule ?? {}).sort(([a], [b]) => Number(a) - Number(b))) {
    const at = ['rule', n];
    const inbound = r['inbound-interface'];
    if (!inbound)
      error(at, 'inbound-interface must be specified'); // WV-6
    else if (/[+*]./.test(inbound) || (/[+*]$/.test(inbound) && /[+*]/.test(inbound.slice(0, -1))))
      error([...at, 'inbound-interface'], `'${inbound}': a wildcard is a prefix followed by one + or *`); // WV-12
    else if (!/[+*]$/.test(inbound) && !facts.interfaces.has(inbound))
      warn([...at, 'inbound-interface'], `interface ${inbound} does not exist (yet)`); // WV-21

    const proto = parseProtocolSpec(r.protocol ?? 'all');
    if ('error' in proto) error([...at, 'protocol'], proto.error); // WV-12
    const portsProto = 'ok' in proto ? portProtocol(proto.ok) : undefined;
    let negated = 0;
    if ('ok' in proto && proto.ok.negate) negated++;
    for (const side of ['source', 'destination'] as const) {
      const e = r[side];
      if (e?.address) {
        const a = parseAddressSpec(e.address);
        if ('error' in a) error([...at, side, 'address'], a.error);
        else {
          if (a.warning) warn([...at, side, 'address'], a.warning);
          if (a.ok.negate) negated++;
        }
      }
      if (e?.port) {
        if (!portsProto)
          error([...at, side, 'port'], 'ports can only be specified when protocol is "tcp" or "udp"'); // WV-7
        else {
          const p = parsePortSpec(e.port, portsProto);
          if ('error' in p) error([...at, side, 'port'], p.error);
          else if (p.ok.negate) negated++;
        }
      }
    }
    negatedRun = negated ? negatedRun + 1 : 0;
    if (negatedRun === 2)
      warn(at, 'consecutive rules with negated criteria are easy to get wrong: check the rule order'); // WV-22

    const pool = Object.keys(r.interface ?? {});
    if (r.exclude && r.failover) error(at, 'failover cannot be configured with exclude'); // WV-8
    if (r.exclude && r.limit) error(at, 'limit cannot be used with exclude'); // WV-8
    if (r.exclude && pool.length)
      warn(
        [...at, 'interface'],
        `interfaces (outbound) are not used when exclude has been defined for rule ${n}`,
      ); // WV-13
    if (!r.exclude && !pool.length)
      warn(at, `rule ${n} will be inactive because no (outbound) interfaces have been defined for this rule`); // WV-14
    if (!r.exclude && pool.length) anyPool = true;
    for (const ifname of pool) {
      if (!health[ifname])
        error(
          [...at, 'interface', ifname],
          `interface ${ifname} has no interface-health: it could never be ACTIVE`,
        ); // WV-9
      if (ifname === inbound)
        warn([...at, 'interface', ifname], 'inbound interface is the same as the outbound interface'); // WV-16
    }
    if (r['per-packet-balancing'] && !wan['disable-source-nat'])
      warn(
        [...at, 'per-packet-balancing'],
        'per-packet balancing with source NAT sends one connection out several links with one address',
      ); // WV-19
  }
  if (!anyPool)
    warn(
      ['rule'],
      'At least one rule with an (outbound) interface must be defined for WAN load balancing to be active',
    ); // WV-15

  // WV-20: a static default route at distance 1 outranks DHCP-learned defaults in the main table.
  const dhcp = Object.values(health).some((h) => h.nexthop === 'dhcp');
  const statics = (
    tree['protocols'] as
      | { static?: { route?: Record<string, { 'next-hop'?: Record<string, { distance?: number }> }> } }
      | undefined
  )?.static?.route?.['0.0.0.0/0'];
  if (dhcp && statics && Object.values(statics['next-hop'] ?? {}).some((h) => (h.distance ?? 1) === 1))
    warn(
      ['interface-health'],
      'a static default route with distance 1 outranks the DHCP default route: give it distance 2',
    );
  return problems;
}
