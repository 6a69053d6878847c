// Every row of the ownership table (spec clustering.md §4.6), from both nodes' points of view.
import { describe, expect, it } from 'vitest';
import {
  type Decision,
  type OwnershipInput,
  decideOwnership,
} from '../../../src/features/cluster/ownership.js';

const base: OwnershipInput = {
  role: 'primary',
  self: { init: false, holds: false, monitorsReachable: 2 },
  peer: { alive: true, init: false, holds: false, monitorsReachable: 2 },
  leftInitAlone: false,
  forced: null,
  fewerMonitorsSustained: false,
  failbackDue: false,
};

type Case = [
  string,
  Partial<Omit<OwnershipInput, 'self' | 'peer'>> & {
    self?: Partial<OwnershipInput['self']>;
    peer?: Partial<OwnershipInput['peer']>;
  },
  Decision,
];

const acquire = (reason: string) => ({ action: 'acquire', reason }) as Decision;
const release = (reason: string) => ({ action: 'release', reason }) as Decision;
const stay = { action: 'stay' } as Decision;

const cases: Case[] = [
  // Peer dead (or never heard after init): this node holds.
  ['peer dead, not holding: acquire', { peer: { alive: false } }, acquire('peer-dead')],
  [
    'peer dead, secondary not holding: acquire',
    { role: 'secondary', peer: { alive: false } },
    acquire('peer-dead'),
  ],
  ['peer dead, holding: stay', { self: { holds: true }, peer: { alive: false } }, stay],
  [
    'peer dead, even with no monitor reachable (A-15)',
    { self: { monitorsReachable: 0 }, peer: { alive: false, monitorsReachable: 2 } },
    acquire('peer-dead'),
  ],
  [
    'left init without hearing the peer: acquire alone',
    { leftInitAlone: true, peer: { alive: false } },
    acquire('startup-alone'),
  ],
  [
    'forced peer placement does not outlive the peer',
    { forced: 'peer', peer: { alive: false } },
    acquire('peer-dead'),
  ],
  // At least one in init: a holder keeps, nobody acquires.
  ['self in init, peer dead: wait', { self: { init: true }, peer: { alive: false } }, stay],
  ['self in init, peer alive holding nothing: wait', { self: { init: true } }, stay],
  ['self in init but holding (resumed): keep', { self: { init: true, holds: true } }, stay],
  ['peer in init, nobody holds: wait', { peer: { init: true } }, stay],
  ['peer in init, self holds: keep', { self: { holds: true }, peer: { init: true } }, stay],
  // Both alive, nobody holds: more monitors, tie → primary.
  ['nobody holds, tie, primary: acquire', {}, acquire('startup-primary')],
  ['nobody holds, tie, secondary: stay', { role: 'secondary' }, stay],
  [
    'nobody holds, secondary sees more: secondary acquires',
    { role: 'secondary', self: { monitorsReachable: 2 }, peer: { monitorsReachable: 1 } },
    acquire('monitor-count'),
  ],
  ['nobody holds, primary sees fewer: primary waits', { self: { monitorsReachable: 1 } }, stay],
  // Holder with strictly fewer monitors for 2 × keepalive: releases; the other then acquires.
  [
    'holder with fewer monitors, sustained: release',
    { self: { holds: true, monitorsReachable: 1 }, fewerMonitorsSustained: true },
    release('monitor-count'),
  ],
  [
    'holder with fewer monitors, not yet sustained: stay',
    { self: { holds: true, monitorsReachable: 1 } },
    stay,
  ],
  [
    'non-holder with more monitors waits for the release',
    { role: 'secondary', peer: { holds: true, monitorsReachable: 1 } },
    stay,
  ],
  ['equal counts move nothing', { role: 'secondary', self: { holds: true } }, stay],
  // auto-failback: the secondary gives the resources back.
  [
    'secondary holds, failback due: release',
    { role: 'secondary', self: { holds: true }, failbackDue: true },
    release('auto-failback'),
  ],
  [
    'secondary holds, failback not due (false or not yet): stay',
    { role: 'secondary', self: { holds: true } },
    stay,
  ],
  ['primary never fails back to the secondary', { self: { holds: true }, failbackDue: true }, stay],
  ['primary waits while the secondary holds', { peer: { holds: true } }, stay],
  // Split brain healed: keeper by monitors, tie → primary.
  ['both hold, tie, primary keeps', { self: { holds: true }, peer: { holds: true } }, stay],
  [
    'both hold, tie, secondary releases',
    { role: 'secondary', self: { holds: true }, peer: { holds: true } },
    release('split-brain'),
  ],
  [
    'both hold, secondary better connected keeps',
    {
      role: 'secondary',
      self: { holds: true, monitorsReachable: 2 },
      peer: { holds: true, monitorsReachable: 1 },
    },
    stay,
  ],
  [
    'both hold, primary worse connected releases',
    { self: { holds: true, monitorsReachable: 1 }, peer: { holds: true, monitorsReachable: 2 } },
    release('split-brain'),
  ],
  // Forced placement: sticks while both live.
  [
    'forced here, nobody holds: acquire even with fewer monitors',
    { role: 'secondary', forced: 'self', self: { monitorsReachable: 0 } },
    acquire('forced'),
  ],
  [
    'forced here, peer still holds: wait for its release',
    { role: 'secondary', forced: 'self', peer: { holds: true } },
    stay,
  ],
  [
    'forced here and holding: monitors do not move it',
    {
      role: 'secondary',
      forced: 'self',
      self: { holds: true, monitorsReachable: 0 },
      fewerMonitorsSustained: true,
      failbackDue: true,
    },
    stay,
  ],
  ['forced to the peer, holding: release', { forced: 'peer', self: { holds: true } }, release('forced')],
  [
    'forced to the peer, not holding: do not acquire',
    { forced: 'peer', self: { monitorsReachable: 5 } },
    stay,
  ],
];

describe('decideOwnership (spec §4.6)', () => {
  it.each(cases)('%s', (_name, over, want) => {
    const input: OwnershipInput = {
      ...base,
      ...over,
      self: { ...base.self, ...over.self },
      peer: { ...base.peer, ...over.peer },
    };
    expect(decideOwnership(input)).toEqual(want);
  });

  it('never has both live nodes acquire for the same situation', () => {
    // Mirror every two-live-node case and check at most one side acquires.
    for (const [, over] of cases) {
      const a: OwnershipInput = {
        ...base,
        ...over,
        self: { ...base.self, ...over.self },
        peer: { ...base.peer, ...over.peer },
      };
      if (!a.peer.alive || a.self.init || a.peer.init) continue;
      const b: OwnershipInput = {
        ...a,
        role: a.role === 'primary' ? 'secondary' : 'primary',
        self: { init: a.peer.init, holds: a.peer.holds, monitorsReachable: a.peer.monitorsReachable },
        peer: { alive: true, ...a.self },
        forced: a.forced === 'self' ? 'peer' : a.forced === 'peer' ? 'self' : null,
        leftInitAlone: false,
      };
      const both = [decideOwnership(a), decideOwnership(b)].filter((d) => d.action === 'acquire');
      expect(both.length).toBeLessThanOrEqual(1);
    }
  });
});
