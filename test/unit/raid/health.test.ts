// The RAID monitor's view of change: one report per transition, none while nothing changes.
import { describe, expect, it } from 'vitest';
import { describeChange, raidChanges, type ArrayHealth } from '../../../src/features/raid/health.js';

const whole: ArrayHealth = {
  md: 'md0',
  degraded: false,
  syncAction: 'idle',
  faulty: [],
  inSync: ['vda3', 'vdb3'],
  members: ['vda3', 'vdb3'],
};
const at = (h: Partial<ArrayHealth>) => new Map([['md0', { ...whole, ...h }]]);

describe('RAID changes', () => {
  it('reports a failure, the rebuild and the return to a whole mirror, each once', () => {
    const steps = [
      at({}),
      at({ degraded: true, faulty: ['vdb3'], inSync: ['vda3'] }),
      at({ degraded: true, faulty: ['vdb3'], inSync: ['vda3'] }),
      at({ degraded: true, inSync: ['vda3'], members: ['vda3'] }),
      at({ degraded: true, syncAction: 'recover', inSync: ['vda3'], members: ['vda3', 'vdc3'] }),
      at({ degraded: true, syncAction: 'recover', inSync: ['vda3'], members: ['vda3', 'vdc3'] }),
      at({ inSync: ['vda3', 'vdc3'], members: ['vda3', 'vdc3'] }),
    ];
    const kinds = steps.slice(1).map((s, i) => raidChanges(steps[i]!, s).map((c) => c.kind));
    expect(kinds).toEqual([
      ['member-failed', 'degraded'],
      [],
      [], // the operator removed the failed member: no new failure
      ['rebuild-started'],
      [],
      ['rebuild-finished', 'synchronized'],
    ]);
    const failed = raidChanges(steps[0]!, steps[1]!);
    expect(failed.map(describeChange)).toEqual([
      { error: true, message: 'RAID set md0: member vdb3 failed' },
      { error: true, message: 'RAID set md0 is degraded: running on vda3 only' },
    ]);
  });

  it('tells a vanished disk, a first look and a stopped set apart', () => {
    expect(raidChanges(at({}), at({ degraded: true, inSync: ['vda3'], members: ['vda3'] }))).toEqual([
      { kind: 'member-gone', md: 'md0', member: 'vdb3' },
      { kind: 'degraded', md: 'md0', inSync: ['vda3'] },
    ]);
    expect(raidChanges(new Map(), at({ degraded: true }))).toEqual([
      { kind: 'array-appeared', md: 'md0', degraded: true },
    ]);
    expect(describeChange({ kind: 'array-appeared', md: 'md0', degraded: true }).error).toBe(true);
    expect(raidChanges(at({}), new Map())).toEqual([{ kind: 'array-gone', md: 'md0' }]);
    // A resync after an unclean shutdown is not a failure.
    const resync = raidChanges(at({}), at({ syncAction: 'resync' }));
    expect(resync.map((c) => describeChange(c).error)).toEqual([false]);
  });
});
