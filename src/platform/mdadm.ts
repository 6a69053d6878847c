// Linux software RAID: mdadm and the md driver's sysfs. The only code that runs mdadm or reads
// /sys/block/md*.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settleUdev } from './blockDevices.js';
import { run } from './run.js';

const SYS_BLOCK = '/sys/block';

/** Whether this kernel has the md driver (with the raid1 personality loadable or built in). */
export async function mdAvailable(): Promise<boolean> {
  return readFile('/proc/mdstat', 'utf8').then(
    () => true,
    () => false,
  );
}

/** The md arrays the kernel knows (md0, md127, …), sorted. */
export async function mdArrays(): Promise<string[]> {
  const names = await readdir(SYS_BLOCK).catch(() => [] as string[]);
  const arrays: string[] = [];
  for (const n of names)
    if (/^md\d+$/.test(n) && (await readFile(join(SYS_BLOCK, n, 'md', 'level'), 'utf8').catch(() => '')))
      arrays.push(n);
  return arrays.sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
}

/** One md array's state as the kernel reports it in /sys/block/<md>/md/. */
export interface MdSysfs {
  level: string;
  /** clear, inactive, readonly, clean, active, active-idle, write-pending, … */
  arrayState: string;
  /** Number of missing members. */
  degraded: number;
  /** idle, resync, recover, check, repair, frozen, reshape. */
  syncAction: string;
  /** Progress of the running sync: [done, total] sectors; null when none runs (or "delayed"). */
  syncCompleted: [number, number] | null;
  /** "delayed"/"pending" when md queued the sync behind another array on the same disks. */
  syncDelayed: boolean;
  raidDisks: number;
  /** KiB of each member the array uses. */
  componentSizeKiB: number;
  members: MdMemberSysfs[];
}

export interface MdMemberSysfs {
  /** Kernel name of the member (vda3). */
  device: string;
  /** Slot in the mirror; null for a spare or a faulty member. */
  slot: number | null;
  /** Flags of the member's sysfs state: in_sync, faulty, spare, write_mostly, blocked, … */
  state: string[];
  /** Sectors before the data on this member (the superblock area). */
  dataOffsetSectors: number;
}

const attr = (md: string, name: string) =>
  readFile(join(SYS_BLOCK, md, 'md', name), 'utf8').then(
    (s) => s.trim(),
    () => '',
  );

export async function readMdSysfs(md: string): Promise<MdSysfs> {
  const dir = join(SYS_BLOCK, md, 'md');
  const members: MdMemberSysfs[] = [];
  for (const e of await readdir(dir).catch(() => [] as string[])) {
    if (!e.startsWith('dev-')) continue;
    const slot = await attr(md, `${e}/slot`);
    members.push({
      device: e.slice(4),
      slot: /^\d+$/.test(slot) ? Number(slot) : null,
      state: (await attr(md, `${e}/state`)).split(',').filter(Boolean),
      dataOffsetSectors: Number(await attr(md, `${e}/offset`)) || 0,
    });
  }
  const completed = await attr(md, 'sync_completed');
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(completed);
  return {
    level: await attr(md, 'level'),
    arrayState: await attr(md, 'array_state'),
    degraded: Number(await attr(md, 'degraded')) || 0,
    syncAction: (await attr(md, 'sync_action')) || 'idle',
    syncCompleted: m ? [Number(m[1]), Number(m[2])] : null,
    syncDelayed: completed === 'delayed' || completed === 'pending',
    raidDisks: Number(await attr(md, 'raid_disks')) || 0,
    componentSizeKiB: Number(await attr(md, 'component_size')) || 0,
    members: members.sort((a, b) => a.device.localeCompare(b.device)),
  };
}

/** `mdadm --detail /dev/<md>` as text (parsed by features/raid/arrayDetail.ts). */
export async function mdadmDetail(md: string): Promise<string> {
  const { stdout } = await run(['mdadm', '--detail', `/dev/${md}`]);
  return stdout;
}

export interface CreateMirrorOptions {
  md: string;
  members: readonly string[];
  /**
   * The array's name in its superblock. With homehost "any" every initramfs and system treats the
   * array as its own and assembles it under /dev/md<name> — no per-machine mdadm.conf needed, so
   * an upgrade image boots the mirror as it is.
   */
  name: string;
}

/** Creates a two-member RAID 1 with 1.2 metadata (read by GRUB's mdraid1x and the kernel). */
export async function mdadmCreateMirror({ md, members, name }: CreateMirrorOptions): Promise<void> {
  await run(
    [
      'mdadm',
      '--create',
      `/dev/${md}`,
      '--run',
      '--level=1',
      `--raid-devices=${members.length}`,
      '--metadata=1.2',
      '--homehost=any',
      `--name=${name}`,
      ...members.map((m) => `/dev/${m}`),
    ],
    { timeoutMs: 120_000 },
  );
  await settleUdev();
}

export async function mdadmAdd(md: string, member: string): Promise<void> {
  await run(['mdadm', `/dev/${md}`, '--add', `/dev/${member}`], { timeoutMs: 120_000 });
}

/** A member by kernel name, or every member whose device has gone ("detached"). */
const memberArg = (member: string) => (member === 'detached' ? 'detached' : `/dev/${member}`);

export async function mdadmFail(md: string, member: string): Promise<void> {
  await run(['mdadm', `/dev/${md}`, '--fail', memberArg(member)], { timeoutMs: 120_000 });
}

/** Removes a faulty or spare member; a member md has already dropped ("detached") is fine too. */
export async function mdadmRemove(md: string, member: string): Promise<void> {
  await run(['mdadm', `/dev/${md}`, '--remove', memberArg(member)], { timeoutMs: 120_000 });
}

/** Clears an md superblock (a partition that leaves an array, or a foreign one before an add). */
export async function mdadmZeroSuperblock(device: string): Promise<void> {
  await run(['mdadm', '--zero-superblock', '--force', `/dev/${device}`], {
    timeoutMs: 120_000,
    allowFailure: true,
  });
}

/** Stops an array (the installer's own, before the machine reboots into it). */
export async function mdadmStop(md: string): Promise<void> {
  await run(['mdadm', '--stop', `/dev/${md}`], { timeoutMs: 120_000 });
}
