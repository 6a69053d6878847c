// What changed in the RAID sets between two looks at the md driver: a member that failed or
// vanished, an array that became degraded, a rebuild that started or finished, an array that is
// whole again. Pure, so every transition is unit-tested; monitor.ts feeds it and reports.
import type { MdSysfs } from '../../platform/mdadm.js';

export interface ArrayHealth {
  md: string;
  degraded: boolean;
  /** idle, recover, resync, check… */
  syncAction: string;
  /** Members md marked faulty (still attached). */
  faulty: string[];
  /** Members holding a slot and in sync. */
  inSync: string[];
  /** Every member md lists (in sync, spare, faulty). */
  members: string[];
}

export function healthOf(md: string, s: MdSysfs): ArrayHealth {
  return {
    md,
    degraded: s.degraded > 0,
    syncAction: s.syncAction,
    faulty: s.members.filter((m) => m.state.includes('faulty')).map((m) => m.device),
    inSync: s.members.filter((m) => m.state.includes('in_sync')).map((m) => m.device),
    members: s.members.map((m) => m.device),
  };
}

export type RaidChange =
  | { kind: 'member-failed'; md: string; member: string }
  | { kind: 'member-gone'; md: string; member: string }
  | { kind: 'degraded'; md: string; inSync: string[] }
  | { kind: 'rebuild-started'; md: string; action: string }
  | { kind: 'rebuild-finished'; md: string; action: string; degraded: boolean }
  | { kind: 'synchronized'; md: string; members: string[] }
  | { kind: 'array-appeared'; md: string; degraded: boolean }
  | { kind: 'array-gone'; md: string };

const REBUILDS = new Set(['recover', 'resync']);

/** The changes from `prev` to `next` (prev empty at the first look: arrays "appear"). */
export function raidChanges(
  prev: ReadonlyMap<string, ArrayHealth>,
  next: ReadonlyMap<string, ArrayHealth>,
): RaidChange[] {
  const out: RaidChange[] = [];
  for (const [md, n] of next) {
    const p = prev.get(md);
    if (!p) {
      out.push({ kind: 'array-appeared', md, degraded: n.degraded });
      continue;
    }
    for (const m of n.faulty) if (!p.faulty.includes(m)) out.push({ kind: 'member-failed', md, member: m });
    // A disk that disappears without md marking it faulty first (hot unplug) just leaves the list.
    for (const m of p.members)
      if (!n.members.includes(m) && !p.faulty.includes(m)) out.push({ kind: 'member-gone', md, member: m });
    if (n.degraded && !p.degraded) out.push({ kind: 'degraded', md, inSync: n.inSync });
    if (REBUILDS.has(n.syncAction) && n.syncAction !== p.syncAction)
      out.push({ kind: 'rebuild-started', md, action: n.syncAction });
    if (REBUILDS.has(p.syncAction) && n.syncAction !== p.syncAction)
      out.push({ kind: 'rebuild-finished', md, action: p.syncAction, degraded: n.degraded });
    const whole = (h: ArrayHealth) => !h.degraded && !REBUILDS.has(h.syncAction);
    if (whole(n) && !whole(p)) out.push({ kind: 'synchronized', md, members: n.inSync });
  }
  for (const md of prev.keys()) if (!next.has(md)) out.push({ kind: 'array-gone', md });
  return out;
}

/** The log line of a change and whether it is an error (a failure the operator must act on). */
export function describeChange(c: RaidChange): { error: boolean; message: string } {
  switch (c.kind) {
    case 'member-failed':
      return { error: true, message: `RAID set ${c.md}: member ${c.member} failed` };
    case 'member-gone':
      return { error: true, message: `RAID set ${c.md}: member ${c.member} is gone` };
    case 'degraded':
      return {
        error: true,
        message: `RAID set ${c.md} is degraded: running on ${c.inSync.join(', ') || 'no member'} only`,
      };
    case 'rebuild-started':
      return {
        error: false,
        message: `RAID set ${c.md}: ${c.action === 'recover' ? 'rebuilding onto a new member' : 'resynchronizing'}`,
      };
    case 'rebuild-finished':
      return {
        error: c.degraded,
        message: `RAID set ${c.md}: ${c.action === 'recover' ? 'rebuild' : 'resync'} ${c.degraded ? 'stopped; still degraded' : 'finished'}`,
      };
    case 'synchronized':
      return { error: false, message: `RAID set ${c.md} is synchronized (${c.members.join(', ')})` };
    case 'array-appeared':
      return {
        error: c.degraded,
        message: `RAID set ${c.md} found${c.degraded ? ' degraded' : ''}`,
      };
    case 'array-gone':
      return { error: false, message: `RAID set ${c.md} stopped` };
  }
}
