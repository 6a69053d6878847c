// install image: the disk choice (pure) and the installation itself — GPT with a BIOS boot
// partition, an EFI system partition and the system file system (on one disk, or on a RAID 1 set
// over two); the running image copied to /boot/<version>/; the running /config; GRUB for BIOS and
// for UEFI on every disk; the boot menu.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bareDeviceName,
  GPT_TYPE,
  inUse,
  isEfiSystemPartition,
  partitionName,
  writeGpt,
  type BlockDevice,
  type PartitionSpec,
} from '../../platform/blockDevices.js';
import { fsUuid, makeExt4, mount, syncAll, unmount, withMounted } from '../../platform/fileSystems.js';
import { mdadmCreateMirror } from '../../platform/mdadm.js';
import { installBootLoader } from './bootLoader.js';
import { ImageError, ImageStore, type ImageSource } from './store.js';
import { espTrialEnv } from './trialEnv.js';

/** Room for two images side by side, their overlays and the configuration. */
export const MIN_DISK_BYTES = 1024 ** 3;
export const EFI_PARTITION_MIB = 100;
export const SYSTEM_LABEL = 'tandem-system';

export interface DiskCandidate {
  name: string;
  sizeBytes: number;
  /** Why it cannot be installed on; null when it can. */
  refused: string | null;
}

/** Every whole disk and whether Tandem can be installed on it. */
export function diskCandidates(devices: readonly BlockDevice[]): DiskCandidate[] {
  return (
    devices
      // Floppies and RAM disks are disks to lsblk, never a system disk.
      .filter((d) => d.type === 'disk' && !/^(ram|zram|fd)\d/.test(d.name))
      .map((d) => ({
        name: d.name,
        sizeBytes: d.sizeBytes,
        refused: d.readOnly
          ? 'read-only'
          : inUse(d)
            ? 'in use (mounted, swap or part of an array)'
            : d.sizeBytes < MIN_DISK_BYTES
              ? `smaller than ${MIN_DISK_BYTES / 1024 ** 3} GiB`
              : null,
      }))
  );
}

/** The disk to install on: the one asked for, or the only eligible one. */
export function chooseDisk(candidates: readonly DiskCandidate[], requested?: string): string {
  const eligible = candidates.filter((c) => !c.refused);
  if (requested !== undefined) {
    const name = bareDeviceName(requested);
    const c = candidates.find((x) => x.name === name);
    if (!c) throw new ImageError(`no disk named "${name}"`);
    if (c.refused) throw new ImageError(`cannot install on ${name}: ${c.refused}`);
    return name;
  }
  if (eligible.length === 1) return eligible[0]!.name;
  if (eligible.length === 0)
    throw new ImageError(
      `no disk to install on${candidates.length ? ` (${candidates.map((c) => `${c.name}: ${c.refused}`).join('; ')})` : ''}`,
    );
  throw new ImageError(
    `several disks can take the image (${eligible.map((c) => c.name).join(', ')}): name one`,
  );
}

/** The two disks of a mirror: the two asked for, or the only two eligible ones. */
export function chooseMirror(
  candidates: readonly DiskCandidate[],
  requested: readonly string[] = [],
): string[] {
  if (requested.length === 2) {
    const names = requested.map((r) => chooseDisk(candidates, r));
    if (names[0] === names[1]) throw new ImageError('a mirror needs two different disks');
    return names;
  }
  if (requested.length) throw new ImageError('a RAID 1 mirror needs exactly two disks');
  const eligible = candidates.filter((c) => !c.refused).map((c) => c.name);
  if (eligible.length === 2) return eligible;
  throw new ImageError(
    `a RAID 1 mirror needs two disks; ${eligible.length ? `eligible: ${eligible.join(', ')}` : 'none is eligible'}${eligible.length > 2 ? ' (name two)' : ''}`,
  );
}

/** The md array a mirrored install creates; its superblock name makes every boot assemble it so. */
export const SYSTEM_ARRAY = 'md0';

/**
 * The partitions every system disk gets: BIOS boot, EFI system, and the system partition (the
 * RAID member on a mirror). On a mirror both disks get the same layout, sized from the smaller
 * disk (spec §1): the system partition's size is given rather than "the rest".
 */
export function systemPartitions(mirrorOfBytes: number | null): PartitionSpec[] {
  const MiB = 1024 ** 2;
  // 1 MiB before the first partition, 1 MiB after the last for the backup GPT (and alignment).
  const systemMiB =
    mirrorOfBytes === null ? undefined : Math.floor(mirrorOfBytes / MiB) - 3 - EFI_PARTITION_MIB;
  return [
    { sizeMiB: 1, type: GPT_TYPE.biosBoot, name: 'bios-boot' },
    { sizeMiB: EFI_PARTITION_MIB, type: GPT_TYPE.efiSystem, name: 'efi' },
    mirrorOfBytes === null
      ? { type: GPT_TYPE.linux, name: SYSTEM_LABEL }
      : { sizeMiB: systemMiB, type: GPT_TYPE.linuxRaid, name: `${SYSTEM_LABEL}-raid` },
  ];
}

/** A RAID 1 set found on the disks (a mirrored system being reinstalled: spec R-51). */
export interface ExistingMirror {
  md: string;
  /** Its members and the disks they are on. */
  members: { disk: string; member: string; sizeBytes: number }[];
  /** Whether every member's disk has Tandem's layout (an EFI system partition 2) to reuse. */
  tandemLayout: boolean;
}

/** The RAID 1 sets running on these disks (lsblk lists an array under each member). */
export function existingMirrors(devices: readonly BlockDevice[]): ExistingMirror[] {
  const byMd = new Map<string, ExistingMirror>();
  for (const disk of devices.filter((d) => d.type === 'disk'))
    for (const part of disk.children)
      for (const a of part.children.filter((c) => c.type === 'raid1')) {
        const m = byMd.get(a.name) ?? { md: a.name, members: [], tandemLayout: true };
        m.members.push({ disk: disk.name, member: part.name, sizeBytes: disk.sizeBytes });
        const esp = disk.children.find((p) => p.name === partitionName(disk.name, 2));
        if (!esp || !isEfiSystemPartition(esp)) m.tandemLayout = false;
        byMd.set(a.name, m);
      }
  return [...byMd.values()];
}

export interface InstallOptions {
  /** One disk, or two for a RAID 1 mirror. */
  disks: readonly { name: string; sizeBytes: number }[];
  /** Install onto this running RAID 1 set over `disks` as it is (no new partitions, no new array). */
  reuseArray?: string;
  source: ImageSource;
  /** The configuration directory to copy (the running system's /config). */
  configDir: string;
  progress: (step: string) => void;
}

/** Installs the image on the disks (which it erases). Returns the installed image's name. */
export async function installImage({
  disks,
  reuseArray,
  source,
  configDir,
  progress,
}: InstallOptions): Promise<string> {
  if (disks.length < 1 || disks.length > 2)
    throw new ImageError('install on one disk, or on two as a mirror');
  const mirror = disks.length === 2 || reuseArray !== undefined;
  const layout = systemPartitions(mirror ? Math.min(...disks.map((d) => d.sizeBytes)) : null);
  if (!reuseArray)
    for (const d of disks) {
      progress(`Partitioning /dev/${d.name}`);
      await writeGpt(d.name, layout);
    }
  const targets = disks.map((d) => ({ disk: d.name, esp: partitionName(d.name, 2) }));
  let system = `/dev/${partitionName(disks[0]!.name, 3)}`;
  if (reuseArray) {
    progress(`Using RAID 1 set ${reuseArray}`);
    system = `/dev/${reuseArray}`;
  } else if (mirror) {
    progress(
      `Creating RAID 1 set ${SYSTEM_ARRAY} on ${disks.map((d) => partitionName(d.name, 3)).join(' and ')}`,
    );
    await mdadmCreateMirror({
      md: SYSTEM_ARRAY,
      members: disks.map((d) => partitionName(d.name, 3)),
      name: SYSTEM_ARRAY.slice(2),
    });
    system = `/dev/${SYSTEM_ARRAY}`;
  }
  progress('Creating file systems');
  await makeExt4(system, SYSTEM_LABEL);
  const uuid = await fsUuid(system);

  const root = await mkdtemp(join(tmpdir(), 'tandem-install-'));
  try {
    await mount(system, root);
    try {
      for (const t of targets) {
        progress(`Installing GRUB on ${t.disk} (BIOS and UEFI)`);
        await installBootLoader({ ...t, systemUuid: uuid }, join(root, 'boot'));
      }
      const trialEnvs = mirror
        ? await Promise.all(targets.map(async (t) => espTrialEnv(t.esp, await fsUuid(`/dev/${t.esp}`))))
        : undefined;
      const store = new ImageStore(root, uuid, null, trialEnvs);
      progress(`Copying image ${source.manifest.version}`);
      const name = await store.add(source);
      progress('Copying the configuration');
      await cp(configDir, join(root, 'config'), { recursive: true, preserveTimestamps: true });
      await store.writeMenu();
      await store.setDefault(name);
      await syncAll();
      return name;
    } finally {
      await unmount(root);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Copies /config out of the Tandem system on `device` (a set being reinstalled) into a new
 * temporary directory, so the new installation keeps it; null when there is none to keep.
 */
export async function saveConfiguration(device: string): Promise<string | null> {
  const keep = await mkdtemp(join(tmpdir(), 'tandem-keep-'));
  try {
    const found = await withMounted(
      device,
      async (dir) => {
        if (
          !(await stat(join(dir, 'config')).then(
            (s) => s.isDirectory(),
            () => false,
          ))
        )
          return false;
        await cp(join(dir, 'config'), join(keep, 'config'), { recursive: true, preserveTimestamps: true });
        return true;
      },
      ['ro'],
    );
    if (found) return join(keep, 'config');
  } catch {
    // No file system Tandem can read: nothing to keep.
  }
  await rm(keep, { recursive: true, force: true });
  return null;
}
