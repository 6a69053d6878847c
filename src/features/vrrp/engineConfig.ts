// From a group record to what the native engine takes: wire units, address bytes, the resolved
// primary (source) address of V-12.
import type { RawVrrpGroupConfig } from '../../native/addon.js';
import { parsePrefix } from '../../net/ipAddress.js';
import type { VrrpGroup } from './groups.js';

/**
 * The primary address of a group (V-12), as text; undefined when there is none (FAULT).
 * `kernelIpv4` lists the parent's non-secondary IPv4 addresses in the kernel, VIPs left out: the
 * source of a parent without a configured address (one that leases its address by DHCP).
 */
export function primaryAddress(
  g: VrrpGroup,
  parentAddresses: readonly string[],
  linkLocal: (ifname: string) => string | undefined,
  kernelIpv4: (ifname: string) => readonly string[] = () => [],
): string | undefined {
  if (g.helloSourceAddress) return parsePrefix(g.helloSourceAddress)?.address;
  if (g.family === 6) return linkLocal(g.interface);
  const own = parentAddresses.map((a) => parsePrefix(a)).find((p) => p?.family === 4);
  if (own) return own.address;
  // Owner layout (a): no address on the parent, the first VIP is the router's address.
  if (g.owner) return g.vips[0]?.address;
  return kernelIpv4(g.interface)[0];
}

/** Whether a group's primary address comes from the kernel (and may change under it). */
export function followsKernelAddress(g: VrrpGroup, parentAddresses: readonly string[]): boolean {
  return (
    !g.helloSourceAddress &&
    g.family === 4 &&
    !g.owner &&
    !parentAddresses.some((a) => parsePrefix(a)?.family === 4)
  );
}

const AUTH = { none: 0, 'plaintext-password': 1, ah: 2 } as const;
const CSUM = { auto: 0, rfc9568: 1, 'pseudo-header': 2 } as const;

export function engineConfigOf(g: VrrpGroup, primary: string | undefined): RawVrrpGroupConfig {
  const p = primary ? parsePrefix(primary) : undefined;
  return {
    parent: g.interface,
    vrrpIfname: g.vrrpInterface ?? '',
    syncGroup: g.syncGroup ?? '',
    vrid: g.vrid,
    version: g.version,
    family: g.family,
    priority: g.priority,
    interval: g.version === 3 ? Math.round(g.intervalMs / 10) : Math.round(g.intervalMs / 1000),
    preempt: g.preempt,
    accept: g.accept,
    disabled: g.disabled,
    preemptDelay: g.preemptDelaySeconds,
    startDelay: g.startDelaySeconds,
    primary: p ? Buffer.from(p.bytes) : null,
    authType: AUTH[g.auth?.type ?? 'none'],
    password: g.auth?.password ?? '',
    v3Checksum: CSUM[g.v3Checksum],
    vips: g.vips.map((v) => ({
      address: Buffer.from(v.bytes),
      prefix: v.length ?? (v.family === 4 ? 32 : 128),
    })),
    track: g.track.map((t) => ({
      ifname: t.ifname,
      weight: t.weight ? (t.weight.type === 'increment' ? t.weight.value : -t.weight.value) : 0,
    })),
  };
}
