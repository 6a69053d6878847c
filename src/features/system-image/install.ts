// install image: the disk choice (pure) and the installation itself — GPT with a BIOS boot
// partition, an EFI system partition and the system file system; the running image copied to
// /boot/<version>/; the running /config; GRUB for BIOS and for UEFI; the boot menu.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GPT_TYPE, inUse, partitionName, writeGpt, type BlockDevice } from '../../platform/blockDevices.js';
import { fsUuid, makeEfiFat, makeExt4, mount, syncAll, unmount } from '../../platform/fileSystems.js';
import { grubInstallBios, grubInstallEfi } from '../../platform/grub.js';
import { ImageError, ImageStore, type ImageSource } from './store.js';

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
    const name = requested.replace(/^\/dev\//, '');
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

export interface InstallOptions {
  disk: string;
  source: ImageSource;
  /** The configuration directory to copy (the running system's /config). */
  configDir: string;
  progress: (step: string) => void;
}

/** Installs the image on the disk (which it erases). Returns the installed image's name. */
export async function installImage({ disk, source, configDir, progress }: InstallOptions): Promise<string> {
  progress(`Partitioning /dev/${disk}`);
  await writeGpt(disk, [
    { sizeMiB: 1, type: GPT_TYPE.biosBoot, name: 'bios-boot' },
    { sizeMiB: EFI_PARTITION_MIB, type: GPT_TYPE.efiSystem, name: 'efi' },
    { type: GPT_TYPE.linux, name: SYSTEM_LABEL },
  ]);
  const efi = `/dev/${partitionName(disk, 2)}`;
  const system = `/dev/${partitionName(disk, 3)}`;
  progress('Creating file systems');
  await makeEfiFat(efi, 'TANDEM-EFI');
  await makeExt4(system, SYSTEM_LABEL);
  const uuid = await fsUuid(system);

  const root = await mkdtemp(join(tmpdir(), 'tandem-install-'));
  const efiDir = join(root, 'boot', 'efi');
  const mounted: string[] = [];
  try {
    await mount(system, root);
    mounted.unshift(root);
    await mkdir(efiDir, { recursive: true });
    await mount(efi, efiDir);
    mounted.unshift(efiDir);

    const store = new ImageStore(root, uuid, null);
    progress(`Copying image ${source.manifest.version}`);
    const name = await store.add(source);
    progress('Copying the configuration');
    await cp(configDir, join(root, 'config'), { recursive: true, preserveTimestamps: true });
    progress('Installing GRUB (BIOS and UEFI)');
    await grubInstallBios(disk, join(root, 'boot'));
    await grubInstallEfi(efiDir, join(root, 'boot'));
    await store.writeMenu();
    await store.setDefault(name);
    await syncAll();
    return name;
  } finally {
    for (const m of mounted) await unmount(m);
    await rm(root, { recursive: true, force: true });
  }
}
