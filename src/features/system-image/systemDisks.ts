// Which disks carry the installed system: one disk, or the two members of a RAID 1 set (md0) —
// found from the block-device tree and the system file system's UUID, never remembered, so a
// replaced disk is picked up as it is.
import { isEfiSystemPartition, type BlockDevice } from '../../platform/blockDevices.js';

export interface SystemDisk {
  disk: string;
  /** The EFI system partition on this disk; null when it has none. */
  esp: string | null;
  /** Its file system UUID (GRUB finds it by that); null while it has no file system. */
  espUuid: string | null;
  /** The partition of this disk that is a member of the system's RAID set (null: no mirror). */
  member: string | null;
}

export interface SystemLayout {
  /** The md array holding the system file system; null on a single disk. */
  md: string | null;
  disks: SystemDisk[];
}

function espOf(disk: BlockDevice): Pick<SystemDisk, 'esp' | 'espUuid'> {
  const p = disk.children.find(isEfiSystemPartition);
  return { esp: p?.name ?? null, espUuid: p?.fstype === 'vfat' ? p.uuid : null };
}

/** The layout of the system whose file system has `uuid`; null when no device holds it. */
export function systemLayout(devices: readonly BlockDevice[], uuid: string): SystemLayout | null {
  const disks: SystemDisk[] = [];
  let md: string | null = null;
  for (const disk of devices) {
    for (const part of disk.children) {
      if (part.uuid === uuid) disks.push({ disk: disk.name, ...espOf(disk), member: null });
      // lsblk lists an array under each of its members.
      const array = part.children.find((c) => c.type.startsWith('raid') && c.uuid === uuid);
      if (array) {
        md = array.name;
        disks.push({ disk: disk.name, ...espOf(disk), member: part.name });
      }
    }
  }
  return disks.length ? { md, disks } : null;
}
