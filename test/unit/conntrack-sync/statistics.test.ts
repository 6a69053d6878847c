import { describe, expect, it } from 'vitest';
import type { CtsyncStatus } from '../../../src/features/conntrack-sync/index.js';
import { renderStatistics, statisticsOf } from '../../../src/features/conntrack-sync/statistics.js';
import type { CtsyncStats } from '../../../src/native/ctsyncEngine.js';

// The counters behind the guide's Example 4-16 (spec §3.3).
const stats = {
  internal: 3,
  eventsNew: 3477,
  eventsUpdate: 12,
  eventsDestroy: 3474,
  external: 4,
  externalCreated: 11,
  externalUpdated: 8,
  externalDestroyed: 7,
  trafficBytes: 135219375,
  trafficPackets: 163080,
  txBytes: 333248,
  rxBytes: 327592,
  txDatagrams: 8515,
  rxDatagrams: 8137,
  txErrors: 0,
  rxErrors: 0,
  malformed: 0,
  lost: 0,
  authMissing: 1,
  authBad: 2,
  authReplay: 3,
} as Partial<CtsyncStats> as CtsyncStats;

const status = (authenticated: boolean, expectSync: string[] = []): CtsyncStatus => ({
  configured: true,
  interface: 'eth1',
  mcastGroup: '225.0.0.50',
  failoverMechanism: 'vrrp [sync-group TESTING]',
  expectSync,
  authenticated,
  role: 'MASTER',
  lastTransition: null,
  lastCommit: null,
  purgePending: false,
  lastPurge: null,
  guard: null,
  stats,
});

describe('show conntrack-sync statistics (spec §3.3)', () => {
  it("prints the main table block in conntrackd's layout, tabs expanded", () => {
    expect(renderStatistics(statisticsOf(status(false))!, 'both')).toBe(
      [
        '',
        'Main Table Statistics:',
        '',
        'cache internal:',
        'current active connections:                3',
        'connections created:                    3477    failed:            0',
        'connections updated:                      12    failed:            0',
        'connections destroyed:                  3474    failed:            0',
        '',
        'cache external:',
        'current active connections:                4',
        'connections created:                      11    failed:            0',
        'connections updated:                       8    failed:            0',
        'connections destroyed:                     7    failed:            0',
        '',
        'traffic processed:',
        '           135219375 Bytes                    163080 Pckts',
        '',
        'multicast traffic (active device=eth1):',
        '              333248 Bytes sent               327592 Bytes recv',
        '                8515 Pckts sent                 8137 Pckts recv',
        '                   0 Error send                    0 Error recv',
        '',
        'message tracking:',
        '                   0 Malformed msgs                    0 Lost msgs',
      ].join('\n'),
    );
  });

  it('adds the authentication section only for an authenticated channel; JSON per §3.7', () => {
    const st = statisticsOf(status(true))!;
    expect(renderStatistics(st, 'main').split('\n').slice(-2)).toEqual([
      'authentication (datagrams dropped):',
      '                   1 Missing                    2 Bad MAC                    3 Replayed',
    ]);
    expect(st.main.external).toEqual({
      active: 4,
      created: 11,
      createdFailed: 0,
      updated: 8,
      updatedFailed: 0,
      destroyed: 7,
      destroyedFailed: 0,
    });
    expect(st.main.channel).toMatchObject({ type: 'multicast', device: 'eth1', packetsSent: 8515 });
    expect(statisticsOf(status(false))!.authentication).toBeNull();
    expect(st.expect).toBeNull(); // the CLI then says expect-sync is not configured
  });

  it('with expect-sync, prints the Expect Table block after the main one, on the same channel', () => {
    const withExp = { ...stats, expInternal: 1, expEventsNew: 1, expEventsDestroy: 0, expExternal: 0 };
    const st = statisticsOf({ ...status(false, ['ftp']), stats: withExp as CtsyncStats })!;
    expect(st.expect!.internal).toMatchObject({ active: 1, created: 1, destroyed: 0 });
    expect(st.expect!.channel).toEqual(st.main.channel);
    const both = renderStatistics(st, 'both');
    expect(both.indexOf('Expect Table Statistics:')).toBeGreaterThan(both.indexOf('Main Table Statistics:'));
    const only = renderStatistics(st, 'expect').split('\n');
    expect(only.slice(0, 6)).toEqual([
      '',
      'Expect Table Statistics:',
      '',
      'cache internal:',
      'current active connections:                1',
      'connections created:                       1    failed:            0',
    ]);
    expect(renderStatistics(st, 'main')).not.toContain('Expect Table');
  });
});
