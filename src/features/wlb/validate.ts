// Commit-time rules of WAN load balancing (spec §2.4, WV-1…WV-22): every error and warning with
// the path of the node it concerns. Ranges, enums and the form of values (WV-4, most of WV-12) are
// the schema's; here are the rules that need another node, a database or the file system.
import { existsSync } from 'node:fs';
import type { ConfigTree } from '../../config/tree.js';
import type { ConfigPathError } from '../../errors.js';
import { pathProblems } from '../pathProblems.js';
import { notUnicastHost, parsePrefix } from '../../net/ipAddress.js';
import type { SystemFacts } from '../feature.js';
import { executable, scriptPath } from '../vrrp/validate.js';
import {
  parseAddressSpec,
  parseInboundInterface,
  parsePortSpec,
  parseProtocolSpec,
  portProtocol,
} from './grammar.js';
import { byteOrder, wanConfigOf } from './model.js';

const WAN = ['load-balancing', 'wan'];

/** `protocols static route 0.0.0.0/0 next-hop <gw> [distance <n>]`, where such a schema exists. */
type StaticRoutes = {
  static?: { route?: Record<string, { 'next-hop'?: Record<string, { distance?: number | string }> }> };
};

const numeric = (a: string, b: string) => Number(a) - Number(b);

export function validateWlb(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
  const wan = wanConfigOf(tree);
  if (!wan) return [];
  const { problems, error, warn } = pathProblems(WAN);

  const script = (path: string[], name: string) => {
    const file = scriptPath(name);
    if (!existsSync(file))
      error(path, `script ${file} does not exist`); // WV-10
    else if (!executable(file)) warn(path, `script ${file} is not executable`); // WV-10a
  };
  const missing = (ifname: string) => !facts.interfaces.has(ifname);

  // ---- interfaces and their tests ----
  const health = wan['interface-health'] ?? {};
  let withNexthop = 0;
  for (const [ifname, h] of Object.entries(health).sort(([a], [b]) => byteOrder(a, b))) {
    const at = ['interface-health', ifname];
    if (h.nexthop === undefined) {
      error(at, 'nexthop must be specified'); // WV-1
    } else {
      const nexthop = String(h.nexthop);
      const address = nexthop === 'dhcp' ? undefined : parsePrefix(nexthop);
      if (
        nexthop !== 'dhcp' &&
        (address?.family !== 4 || address.length !== undefined || notUnicastHost(address))
      )
        error([...at, 'nexthop'], `Invalid nexthop [${nexthop}]`); // WV-2
      else withNexthop++;
    }
    if (missing(ifname)) warn(at, `interface ${ifname} does not exist (yet): it counts as down`); // WV-21
    for (const [n, t] of Object.entries(h.test ?? {}).sort(([a], [b]) => numeric(a, b))) {
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
    error([], 'A valid WAN load-balance configuration requires an interface with a nexthop'); // WV-3

  if (wan.hook) script(['hook'], wan.hook);

  if (wan['enable-local-traffic'] && wan['disable-source-nat'])
    warn(
      ['enable-local-traffic'],
      "without source NAT, router traffic moved to another uplink keeps the address of the main-table route's interface",
    );
  // W-44: a dhcp nexthop is the router of the interface's own lease.
  const ethernet = (tree['interfaces'] as { ethernet?: Record<string, { address?: unknown[] }> } | undefined)
    ?.ethernet;
  for (const [ifname, h] of Object.entries(health)) {
    if (h.nexthop === 'dhcp' && !(ethernet?.[ifname]?.address ?? []).includes('dhcp'))
      warn(
        ['interface-health', ifname, 'nexthop'],
        `interface ${ifname} has no address dhcp: its nexthop stays unknown and its tests fail`,
      );
  }

  // ---- conntrack-sync (WV-11, WV-11a) ----
  const service = tree['service'] as Record<string, unknown> | undefined;
  if (service?.['conntrack-sync'] !== undefined) {
    if (wan['flush-connections'])
      error(['flush-connections'], 'flush-connections cannot be used with service conntrack-sync'); // WV-11
    else warn([], 'WAN load balancing together with conntrack-sync is not supported in general'); // WV-11a
  }

  // ---- rules ----
  const rules = Object.entries(wan.rule ?? {}).sort(([a], [b]) => numeric(a, b));
  let anyPool = false;
  let negatedRun = 0;
  for (const [n, r] of rules) {
    const at = ['rule', n];
    const inbound = r['inbound-interface'];
    let inboundName: string | undefined;
    if (!inbound) {
      error(at, 'inbound-interface must be specified'); // WV-6
    } else {
      const parsed = parseInboundInterface(inbound);
      if ('error' in parsed)
        error([...at, 'inbound-interface'], parsed.error); // WV-12
      else if (!parsed.ok.wildcard) {
        inboundName = parsed.ok.name;
        if (missing(inboundName))
          warn([...at, 'inbound-interface'], `interface ${inboundName} does not exist (yet)`); // WV-21
      }
    }

    const proto = parseProtocolSpec(r.protocol ?? 'all');
    if ('error' in proto) error([...at, 'protocol'], proto.error); // WV-12
    let negated = 'ok' in proto && proto.ok.negate ? 1 : 0;
    for (const side of ['source', 'destination'] as const) {
      const e = r[side];
      if (e?.address) {
        const a = parseAddressSpec(e.address);
        if ('error' in a)
          error([...at, side, 'address'], a.error); // WV-12
        else {
          if (a.warning) warn([...at, side, 'address'], a.warning);
          if (a.ok.negate) negated++;
        }
      }
      if (e?.port && 'ok' in proto) {
        const portsProto = portProtocol(proto.ok);
        if (!portsProto)
          error([...at, side, 'port'], 'ports can only be specified when protocol is "tcp" or "udp"'); // WV-7
        else {
          const p = parsePortSpec(e.port, portsProto);
          if ('error' in p)
            error([...at, side, 'port'], p.error); // WV-7 (service name), WV-12
          else if (p.ok.negate) negated++;
        }
      }
    }
    negatedRun = negated ? negatedRun + 1 : 0;
    if (negatedRun === 2)
      warn(at, 'consecutive rules with negated (!) criteria are easy to get wrong: check the rule order'); // WV-22

    const pool = Object.keys(r.interface ?? {}).sort(byteOrder);
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
      const iat = [...at, 'interface', ifname];
      if (!health[ifname])
        error(iat, `interface ${ifname} has no interface-health: it could never be ACTIVE`); // WV-9
      else if (missing(ifname)) warn(iat, `interface ${ifname} does not exist (yet): it counts as down`); // WV-21
      if (ifname === inboundName) warn(iat, 'inbound interface is the same as the outbound interface'); // WV-16
    }
    if (r['per-packet-balancing'] && !wan['disable-source-nat'])
      warn(
        [...at, 'per-packet-balancing'],
        'per-packet balancing with source NAT sends packets of one connection out of several links with one address',
      ); // WV-19
  }
  if (!anyPool)
    warn(
      rules.length ? ['rule'] : [],
      'At least one rule with an (outbound) interface must be defined for WAN load balancing to be active',
    ); // WV-15

  // ---- WV-20: a static default route at distance 1 outranks DHCP-learned defaults ----
  const defaults = (tree['protocols'] as StaticRoutes | undefined)?.static?.route?.['0.0.0.0/0'];
  const distanceOne = Object.values(defaults?.['next-hop'] ?? {}).some((h) => Number(h.distance ?? 1) === 1);
  if (distanceOne) {
    for (const [ifname, h] of Object.entries(health).sort(([a], [b]) => byteOrder(a, b))) {
      if (h.nexthop === 'dhcp')
        warn(
          ['interface-health', ifname, 'nexthop'],
          'the static default route (distance 1) outranks the DHCP default route (distance 2) in the main table: give it distance 2 to keep both',
        );
    }
  }
  return problems;
}
