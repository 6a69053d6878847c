import { describe, expect, it } from 'vitest';
import {
  formatElapsed,
  NOT_RUNNING,
  renderVrrpDetail,
  renderVrrpSummary,
} from '../../../src/features/vrrp/show.js';
import type { VrrpCounters, VrrpGroupStatus } from '../../../src/features/vrrp/status.js';

const zero = Object.fromEntries(
  [
    'advertisementsReceived',
    'advertisementsSent',
    'becameMaster',
    'releasedMaster',
    'lengthErrors',
    'ttlErrors',
    'invalidTypeErrors',
    'advertisementIntervalErrors',
    'addressListErrors',
    'authInvalidType',
    'authTypeMismatch',
    'authFailures',
    'priorityZeroReceived',
    'priorityZeroSent',
    'versionErrors',
    'checksumErrors',
    'ownerDiscards',
  ].map((k) => [k, 0]),
) as unknown as VrrpCounters;

function group(ifname: string): VrrpGroupStatus {
  return {
    instance: `${ifname}-10`,
    interface: ifname,
    group: 10,
    version: 2,
    family: 'ipv4',
    state: 'BACKUP',
    enabled: true,
    lastTransition: '2026-02-14T21:29:19Z',
    lastTransitionSeconds: 138,
    rfc3768Compatibility: true,
    vrrpInterface: `${ifname}v10`,
    virtualMac: '00:00:5e:00:01:0a',
    addressOwner: false,
    sourceAddress: '10.0.0.11',
    priority: 100,
    effectivePriority: 100,
    advertisementIntervalMs: 1000,
    masterAdvertisementIntervalMs: 1000,
    skewTimeUs: 609375,
    masterDownIntervalUs: 3609375,
    authenticationType: 'none',
    preempt: false,
    preemptDelaySeconds: 0,
    startDelaySeconds: 0,
    accept: null,
    syncGroup: 'SYNC',
    master: {
      address: '10.0.0.12',
      mac: '00:00:5e:00:01:0a',
      priority: 100,
      advertisementIntervalMs: 1000,
      lastSeen: '',
    },
    virtualAddresses: ['10.0.0.1/24'],
    track: [],
    counters: zero,
  };
}

describe('show vrrp layouts', () => {
  it('prints elapsed times as the guide does', () => {
    expect([0, 51, 138, 327, 7887, 273609].map(formatElapsed)).toEqual([
      '0s',
      '51s',
      '2m18s',
      '5m27s',
      '2h11m27s',
      '3d4h0m9s',
    ]);
  });

  it('prints the summary table of Example 2-13 column for column', () => {
    const text = renderVrrpSummary({
      groups: [group('eth0'), group('eth1')],
      interfaces: [],
      syncGroups: [],
    });
    expect(text).toBe(
      [
        '',
        '                                 RFC        Addr   Last        Sync',
        'Interface         Group  State   Compliant  Owner  Transition  Group',
        '---------         -----  -----   ---------  -----  ----------  -----',
        'eth0              10     BACKUP  yes        no     2m18s       SYNC',
        'eth1              10     BACKUP  yes        no     2m18s       SYNC',
        '',
      ].join('\n'),
    );
    expect(renderVrrpSummary({ groups: [], interfaces: [], syncGroups: [] })).toBe(NOT_RUNNING);
  });

  it('prints the detail block of Example 2-14', () => {
    expect(renderVrrpDetail([group('eth0')])).toBe(
      [
        '--------------------------------------------------',
        'Interface: eth0',
        '--------------',
        '  Group: 10',
        '  ----------',
        '  State:                        BACKUP',
        '  Last transition:              2m18s',
        '',
        '  Master router:                10.0.0.12',
        '  Master priority:              100',
        '',
        '  RFC 3768 Compliant',
        '  Virtual MAC interface:        eth0v10',
        '  Address Owner:                no',
        '',
        '  Source Address:               10.0.0.11',
        '  Priority:                     100',
        '  Advertisement interval:       1 sec',
        '  Authentication type:          none',
        '  Preempt:                      disabled',
        '',
        '  Sync-group:                   SYNC',
        '',
        '  VIP count:                    1',
        '    10.0.0.1/24',
        '',
      ].join('\n'),
    );
  });
});
