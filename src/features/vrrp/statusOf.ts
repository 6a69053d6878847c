// The status JSON of a group (spec §3.14) from its configured record and the engine's snapshot.
import type { RawVrrpStatus } from '../../native/addon.js';
import { addressText } from '../../net/ipAddress.js';
import type { VrrpGroup } from './groups.js';
import type { VrrpCounters, VrrpGroupStatus, VrrpState } from './status.js';

export function macText(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export { addressText };

function counters(raw: RawVrrpStatus | undefined): VrrpCounters {
  const c = raw?.counters;
  const d = (name: string) => c?.drops[name] ?? 0;
  return {
    advertisementsReceived: c?.advertisementsReceived ?? 0,
    advertisementsSent: c?.advertisementsSent ?? 0,
    becameMaster: c?.becameMaster ?? 0,
    releasedMaster: c?.releasedMaster ?? 0,
    lengthErrors: d('length'),
    ttlErrors: d('ttl'),
    invalidTypeErrors: d('invalid-type'),
    advertisementIntervalErrors: d('advertisement-interval'),
    addressListErrors: d('address-list'),
    authInvalidType: d('auth-invalid-type'),
    authTypeMismatch: d('auth-type-mismatch'),
    authFailures: d('auth-failure'),
    priorityZeroReceived: c?.priorityZeroReceived ?? 0,
    priorityZeroSent: c?.priorityZeroSent ?? 0,
    versionErrors: d('version'),
    checksumErrors: d('checksum'),
    ownerDiscards: d('owner-discard'),
  };
}

export function groupStatus(
  g: VrrpGroup,
  raw: RawVrrpStatus | undefined,
  source: string | undefined,
  nowMs: number,
): VrrpGroupStatus {
  const since = raw?.lastTransitionUnixMs ?? nowMs;
  const vmacLast = g.vrid.toString(16).padStart(2, '0');
  return {
    instance: g.instance,
    interface: g.interface,
    group: g.vrid,
    version: g.version,
    family: g.family === 6 ? 'ipv6' : 'ipv4',
    state: (raw?.state ?? (g.disabled ? 'DISABLED' : 'INIT')) as VrrpState,
    enabled: !g.disabled,
    lastTransition: new Date(since).toISOString().replace(/\.\d+Z$/, 'Z'),
    lastTransitionSeconds: Math.max(0, Math.floor((nowMs - since) / 1000)),
    rfc3768Compatibility: g.rfc3768,
    vrrpInterface: g.vrrpInterface ?? null,
    virtualMac: `00:00:5e:00:0${g.family === 6 ? 2 : 1}:${vmacLast}`,
    addressOwner: g.owner,
    sourceAddress: source ?? null,
    priority: g.priority,
    effectivePriority: raw?.effectivePriority ?? g.priority,
    advertisementIntervalMs: g.intervalMs,
    masterAdvertisementIntervalMs: raw ? Math.round(raw.masterAdverIntervalUs / 1000) : g.intervalMs,
    skewTimeUs: raw?.skewUs ?? 0,
    masterDownIntervalUs: raw?.masterDownUs ?? 0,
    authenticationType: g.auth?.type ?? 'none',
    preempt: g.preempt,
    preemptDelaySeconds: g.preemptDelaySeconds,
    startDelaySeconds: g.startDelaySeconds,
    accept: g.version === 3 ? g.accept : null,
    syncGroup: g.syncGroup ?? null,
    master: raw?.master
      ? {
          address: addressText(raw.master.address),
          mac: macText(raw.master.mac),
          priority: raw.master.priority,
          advertisementIntervalMs: Math.round(raw.master.intervalUs / 1000),
          lastSeen: '',
        }
      : null,
    virtualAddresses: g.virtualAddresses,
    track: g.track.map((t, i) => ({
      interface: t.ifname,
      state: raw?.trackUp[i] === false ? 'DOWN' : 'UP',
      weight: t.weight ?? null,
    })),
    counters: counters(raw),
  };
}
