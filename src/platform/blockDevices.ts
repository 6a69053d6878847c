// Block devices: what lsblk sees, partition tables through sfdisk. The only code that runs them.
import { run } from './run.js';

export interface BlockDevice {
  /** Kernel name without /dev/ (vda, sda2, nvme0n1p1, md0). */
  name: string;
  type: 'disk' | 'part' | 'rom' | 'loop' | 'raid1' | string;
  sizeBytes: number;
  readOnly: boolean;
  removable: boolean;
  /** Mount points of this device (not of its children). */
  mountpoints: string[];
  fstype: string | null;
  label: string | null;
  uuid: string | null;
  /** GPT partition type GUID (lower case) or MBR type (0x83); null for whole disks. */
  partType: string | null;
  children: BlockDevice[];
}

interface LsblkNode {
  name: string;
  type: string;
  size: number | string;
  ro: boolean | string;
  rm: boolean | string;
  mountpoints?: (string | null)[];
  fstype?: string | null;
  label?: string | null;
  uuid?: string | null;
  parttype?: string | null;
  children?: LsblkNode[];
}

const flag = (v: boolean | string) => v === true || v === '1';

function toDevice(n: LsblkNode): BlockDevice {
  return {
    name: n.name,
    type: n.type,
    sizeBytes: Number(n.size),
    readOnly: flag(n.ro),
    removable: flag(n.rm),
    mountpoints: (n.mountpoints ?? []).filter((m): m is string => !!m),
    fstype: n.fstype ?? null,
    label: n.label ?? null,
    uuid: n.uuid ?? null,
    partType: n.parttype?.toLowerCase() ?? null,
    children: (n.children ?? []).map(toDevice),
  };
}

/** Every block device as a tree (disks with their partitions, arrays under their members). */
export async function listBlockDevices(): Promise<BlockDevice[]> {
  const { stdout } = await run([
    'lsblk',
    '--json',
    '--bytes',
    '-o',
    'NAME,TYPE,SIZE,RO,RM,MOUNTPOINTS,FSTYPE,LABEL,UUID,PARTTYPE',
  ]);
  return (JSON.parse(stdout) as { blockdevices: LsblkNode[] }).blockdevices.map(toDevice);
}

/** A device name as the kernel names it: `/dev/sda2` and `sda2` are both `sda2`. */
export function bareDeviceName(name: string): string {
  return name.replace(/^\/dev\//, '');
}

/** Whether a block device is an EFI system partition (by its GPT type). */
export function isEfiSystemPartition(d: BlockDevice): boolean {
  return d.type === 'part' && d.partType === GPT_TYPE.efiSystem.toLowerCase();
}

/** Waits until udev has processed the kernel's events (new partitions, file systems, arrays). */
export async function settleUdev(): Promise<void> {
  await run(['udevadm', 'settle'], { timeoutMs: 120_000, allowFailure: true });
}

/** Whether the device or anything on it (partitions, arrays, mounts) is in use. */
export function inUse(d: BlockDevice): boolean {
  return (
    d.mountpoints.length > 0 ||
    d.fstype === 'swap' ||
    d.children.some(inUse) ||
    d.children.some((c) => c.type.startsWith('raid'))
  );
}

/** The device name of partition `n` of `disk` (vda → vda1, nvme0n1 → nvme0n1p1). */
export function partitionName(disk: string, n: number): string {
  return /\d$/.test(disk) ? `${disk}p${n}` : `${disk}${n}`;
}

export interface PartitionSpec {
  /** Size in MiB; omitted for "the rest of the disk". */
  sizeMiB?: number;
  /** GPT partition type GUID. */
  type: string;
  name: string;
}

export const GPT_TYPE = {
  biosBoot: '21686148-6449-6E6F-744E-656564454649',
  efiSystem: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  linux: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
  linuxRaid: 'A19D880F-05FC-4D3B-A006-743F0F84911E',
} as const;

/** Writes a new GPT partition table on /dev/<disk> and waits for the partition devices. */
export async function writeGpt(disk: string, parts: readonly PartitionSpec[]): Promise<void> {
  const script = [
    'label: gpt',
    ...parts.map(
      (p) => `${p.sizeMiB !== undefined ? `size=${p.sizeMiB}MiB, ` : ''}type=${p.type}, name="${p.name}"`,
    ),
  ].join('\n');
  await wipeSignatures(disk);
  await run(['sfdisk', '--quiet', '--wipe', 'always', '--wipe-partitions', 'always', `/dev/${disk}`], {
    input: `${script}\n`,
    timeoutMs: 120_000,
  });
  await settleUdev();
}

/** Erases every file system, RAID and partition-table signature on /dev/<device>. */
export async function wipeSignatures(device: string): Promise<void> {
  await run(['wipefs', '--all', '--force', `/dev/${device}`]);
}
