// What this machine is running from: the live medium (ISO or USB stick), an installed image on
// the system disk, or neither (a development machine). Read from the kernel command line, which
// the boot menus write (boot=live on the ISO, boot=tandem … on an installed disk).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBlockDevices } from '../../platform/blockDevices.js';
import { mount, unmount } from '../../platform/fileSystems.js';
import { MANIFEST_FILE, readManifest } from './manifest.js';
import { ImageError, ImageStore, type ImageSource } from './store.js';
import { systemLayout } from './systemDisks.js';
import { espTrialEnv } from './trialEnv.js';

/** Where the initramfs (image/initramfs/tandem) mounts the system disk. */
export const SYSTEM_DISK_ROOT = '/run/tandem/disk';
/** Where live-boot mounts the medium; the image's files are in its live/. */
export const LIVE_MEDIUM = '/run/live/medium';

export type RunningSystem =
  { kind: 'live' } | { kind: 'installed'; image: string; uuid: string } | { kind: 'other' };

export function parseCmdline(cmdline: string): RunningSystem {
  const params = new Map<string, string>();
  for (const w of cmdline.trim().split(/\s+/)) {
    const eq = w.indexOf('=');
    if (eq > 0) params.set(w.slice(0, eq), w.slice(eq + 1));
  }
  const image = params.get('tandem.image');
  const uuid = params.get('tandem.disk');
  if (params.get('boot') === 'tandem' && image && uuid) return { kind: 'installed', image, uuid };
  if (params.get('boot') === 'live') return { kind: 'live' };
  return { kind: 'other' };
}

export async function runningSystem(): Promise<RunningSystem> {
  return parseCmdline(await readFile('/proc/cmdline', 'utf8'));
}

/** The image store of the installed system this machine runs (an error anywhere else). */
export async function installedStore(): Promise<ImageStore> {
  const sys = await runningSystem();
  if (sys.kind === 'live')
    throw new ImageError('running from the live medium: no image is installed yet (install image)');
  if (sys.kind !== 'installed') throw new ImageError('not running from an installed Tandem image');
  const layout = systemLayout(await listBlockDevices(), sys.uuid);
  // On a mirror the trial flag lives on each disk's EFI partition (see trialEnv.ts).
  const trialEnvs = layout?.md
    ? layout.disks.flatMap((d) => (d.esp && d.espUuid ? [espTrialEnv(d.esp, d.espUuid)] : []))
    : undefined;
  return new ImageStore(SYSTEM_DISK_ROOT, sys.uuid, sys.image, trialEnvs);
}

/** The files of the image this machine runs, to install them elsewhere. */
export async function runningImageSource(): Promise<ImageSource> {
  const sys = await runningSystem();
  const dir =
    sys.kind === 'live'
      ? join(LIVE_MEDIUM, 'live')
      : sys.kind === 'installed'
        ? join(SYSTEM_DISK_ROOT, 'boot', sys.image)
        : null;
  if (!dir) throw new ImageError('not running from a Tandem image: there is nothing to install');
  const manifest = await readManifest(join(dir, MANIFEST_FILE));
  if (!manifest) throw new ImageError(`${dir} holds no image manifest`);
  return { dir, manifest };
}

/** An image ISO (as built by `npm run image`) mounted read-only; `close` unmounts it. */
export async function openIsoImage(
  file: string,
): Promise<{ source: ImageSource; close: () => Promise<void> }> {
  const mnt = await mkdtemp(join(tmpdir(), 'tandem-iso-'));
  try {
    await mount(file, mnt, ['loop', 'ro']);
  } catch (e) {
    await rm(mnt, { recursive: true, force: true });
    throw new ImageError(
      `cannot open ${file} as an image: ${e instanceof Error ? e.message.trim() : String(e)}`,
    );
  }
  const close = async () => {
    await unmount(mnt);
    await rm(mnt, { recursive: true, force: true });
  };
  const manifest = await readManifest(join(mnt, 'live', MANIFEST_FILE));
  if (!manifest) {
    await close();
    throw new ImageError(`${file} is not a Tandem image (no live/${MANIFEST_FILE})`);
  }
  return { source: { dir: join(mnt, 'live'), manifest }, close };
}
