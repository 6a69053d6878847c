// The runtime status of VRRP groups as `show vrrp … --json` carries it (spec vrrp.md §3.14): what
// the engine reports, joined with the configured group record.

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'DISABLED';

export interface VrrpCounters {
  advertisementsReceived: number;
  advertisementsSent: number;
  becameMaster: number;
  releasedMaster: number;
  lengthErrors: number;
  ttlErrors: number;
  invalidTypeErrors: number;
  advertisementIntervalErrors: number;
  addressListErrors: number;
  authInvalidType: number;
  authTypeMismatch: number;
  authFailures: number;
  priorityZeroReceived: number;
  priorityZeroSent: number;
  versionErrors: number;
  checksumErrors: number;
  ownerDiscards: number;
}

export interface VrrpInterfaceCounters {
  unknownVrid: number;
  badDestination: number;
  malformed: number;
}

export interface VrrpGroupStatus {
  instance: string;
  interface: string;
  group: number;
  version: 2 | 3;
  family: 'ipv4' | 'ipv6';
  state: VrrpState;
  enabled: boolean;
  lastTransition: string;
  lastTransitionSeconds: number;
  rfc3768Compatibility: boolean;
  vrrpInterface: string | null;
  virtualMac: string;
  addressOwner: boolean;
  sourceAddress: string | null;
  priority: number;
  effectivePriority: number;
  advertisementIntervalMs: number;
  masterAdvertisementIntervalMs: number;
  skewTimeUs: number;
  masterDownIntervalUs: number;
  authenticationType: 'none' | 'plaintext-password' | 'ah';
  preempt: boolean;
  preemptDelaySeconds: number;
  startDelaySeconds: number;
  accept: boolean | null;
  syncGroup: string | null;
  master: {
    address: string;
    mac: string;
    priority: number;
    advertisementIntervalMs: number;
    lastSeen: string;
  } | null;
  virtualAddresses: string[];
  track: { interface: string; state: 'UP' | 'DOWN'; weight: { type: string; value: number } | null }[];
  counters: VrrpCounters;
}

export interface VrrpStatus {
  groups: VrrpGroupStatus[];
  interfaces: ({ interface: string } & VrrpInterfaceCounters)[];
  syncGroups: {
    name: string;
    state: VrrpState;
    members: { interface: string; group: number; state: VrrpState }[];
  }[];
}
