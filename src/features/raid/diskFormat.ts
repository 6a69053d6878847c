// show disk <disk> format and format <disk1> like <disk2>: device names, partition type names, the
// fdisk-style view, the refusals, and the copy itself (question, backup, copy, check).
import {
  bareDeviceName,
  GPT_TYPE,
  inUse,
  listBlockDevices,
  partitionName,
  type BlockDevice,
} from '../../platform/blockDevices.js';
import {
  copyPartitionTable,
  readDiskLayout,
  type DiskLayout,
  type PartitionTable,
} from '../../platform/partitionTable.js';
import { RaidError } from './errors.js';

// ---- device names

const DISK = /^(?:(?:sd|vd|xvd|hd)[a-z]+|nvme\d+n\d+|mmcblk\d+|loop\d+)$/;
const PARTITION = /^(?:((?:sd|vd|xvd|hd)[a-z]+)\d+|(nvme\d+n\d+|mmcblk\d+|loop\d+)p\d+)$/;

export interface DeviceName {
  /** Without /dev/. */
  name: string;
  kind: 'disk' | 'partition';
  /** The whole disk: the name itself, or the disk a partition is on. */
  disk: string;
}

/** A disk or partition name of a supported family, with or without /dev/; null for anything else. */
export function parseDeviceName(raw: string): DeviceName | null {
  const name = bareDeviceName(raw.trim());
  if (DISK.test(name)) return { name, kind: 'disk', disk: name };
  const m = PARTITION.exec(name);
  return m ? { name, kind: 'partition', disk: (m[1] ?? m[2])! } : null;
}

/** The whole disk `raw` names, as lsblk lists it; refuses partitions, unknown names, absent disks. */
export function findDisk(raw: string, devices: readonly BlockDevice[]): BlockDevice {
  const d = parseDeviceName(raw);
  if (!d) throw new RaidError(`"${raw}" is not a disk name (like sda, vdb, nvme0n1, mmcblk0 or loop0)`);
  if (d.kind === 'partition')
    throw new RaidError(`${d.name} is a partition, not a whole disk (${d.disk} is)`);
  const disk = devices.find((x) => x.name === d.name && (x.type === 'disk' || x.type === 'loop'));
  if (!disk) throw new RaidError(`there is no disk ${d.name}`);
  return disk;
}

/**
 * Why a disk cannot be re-partitioned: what inUse() refuses (mounts, swap, array members, as the
 * installer does) plus other holders (LVM, dm-crypt), since the kernel refuses a re-read under any.
 */
export function busyReasons(disk: BlockDevice): string[] {
  const reasons: string[] = [];
  const walk = (d: BlockDevice) => {
    for (const m of d.mountpoints)
      reasons.push(m === '[SWAP]' ? `${d.name} is active swap` : `${d.name} is mounted on ${m}`);
    if (d.fstype === 'swap' && !d.mountpoints.includes('[SWAP]')) reasons.push(`${d.name} holds swap`);
    for (const c of d.children) {
      if (c.type.startsWith('raid')) reasons.push(`${d.name} is a member of ${c.name}`);
      else if (c.type !== 'part') reasons.push(`${d.name} is used by ${c.name} (${c.type})`);
      else walk(c);
    }
  };
  walk(disk);
  if (inUse(disk) && reasons.length === 0) reasons.push('in use');
  return reasons;
}

/** the checks on the two names against the devices present; returns (target, source). */
export function checkFormatTargets(
  disk1: string,
  disk2: string,
  devices: readonly BlockDevice[],
): { target: BlockDevice; source: BlockDevice } {
  const a = parseDeviceName(disk1);
  const b = parseDeviceName(disk2);
  if (a && b && a.name === b.name) throw new RaidError(`cannot format ${a.name} like itself: name two disks`);
  const target = findDisk(disk1, devices);
  const source = findDisk(disk2, devices);
  if (target.readOnly) throw new RaidError(`${target.name} is read-only`);
  const busy = busyReasons(target);
  if (busy.length) throw new RaidError(`${target.name} is in use (${busy.join('; ')}): stop using it first`);
  return { target, source };
}

/** GPT keeps a copy of its header and 16 KiB of partition entries in the disk's last sectors. */
export function gptBackupSectors(sectorSize: number): number {
  return 1 + Math.ceil(16384 / sectorSize);
}

const mib = (bytes: number) => `${Math.floor(bytes / 1024 ** 2)} MiB`;

/** R-34 and what else makes a layout impossible to copy; returns the source's table. */
export function checkFits(
  target: string,
  targetLayout: DiskLayout,
  source: string,
  sourceLayout: DiskLayout,
): PartitionTable {
  const t = sourceLayout.table;
  if (!t || t.partitions.length === 0) throw new RaidError(`${source} has no partitions to copy`);
  if (t.label !== 'dos' && t.label !== 'gpt')
    throw new RaidError(
      `${source} has a ${t.label} partition table: only dos (MBR) and gpt tables are copied`,
    );
  if (targetLayout.sectorSize !== t.sectorSize)
    throw new RaidError(
      `${target} has ${targetLayout.sectorSize}-byte sectors and ${source} ${t.sectorSize}-byte sectors: the layout cannot be copied`,
    );
  const end = Math.max(...t.partitions.map((p) => p.start + p.size));
  const need = end + (t.label === 'gpt' ? gptBackupSectors(t.sectorSize) : 0);
  const have = Math.floor(targetLayout.sizeBytes / targetLayout.sectorSize);
  if (have < need)
    throw new RaidError(
      `disk too small: ${target} has ${have} sectors (${mib(targetLayout.sizeBytes)}), the layout of ${source} needs ${need} (${mib(need * t.sectorSize)})`,
    );
  return t;
}

// ---- partition type names

const GPT_TYPES: Record<string, [string, string]> = {
  [GPT_TYPE.biosBoot]: ['ef02', 'BIOS boot'],
  [GPT_TYPE.efiSystem]: ['ef00', 'EFI System'],
  [GPT_TYPE.linux]: ['8300', 'Linux filesystem'],
  [GPT_TYPE.linuxRaid]: ['fd00', 'Linux RAID'],
  '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F': ['8200', 'Linux swap'],
  'E6D6D379-F507-44C2-A23C-238F2A3DF928': ['8e00', 'Linux LVM'],
  'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7': ['0700', 'Microsoft basic data'],
};

// The names fdisk printed for the MBR ids an appliance disk is likely to carry.
const DOS_TYPES: Record<string, string> = {
  '5': 'Extended',
  '7': 'HPFS/NTFS/exFAT',
  b: 'W95 FAT32',
  c: 'W95 FAT32 (LBA)',
  e: 'W95 FAT16 (LBA)',
  f: "W95 Ext'd (LBA)",
  '82': 'Linux swap / Solaris',
  '83': 'Linux',
  '85': 'Linux extended',
  '8e': 'Linux LVM',
  ee: 'GPT',
  ef: 'EFI (FAT-12/16/32)',
  fd: 'Linux raid autodetect',
};

/** The `Id` and `System` columns: short code and name; an unknown GPT type shows its GUID. */
export function partitionType(label: string, type: string): { id: string; name: string } {
  if (label === 'gpt') {
    const known = GPT_TYPES[type.toUpperCase()];
    return known ? { id: known[0], name: known[1] } : { id: type.toUpperCase(), name: 'Unknown' };
  }
  const id = /^(0x)?[0-9a-f]+$/i.test(type) ? parseInt(type, 16).toString(16) : type;
  return { id, name: DOS_TYPES[id] ?? 'Unknown' };
}

// ---- show disk <disk> format

export interface DiskPartitionView {
  device: string;
  boot: boolean;
  startSector: number;
  endSector: number;
  sectors: number;
  blocksKiB: number;
  typeId: string;
  typeName: string;
}

/** The `--json` form of show disk <disk> format (spec 3.4). */
export interface DiskFormatView {
  disk: string;
  sizeBytes: number;
  sectorSize: number;
  /** null: the disk has no partition table. */
  label: string | null;
  identifier: string | null;
  partitions: DiskPartitionView[];
}

export function diskFormatView(disk: string, layout: DiskLayout): DiskFormatView {
  const t = layout.table;
  const sectorSize = t?.sectorSize ?? layout.sectorSize;
  return {
    disk,
    sizeBytes: layout.sizeBytes,
    sectorSize,
    label: t?.label ?? null,
    // fdisk prints an MBR signature as 8 hex digits.
    identifier: !t
      ? null
      : t.label === 'dos'
        ? `0x${t.identifier.replace(/^0x/i, '').toLowerCase().padStart(8, '0')}`
        : t.identifier,
    partitions: (t?.partitions ?? []).map((p) => {
      const type = partitionType(t!.label, p.type);
      return {
        device: partitionName(disk, p.number),
        boot: p.bootable,
        startSector: p.start,
        endSector: p.start + p.size - 1,
        sectors: p.size,
        blocksKiB: Math.floor((p.size * sectorSize) / 1024),
        typeId: type.id,
        typeName: type.name,
      };
    }),
  };
}

/** Disk size as fdisk of the guide's era printed it: whole decimal MB, or GB with one decimal from 10000 MB. */
function fdiskSize(bytes: number): string {
  const mb = Math.floor(bytes / 1e6);
  if (mb < 10000) return `${mb} MB`;
  const hecto = Math.floor((mb + 50) / 100);
  return `${Math.floor(hecto / 10)}.${hecto % 10} GB`;
}

/** The human form: fdisk -l's header and columns (spec 3.4), in sectors. */
export function renderDiskFormat(v: DiskFormatView): string {
  const head = [
    '',
    `Disk /dev/${v.disk}: ${fdiskSize(v.sizeBytes)}, ${v.sizeBytes} bytes`,
    `Units: sectors of 1 * ${v.sectorSize} = ${v.sectorSize} bytes`,
  ];
  if (v.label === null)
    return [...head, `Disk /dev/${v.disk} doesn't contain a valid partition table`].join('\n');
  head.push(`Disk identifier: ${v.identifier}`, '');
  const rows = v.partitions.map((p) => ({
    device: `/dev/${p.device}`,
    boot: p.boot ? '*' : ' ',
    start: String(p.startSector),
    end: String(p.endSector),
    blocks: String(p.blocksKiB),
    odd: (p.sectors * v.sectorSize) % 1024 ? '+' : ' ',
    id: p.typeId,
    system: p.typeName,
  }));
  const w = (k: 'start' | 'end' | 'blocks' | 'id', min: number) =>
    Math.max(min, ...rows.map((r) => r[k].length));
  // The fdisk layout: numbers right-aligned in 11 columns at least, Boot's `*` under its second o.
  const dev = Math.max(7, ...rows.map((r) => r.device.length + 1));
  const [ws, we, wb, wi] = [w('start', 11), w('end', 11), w('blocks', 11), w('id', 2)];
  const header =
    `${'Device'.padStart(dev - 1)} Boot${'Start'.padStart(ws)} ${'End'.padStart(we)} ` +
    `${'Blocks'.padStart(wb)}   ${'Id'.padStart(wi)}  System`;
  const lines = rows.map(
    (r) =>
      `${r.device.padEnd(dev)}  ${r.boot} ${r.start.padStart(ws)} ${r.end.padStart(we)} ` +
      `${r.blocks.padStart(wb)}${r.odd}  ${r.id.padStart(wi)}  ${r.system}`,
  );
  return [...head, header, ...lines].join('\n');
}

export async function showDiskFormat(disk: string): Promise<DiskFormatView> {
  const d = findDisk(disk, await listBlockDevices());
  return diskFormatView(d.name, await readDiskLayout(`/dev/${d.name}`));
}

// ---- format <disk1> like <disk2>

export interface DiskRef {
  name: string;
  /** /dev/<name>, or an image file in tests. */
  path: string;
}

export interface FormatLikeOptions {
  /** Where the target's old table is saved. */
  backupDir: string;
  /** Asked once every check has passed; false (anything but "yes") changes nothing. */
  confirm: (question: string) => Promise<boolean>;
  /** Runs again after the answer, since the disk may have been taken into use meanwhile. */
  recheck?: () => Promise<void>;
  now?: Date;
}

export interface FormatLikeResult {
  formatted: boolean;
  target: string;
  source: string;
  partitions: number;
  backupFile: string | null;
}

/** R-31's question. */
export function formatLikeQuestion(
  target: string,
  targetLayout: DiskLayout,
  source: string,
  t: PartitionTable,
): string {
  return [
    `The partition layout of ${source} (${t.label}, ${t.partitions.length} partitions) will be copied to ${target} (${mib(targetLayout.sizeBytes)}).`,
    `No data is copied: ${target} gets empty partitions, and all data now on ${target} will be erased.`,
    `Erase ${target} and partition it like ${source}? (yes/no)`,
  ].join('\n');
}

/**
 * Copies the layout of `source` onto `target` once the caller has checked the names: size checks,
 * the question, the backup, the copy, and a read-back proving the kernel-visible table matches.
 */
export async function copyDiskLayout(
  target: DiskRef,
  source: DiskRef,
  opts: FormatLikeOptions,
): Promise<FormatLikeResult> {
  const targetLayout = await readDiskLayout(target.path);
  const sourceLayout = await readDiskLayout(source.path);
  const t = checkFits(target.name, targetLayout, source.name, sourceLayout);
  const result = { target: target.name, source: source.name, partitions: t.partitions.length };
  if (!(await opts.confirm(formatLikeQuestion(target.name, targetLayout, source.name, t))))
    return { ...result, formatted: false, backupFile: null };
  await opts.recheck?.();
  const backupFile = await copyPartitionTable(source.path, target.path, opts.backupDir, opts.now);
  const copy = (await readDiskLayout(target.path)).table;
  const same = (a: PartitionTable) =>
    a.partitions.map((p) => `${p.number} ${p.start} ${p.size} ${p.type}`).join();
  if (!copy || same(copy) !== same(t))
    throw new RaidError(
      `the partition table written on ${target.name} does not match ${source.name}; its old table is in ${backupFile}`,
    );
  return { ...result, formatted: true, backupFile };
}

/** format <disk1> like <disk2> on the disks present (R-30…R-35). */
export async function formatDiskLike(
  disk1: string,
  disk2: string,
  opts: Omit<FormatLikeOptions, 'recheck'>,
): Promise<FormatLikeResult> {
  const { target, source } = checkFormatTargets(disk1, disk2, await listBlockDevices());
  return copyDiskLayout(
    { name: target.name, path: `/dev/${target.name}` },
    { name: source.name, path: `/dev/${source.name}` },
    {
      ...opts,
      recheck: async () => void checkFormatTargets(disk1, disk2, await listBlockDevices()),
    },
  );
}
