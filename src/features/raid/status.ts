// show raid [<md>]: the live state of the RAID sets, from the md driver and mdadm.
import { renderTable } from '../../cli/table.js';
import { bareDeviceName, listBlockDevices } from '../../platform/blockDevices.js';
import { mdadmDetail, mdArrays, mdAvailable, readMdSysfs, type MdSysfs } from '../../platform/mdadm.js';
import { runningSystem } from '../system-image/runningSystem.js';
import { systemLayout } from '../system-image/systemDisks.js';
import { arrayView, stateFlags, stateText, syncPercent, type RaidArrayView } from './arrayDetail.js';
import { RaidError } from './errors.js';
import { requireArray, type RaidSnapshot } from './members.js';

export async function requireMd(): Promise<void> {
  if (!(await mdAvailable()))
    throw new RaidError('software RAID is not available on this system (no md driver)');
}

export async function raidSnapshot(): Promise<RaidSnapshot> {
  const arrays = new Map<string, MdSysfs>();
  for (const md of await mdArrays()) arrays.set(md, await readMdSysfs(md));
  return { arrays, devices: await listBlockDevices() };
}

/** The md array the running installed system's root file system is on (null: none). */
export async function rootArray(snap: RaidSnapshot): Promise<string | null> {
  const sys = await runningSystem();
  if (sys.kind !== 'installed') return null;
  return systemLayout(snap.devices, sys.uuid)?.md ?? null;
}

export async function raidArrayView(md: string): Promise<RaidArrayView> {
  await requireMd();
  const snap = await raidSnapshot();
  const name = bareDeviceName(md);
  const sys = requireArray(snap, name);
  return arrayView(name, await mdadmDetail(name), sys, (await rootArray(snap)) === name);
}

export interface RaidSummary {
  device: string;
  level: string;
  stateText: string;
  synchronized: boolean;
  members: { device: string; state: string[] }[];
  rebuildPercent: number | null;
}

/** One line per array (show raid with no argument, a Tandem addition). */
export async function raidSummaries(): Promise<RaidSummary[]> {
  await requireMd();
  const out: RaidSummary[] = [];
  for (const [md, s] of (await raidSnapshot()).arrays) {
    const flags = stateFlags(s, '');
    out.push({
      device: md,
      level: s.level,
      stateText: stateText(flags, s),
      synchronized: flags.synchronized,
      members: s.members.map((m) => ({ device: m.device, state: m.state })),
      rebuildPercent: syncPercent(s),
    });
  }
  return out;
}

export function formatRaidSummaries(list: readonly RaidSummary[]): string {
  if (!list.length) return 'no RAID sets';
  return renderTable(
    ['RAID set', 'Level', 'State', 'Members', 'Rebuild'],
    list.map((a) => [
      a.device,
      a.level,
      a.stateText,
      a.members
        .map(
          (m) =>
            `${m.device}${m.state.includes('faulty') ? '(F)' : m.state.includes('in_sync') ? '' : '(S)'}`,
        )
        .join(' '),
      a.rebuildPercent === null ? '-' : `${a.rebuildPercent}%`,
    ]),
  );
}

/** Rebuilds running on the root RAID set, as warnings for reboot (spec §6 item 12). */
export async function rebuildWarnings(): Promise<string[]> {
  if (!(await mdAvailable())) return [];
  const snap = await raidSnapshot();
  const root = await rootArray(snap);
  const a = root ? snap.arrays.get(root) : undefined;
  if (!root || !a || a.syncAction !== 'recover') return [];
  return [
    `the RAID set ${root} is being rebuilt (${syncPercent(a) ?? 0}% complete): the new disk cannot boot the system before it finishes`,
  ];
}
