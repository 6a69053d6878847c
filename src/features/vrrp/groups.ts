// The VRRP groups of a configuration tree as plain records: what validation, the engine and
// `show vrrp` work with. Reads a tree that carries schema defaults.
import { crc32 } from 'node:zlib';
import type { ConfigTree } from '../../config/tree.js';
import { type IpPrefix, parsePrefix } from '../../net/ipAddress.js';
import type { VrrpConfig, VrrpGroupConfig } from './schema.js';

export interface VrrpTrack {
  ifname: string;
  weight?: { type: 'increment' | 'decrement'; value: number };
}

export interface VrrpGroup {
  /** `<parent>-<vrid>`, the handle in logs and commands. */
  instance: string;
  interface: string;
  vrid: number;
  version: 2 | 3;
  family: 4 | 6;
  priority: number;
  owner: boolean;
  preempt: boolean;
  preemptDelaySeconds: number;
  accept: boolean;
  /** Local advertisement interval: v2 whole seconds, v3 centisecond steps. */
  intervalMs: number;
  auth?: { type: 'ah' | 'plaintext-password'; password: string };
  helloSourceAddress?: string;
  rfc3768: boolean;
  /** The VRRP (macvlan) interface of an RFC 3768 group. */
  vrrpInterface?: string;
  interfaceDescription?: string;
  /** As configured (with or without prefix), in configured order. */
  virtualAddresses: string[];
  vips: IpPrefix[];
  syncGroup?: string;
  disabled: boolean;
  description?: string;
  scripts: { master?: string; backup?: string; fault?: string };
  track: VrrpTrack[];
  v3Checksum: 'auto' | 'rfc9568' | 'pseudo-header';
  startDelaySeconds: number;
}

/** Interface names in natural order: eth2 before eth10, eth1 before eth1.4001. */
export function compareInterfaceNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** `<parent>v<vrid>`, or `vrrp` + CRC-32 when that exceeds Linux's 15 characters (spec §2.6). */
export function vrrpInterfaceName(parent: string, vrid: number): string {
  const name = `${parent}v${vrid}`;
  return name.length <= 15 ? name : `vrrp${crc32(name).toString(16).padStart(8, '0')}`;
}

export function vrrpConfigsOf(tree: ConfigTree): [string, VrrpConfig][] {
  const ethernet = (tree['interfaces'] as { ethernet?: Record<string, { vrrp?: VrrpConfig }> } | undefined)
    ?.ethernet;
  return Object.entries(ethernet ?? {})
    .filter(([, e]) => e.vrrp !== undefined)
    .map(([name, e]) => [name, e.vrrp!] as [string, VrrpConfig])
    .sort(([a], [b]) => compareInterfaceNames(a, b));
}

export function vrrpGroupsOf(tree: ConfigTree): VrrpGroup[] {
  return vrrpConfigsOf(tree).flatMap(([ifname, vrrp]) =>
    Object.entries(vrrp['vrrp-group'] ?? {})
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([id, g]) => groupOf(ifname, Number(id), g, vrrp['start-delay'] ?? 0)),
  );
}

function groupOf(ifname: string, vrid: number, g: VrrpGroupConfig, startDelay: number): VrrpGroup {
  const version = (g.version ?? 2) as 2 | 3;
  const virtualAddresses = (g['virtual-address'] ?? []).map(String);
  const vips = virtualAddresses.map((v) => parsePrefix(v)).filter((p): p is IpPrefix => p !== undefined);
  const auth = g.authentication;
  const rfc3768 = g['rfc3768-compatibility'] === true;
  const fast = g['fast-advertise-interval'];
  return {
    instance: `${ifname}-${vrid}`,
    interface: ifname,
    vrid,
    version,
    family: vips[0]?.family ?? 4,
    priority: g.priority ?? 100,
    owner: (g.priority ?? 100) === 255,
    preempt: (g.preempt ?? 'true') === 'true',
    preemptDelaySeconds: g['preempt-delay'] ?? 0,
    accept: g.accept === 'true',
    intervalMs: version === 3 && fast !== undefined ? fast : (g['advertise-interval'] ?? 1) * 1000,
    ...(auth?.type && auth.password ? { auth: { type: auth.type, password: auth.password } } : {}),
    ...(g['hello-source-address'] ? { helloSourceAddress: g['hello-source-address'] } : {}),
    rfc3768,
    ...(rfc3768 ? { vrrpInterface: vrrpInterfaceName(ifname, vrid) } : {}),
    ...(g.interface?.description ? { interfaceDescription: g.interface.description } : {}),
    virtualAddresses,
    vips,
    ...(g['sync-group'] ? { syncGroup: g['sync-group'] } : {}),
    disabled: g.disable === true,
    ...(g.description ? { description: g.description } : {}),
    scripts: { ...g['run-transition-scripts'] },
    track: Object.entries(g.track?.interface ?? {}).map(([name, t]) => ({
      ifname: name,
      // Both are mandatory inside weight: validation guarantees them.
      ...(t.weight ? { weight: { type: t.weight.type!, value: t.weight.value! } } : {}),
    })),
    v3Checksum: g['v3-checksum'] ?? 'auto',
    startDelaySeconds: startDelay,
  };
}
