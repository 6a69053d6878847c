// iproute2: namespaces, links, addresses, routes. Every call may target a network namespace by
// name (`ip -n`), so nothing here ever needs to enter the root namespace's configuration.
import { run } from './run.js';

export interface LinkInfo {
  ifname: string;
  ifindex: number;
  operstate: string;
  address?: string;
  flags: string[];
  master?: string;
  link_type?: string;
}

export interface AddrInfo {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number; secondary?: boolean }[];
}

export interface RouteInfo {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  table?: string;
}

function ip(ns: string | undefined, ...args: string[]): string[] {
  return ns ? ['ip', '-n', ns, ...args] : ['ip', ...args];
}

export async function netnsList(): Promise<string[]> {
  const { stdout } = await run(['ip', '-json', 'netns', 'list']);
  if (!stdout.trim()) return [];
  return (JSON.parse(stdout) as { name: string }[]).map((n) => n.name);
}

export async function netnsAdd(name: string): Promise<void> {
  await run(['ip', 'netns', 'add', name]);
}

export async function netnsDelete(name: string): Promise<void> {
  await run(['ip', 'netns', 'delete', name]);
}

/** PIDs of the processes whose network namespace is `name`. */
export async function netnsPids(name: string): Promise<number[]> {
  const { stdout } = await run(['ip', 'netns', 'pids', name], { allowFailure: true });
  return stdout
    .split('\n')
    .map((l) => Number.parseInt(l, 10))
    .filter((n) => Number.isInteger(n));
}

/** A veth pair created directly between two namespaces: neither end ever exists in the root one. */
export async function vethPair(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
  await run(ip(nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB));
}

export async function bridgeAdd(ns: string, name: string): Promise<void> {
  await run(ip(ns, 'link', 'add', name, 'type', 'bridge'));
  // The bridge forwards at once (no STP listening delay) and keeps no multicast snooping state
  // that could drop VRRP/heartbeat multicast.
  await run(
    ip(
      ns,
      'link',
      'set',
      name,
      'type',
      'bridge',
      'stp_state',
      '0',
      'forward_delay',
      '0',
      'mcast_snooping',
      '0',
    ),
  );
}

export async function linkSetMaster(ns: string, ifname: string, master: string): Promise<void> {
  await run(ip(ns, 'link', 'set', ifname, 'master', master));
}

export async function linkSetUp(ns: string | undefined, ifname: string, up = true): Promise<void> {
  await run(ip(ns, 'link', 'set', ifname, up ? 'up' : 'down'));
}

export async function linkSetMac(ns: string, ifname: string, mac: string): Promise<void> {
  await run(ip(ns, 'link', 'set', ifname, 'address', mac));
}

export async function addrAdd(ns: string | undefined, ifname: string, prefix: string): Promise<void> {
  // nodad: lab IPv6 addresses are usable at once (no 1-2 s duplicate address detection).
  const extra = prefix.includes(':') ? ['nodad'] : [];
  await run(ip(ns, 'addr', 'add', prefix, 'dev', ifname, ...extra));
}

/** Adds (or keeps) a secondary address with an optional label and broadcast (cluster addresses). */
export async function addrReplace(
  ifname: string,
  prefix: string,
  opts: { label?: string; broadcast?: string } = {},
): Promise<void> {
  const extra = [
    ...(opts.broadcast ? ['brd', opts.broadcast] : []),
    ...(opts.label ? ['label', opts.label] : []),
  ];
  await run(ip(undefined, 'addr', 'replace', prefix, ...extra, 'dev', ifname));
}

export async function addrDelete(ns: string | undefined, ifname: string, prefix: string): Promise<void> {
  await run(ip(ns, 'addr', 'del', prefix, 'dev', ifname));
}

/** Sets the interface description (ifalias); an empty string clears it. */
export async function linkSetAlias(ifname: string, alias: string): Promise<void> {
  await run(['ip', 'link', 'set', 'dev', ifname, 'alias', alias]);
}

export async function routeAdd(
  ns: string | undefined,
  dst: string,
  via: string | undefined,
  dev?: string,
): Promise<void> {
  const args = ['route', 'replace', dst];
  if (via) args.push('via', via);
  if (dev) args.push('dev', dev);
  await run(ip(ns, ...args));
}

export async function links(ns?: string): Promise<LinkInfo[]> {
  const { stdout } = await run(ip(ns, '-json', 'link', 'show'));
  return JSON.parse(stdout) as LinkInfo[];
}

export async function addresses(ns?: string): Promise<AddrInfo[]> {
  const { stdout } = await run(ip(ns, '-json', 'addr', 'show'));
  return JSON.parse(stdout) as AddrInfo[];
}

export async function routes(ns?: string, family: '4' | '6' = '4'): Promise<RouteInfo[]> {
  const { stdout } = await run(ip(ns, `-${family}`, '-json', 'route', 'show', 'table', 'all'));
  return JSON.parse(stdout) as RouteInfo[];
}

/** Bridge ports of a namespace with their STP state (`forwarding`, `disabled`, …). */
export async function bridgePorts(ns: string): Promise<{ ifname: string; state: string }[]> {
  const { stdout } = await run(['bridge', '-n', ns, '-json', 'link', 'show']);
  return JSON.parse(stdout) as { ifname: string; state: string }[];
}
