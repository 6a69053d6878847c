// add raid <md> member <part> and delete raid <md> member <part>: every check of spec R-10 and
// R-20/R-22 made before anything is written (pure, against a snapshot of the system), then mdadm.
import { existsSync } from 'node:fs';
import { bareDeviceName, inUse, type BlockDevice } from '../../platform/blockDevices.js';
import {
  mdadmAdd,
  mdadmFail,
  mdadmRemove,
  mdadmStop,
  mdadmZeroSuperblock,
  type MdSysfs,
} from '../../platform/mdadm.js';
import { RaidError } from './errors.js';

/** What the checks look at: the arrays (by name) and the block-device tree. */
export interface RaidSnapshot {
  arrays: ReadonlyMap<string, MdSysfs>;
  devices: readonly BlockDevice[];
}

function findDevice(devices: readonly BlockDevice[], name: string): BlockDevice | null {
  for (const d of devices) {
    if (d.name === name) return d;
    const c = findDevice(d.children, name);
    if (c) return c;
  }
  return null;
}

export function requireArray(snap: RaidSnapshot, md: string): MdSysfs {
  const a = snap.arrays.get(bareDeviceName(md));
  if (!a || a.level !== 'raid1') throw new RaidError(`${bareDeviceName(md)} is not a RAID set`);
  return a;
}

const memberList = (a: MdSysfs) => a.members.map((m) => m.device).join(', ') || 'none';

/** The member to add, checked (R-10); `signature` names data already on it (asked about). */
export function checkAdd(
  snap: RaidSnapshot,
  mdName: string,
  partName: string,
): { md: string; part: string; signature: string | null } {
  const md = bareDeviceName(mdName);
  const part = bareDeviceName(partName);
  const a = requireArray(snap, md);
  const dev = findDevice(snap.devices, part);
  if (!dev || dev.type !== 'part') throw new RaidError(`${part} is not a valid disk partition`);
  if (a.members.some((m) => m.device === part))
    throw new RaidError(`${part} is already a member of ${md} (members: ${memberList(a)})`);
  if (inUse(dev)) {
    const other = dev.children.find((c) => c.type.startsWith('raid'))?.name;
    throw new RaidError(
      `${part} is in use (${other ? `member of ${other}` : dev.mountpoints.length ? `mounted on ${dev.mountpoints[0]}` : 'swap'})`,
    );
  }
  const working = a.members.filter((m) => !m.state.includes('faulty')).length;
  if (working >= a.raidDisks)
    throw new RaidError(
      `${md} already has ${working} working members (${memberList(a)}): only two-disk RAID 1 is supported`,
    );
  // The data area of a member plus the superblock area the existing members reserve before it.
  const offset = Math.max(0, ...a.members.map((m) => m.dataOffsetSectors)) * 512;
  const needed = a.componentSizeKiB * 1024 + offset;
  if (dev.sizeBytes < needed)
    throw new RaidError(
      `${part} is too small for ${md}: ${dev.sizeBytes} bytes, at least ${needed} needed (use format <disk> like <disk>)`,
    );
  return { md, part, signature: dev.fstype };
}

/** The member to delete, checked (R-20, R-22). */
export function checkDelete(
  snap: RaidSnapshot,
  mdName: string,
  partName: string,
): { md: string; part: string } {
  const md = bareDeviceName(mdName);
  const part = bareDeviceName(partName);
  const a = requireArray(snap, md);
  const member = a.members.find((m) => m.device === part);
  if (!member) throw new RaidError(`${part} is not a member of ${md} (members: ${memberList(a)})`);
  if (a.members.length === 1)
    throw new RaidError(`can't remove the last member of a RAID set (${part} of ${md})`);
  const complete = a.members.filter((m) => m.state.includes('in_sync') && !m.state.includes('faulty'));
  if (complete.length === 1 && complete[0]!.device === part)
    throw new RaidError(
      `${part} holds the only complete copy of ${md}: the other member is ${a.members.some((m) => m.state.includes('faulty')) ? 'failed' : 'still being rebuilt'}; it cannot be removed`,
    );
  return { md, part };
}

/** Adds a checked member (the caller has confirmed erasing `signature`, if any). */
export async function addMember(md: string, part: string, signature: string | null): Promise<void> {
  if (signature) await mdadmZeroSuperblock(part);
  await mdadmAdd(md, part);
}

/** Fails (unless already faulty) and removes a checked member, then clears its superblock. */
export async function deleteMember(md: string, part: string, faulty: boolean): Promise<void> {
  // A disk that vanished has no /dev node left: md still lists it, mdadm finds it as "detached".
  const present = existsSync(`/dev/${part}`);
  if (!faulty) await mdadmFail(md, present ? part : 'detached');
  await mdadmRemove(md, present ? part : 'detached');
  // Its old superblock would make the next boot consider it a stale half of the array.
  if (present) await mdadmZeroSuperblock(part);
}

/**
 * Stops an array and clears its members' superblocks, so it is never assembled again (the
 * installer's "do not use this one": spec §6 item 13).
 */
export async function breakMirror(md: string, members: readonly string[]): Promise<void> {
  await mdadmStop(md);
  for (const m of members) await mdadmZeroSuperblock(m);
}
