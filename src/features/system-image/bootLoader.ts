// Makes one disk of the installed system bootable on its own: GRUB for UEFI on its EFI system
// partition (removable-media path) and for BIOS in its boot sectors, both reading /boot from the
// system file system (on a mirror, GRUB's mdraid1x finds it from either disk). Used by the
// installer for each disk, and after a RAID rebuild for the new disk (spec R-13).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncPath } from '../../platform/atomicFile.js';
import { makeEfiFat, syncAll, withMounted } from '../../platform/fileSystems.js';
import { grubEnvWrite, grubInstallBios, grubInstallEfi } from '../../platform/grub.js';
import { listBlockDevices } from '../../platform/blockDevices.js';
import { installedStore, runningSystem, SYSTEM_DISK_ROOT } from './runningSystem.js';
import { systemLayout } from './systemDisks.js';
import { ESP_TRIAL_ENV } from './trialEnv.js';

/** Written last on the ESP: a disk without it (an interrupted install) gets the whole sequence. */
const MARKER = 'tandem/boot-loader.json';
export const ESP_LABEL = 'TANDEM-EFI';

export interface BootLoaderTarget {
  disk: string;
  /** The disk's EFI system partition (device name). */
  esp: string;
  /** UUID of the system file system the boot loader reads /boot from. */
  systemUuid: string;
}

/** Whether `esp` carries a complete boot loader for the system `systemUuid`. */
export async function bootLoaderInstalled(esp: string, systemUuid: string): Promise<boolean> {
  try {
    return await withMounted(
      `/dev/${esp}`,
      async (dir) => {
        const marker = JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as { system?: string };
        return marker.system === systemUuid;
      },
      ['ro'],
    );
  } catch {
    return false; // no file system, no marker, or another system's
  }
}

/**
 * Installs the boot loader on `t.disk`; `bootDir` is the mounted system file system's /boot.
 * The ESP gets a fresh FAT file system (a replacement disk's is empty after `format … like …`).
 */
export async function installBootLoader(t: BootLoaderTarget, bootDir: string): Promise<void> {
  await makeEfiFat(`/dev/${t.esp}`, ESP_LABEL);
  await withMounted(`/dev/${t.esp}`, async (dir) => {
    await grubInstallEfi(dir, bootDir);
    await mkdir(join(dir, 'tandem'), { recursive: true });
    await grubEnvWrite(join(dir, ESP_TRIAL_ENV), {});
    await grubInstallBios(t.disk, bootDir);
    // grub-install leaves its modules (under /boot, on the mirror) in the page cache: a power
    // loss right after would leave a disk whose GRUB finds no modules. The marker comes after
    // everything is on disk, so "installed" means it survives one.
    await syncAll();
    await writeFile(
      join(dir, MARKER),
      `${JSON.stringify({ system: t.systemUuid, installed: new Date().toISOString() })}\n`,
    );
    await fsyncPath(join(dir, MARKER));
  });
}

/**
 * On an installed mirror: installs the boot loader on every member disk that lacks it (a
 * replacement whose rebuild just finished), then rewrites the menu so the upgrade trial flag is
 * set and cleared on the new disk too. Returns the disks it made bootable.
 */
export async function repairBootLoaders(log: (line: string) => void): Promise<string[]> {
  const sys = await runningSystem();
  if (sys.kind !== 'installed') return [];
  const layout = systemLayout(await listBlockDevices(), sys.uuid);
  if (!layout?.md) return [];
  const done: string[] = [];
  for (const d of layout.disks) {
    if (!d.esp || (await bootLoaderInstalled(d.esp, sys.uuid))) continue;
    await installBootLoader(
      { disk: d.disk, esp: d.esp, systemUuid: sys.uuid },
      join(SYSTEM_DISK_ROOT, 'boot'),
    );
    log(`boot loader installed on ${d.disk} (BIOS and UEFI): it boots the system on its own`);
    done.push(d.disk);
  }
  if (done.length) await (await installedStore()).writeMenu();
  return done;
}
