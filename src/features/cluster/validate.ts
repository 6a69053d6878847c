// Commit-time rules of clustering (spec clustering.md §2.4, CV-1…CV-26), each with its path.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ConfigTree } from '../../config/tree.js';
import type { ConfigPathError } from '../../errors.js';
import { pathProblems } from '../pathProblems.js';
import { notUnicastHost, parsePrefix, prefixContains } from '../../net/ipAddress.js';
import type { SystemFacts } from '../feature.js';
import { ethernetAddresses } from '../interfaces/apply.js';
import { vrrpGroupsOf } from '../vrrp/groups.js';
import { executable } from '../vrrp/validate.js';
import { clusterConfigOf } from './model.js';
import { type ClusterService, invalidServiceMessage, parseClusterService } from './service.js';

const BASE = ['cluster'];

/** Where named services and resource scripts are looked for, in order (spec §2.3). */
export function clusterScriptDirs(kind: 'named' | 'script'): string[] {
  const own = process.env.TANDEM_CLUSTER_SCRIPTS ?? '/config/scripts/cluster';
  return kind === 'named' ? [own, '/etc/init.d'] : [own, '/etc/ha.d/resource.d'];
}

/** The executable behind a named or script service, or undefined when there is none. */
export function serviceExecutable(s: ClusterService): string | undefined {
  if (s.kind === 'address') return undefined;
  const name = s.kind === 'named' ? s.name : s.script;
  return clusterScriptDirs(s.kind)
    .map((d) => join(d, name))
    .find(executable);
}

/** Built-in service providers of Tandem features (none yet: `ipsec` needs the VPN feature). */
const PROVIDERS = new Set<string>();

export function validateCluster(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
  const c = clusterConfigOf(tree);
  if (!c) return [];
  const { problems, error, warn } = pathProblems(BASE);
  const addresses = ethernetAddresses(tree);

  // Heartbeat links (CV-3, CV-4, CV-26).
  const links = (c.interface ?? []).map(String);
  if (!links.length) error([], 'heartbeat interface(s) not defined');
  for (const ifname of links) {
    if (!facts.interfaces.has(ifname)) error(['interface'], `interface ${ifname} does not exist`);
    else if (!(addresses.get(ifname) ?? []).some((a) => parsePrefix(a)?.family === 4))
      error(['interface'], `interface ${ifname} is not configured`);
    else if (facts.linksDown?.has(ifname)) warn(['interface'], `interface ${ifname} is not connected`); // CV-5
  }
  if (links.length === 1)
    warn(['interface'], 'a single heartbeat interface is a single point of failure (split brain)');

  if (!c['pre-shared-secret']) error([], 'pre-shared secret not defined'); // CV-6

  // Timers (CV-7…CV-10).
  const keepalive = Number(c['keepalive-interval']);
  if (keepalive < 100) error(['keepalive-interval'], 'keepalive interval must be at least 100 milliseconds');
  for (const [node, label] of [
    ['dead-interval', 'dead interval'],
    ['monitor-dead-interval', 'monitor dead interval'],
  ] as const) {
    const v = Number(c[node]);
    if (v < 300) error([node], `${label} must be at least 300 milliseconds`);
    else if (v <= 2 * keepalive) error([node], `${label} must be more than twice the keepalive interval`);
    else if (v >= 30000) error([node], `${label} must be smaller than 30000 milliseconds`);
  }
  if (Number(c['init-dead-interval']) < Number(c['dead-interval']))
    error(['init-dead-interval'], 'init dead interval must be at least the dead interval');
  const mcast = String(c['mcast-group']);
  if (!mcast.startsWith('239.')) error(['mcast-group'], 'Heartbeat multicast group must be "239.*.*.*"'); // CV-23

  // The group (CV-1, CV-2, CV-11…CV-22).
  const groups = Object.entries(c.group ?? {});
  if (!groups.length) {
    error([], 'no resource group defined');
    return problems;
  }
  if (groups.length > 1) error(['group'], 'using multiple resource groups is not supported yet');
  const [name, g] = groups[0]!;
  const at = (...p: string[]) => ['group', name, ...p];
  if (!g.primary) error(at(), 'cluster primary system not defined');
  if (!g.secondary) error(at(), 'cluster secondary node(s) not defined');
  if (g.primary && g.primary === g.secondary) error(at('secondary'), 'primary and secondary must differ');
  const system = tree['system'] as { 'host-name'?: string } | undefined;
  const me = system?.['host-name'] ?? hostname();
  if (g.primary && g.secondary && me !== g.primary && me !== g.secondary)
    error(at(), `the current node '${me}' is not defined in the configuration`);

  const values = (g.service ?? []).map(String);
  if (!values.length) error(at(), 'cluster service(s) not defined');
  const own = new Set([...addresses.values()].flat().map((a) => parsePrefix(a)?.address));
  const vips = new Set(
    vrrpGroupsOf(tree).flatMap((v) => v.virtualAddresses.map((a) => parsePrefix(a)?.address)),
  );
  const seen = new Set<string>();
  const clusterAddresses = new Set<string>();
  for (const value of values) {
    const parsed = parseClusterService(value);
    if ('error' in parsed) {
      error(at('service'), parsed.error);
      continue;
    }
    const s = parsed.ok;
    if (seen.has(value)) error(at('service'), `service ${value} is listed twice`);
    seen.add(value);
    if (s.kind === 'address') {
      if (clusterAddresses.has(s.address))
        error(at('service'), `cluster address ${s.address} is listed twice`);
      clusterAddresses.add(s.address);
      if (!addresses.has(s.ifname)) {
        error(at('service'), `interface ${s.ifname} of ${value} is not configured`); // CV-17
        continue;
      }
      if (own.has(s.address) || vips.has(s.address))
        error(at('service'), `cluster address ${s.address} must not be configured on an interface`); // CV-18
      const ip = parsePrefix(s.address)!;
      const home = (addresses.get(s.ifname) ?? [])
        .map((a) => parsePrefix(a))
        .find((p) => p?.family === 4 && p.length !== undefined && prefixContains(p, p.length, ip));
      if (!home)
        error(
          at('service'),
          `cluster address ${s.address} must be in the subnet of an address of ${s.ifname}`,
        ); // CV-19
      else if (home.length !== s.prefix)
        warn(
          at('service'),
          `cluster address ${s.address}/${s.prefix} has another prefix than ${s.ifname}'s /${home.length}`,
        ); // CV-20
    } else if (s.kind === 'named' && s.name === 'ipsec' && !PROVIDERS.has('ipsec')) {
      error(at('service'), 'ipsec is not configured'); // CV-16
    } else if (!(s.kind === 'named' && PROVIDERS.has(s.name)) && !serviceExecutable(s)) {
      error(at('service'), invalidServiceMessage(value)); // CV-15
    }
  }

  for (const m of (g.monitor ?? []).map(String)) {
    const ip = parsePrefix(m);
    if (!ip || notUnicastHost(ip)) error(at('monitor'), `monitor ${m} is not a unicast host address`);
    else if (clusterAddresses.has(m)) error(at('monitor'), `monitor ${m} is a cluster address of the group`);
    else if (own.has(m)) error(at('monitor'), `monitor ${m} is an address of this router`);
  }
  return problems;
}
