// The images installed on the system disk, side by side under /boot/<version>/, and the boot
// menu and environment that choose among them. Every change rewrites the menu atomically.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../../errors.js';
import { fsyncPath, writeFileAtomic } from '../../platform/atomicFile.js';
import { grubEnvRead, grubEnvWrite } from '../../platform/grub.js';
import { renderBootMenu } from './bootMenu.js';
import { MANIFEST_FILE, readManifest, type ImageManifest } from './manifest.js';
import { systemTrialEnv, type TrialEnv } from './trialEnv.js';

/** The files that make an image (the overlay's rw/ and work/ are made at boot). */
export const IMAGE_FILES = ['vmlinuz', 'initrd.img', 'filesystem.squashfs', MANIFEST_FILE] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

export class ImageError extends TandemError {
  constructor(message: string) {
    super('SYSTEM_IMAGE', message);
  }
}

export function checkImageName(name: string): void {
  if (!NAME.test(name))
    throw new ImageError(`"${name}" is not a valid image name (letters, digits, . _ + -, up to 64)`);
}

export interface InstalledImage {
  name: string;
  built: string | null;
  manifestHash: string | null;
  defaultBoot: boolean;
  running: boolean;
  /** Set while an upgrade to this image waits for its first boot to reach tandemd. */
  pending: boolean;
}

export interface BootState {
  /** saved_entry: the image GRUB boots. */
  defaultBoot: string | null;
  /** The image of an upgrade not yet confirmed by a boot that reached tandemd. */
  pending: string | null;
  /** The last image whose trial boot failed (and was rolled back from). */
  failed: string | null;
}

/** A directory holding an image's files (a mounted ISO's live/, or another /boot/<version>/). */
export interface ImageSource {
  dir: string;
  manifest: ImageManifest;
}

export class ImageStore {
  readonly trialEnvs: readonly TrialEnv[];

  /**
   * `root` is the mounted system disk (/run/tandem/disk on an installed system); `trialEnvs`
   * where the upgrade trial flag lives (the system disk's own grubenv unless told otherwise).
   */
  constructor(
    readonly root: string,
    readonly uuid: string,
    readonly runningImage: string | null,
    trialEnvs?: readonly TrialEnv[],
  ) {
    this.trialEnvs = trialEnvs ?? [systemTrialEnv(root, uuid)];
  }

  private async writeTrial(name: string | null): Promise<void> {
    for (const env of this.trialEnvs) await env.write({ tandem_trial: name });
  }

  get bootDir(): string {
    return join(this.root, 'boot');
  }

  private get envFile(): string {
    return join(this.bootDir, 'grub', 'grubenv');
  }

  async names(): Promise<string[]> {
    const entries = await readdir(this.bootDir, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const e of entries)
      if (e.isDirectory() && NAME.test(e.name) && e.name !== 'grub' && e.name !== 'efi') {
        const ok = await stat(join(this.bootDir, e.name, 'filesystem.squashfs')).then(
          () => true,
          () => false,
        );
        if (ok) names.push(e.name);
      }
    return names.sort();
  }

  async bootState(): Promise<BootState> {
    const env = await grubEnvRead(this.envFile);
    return {
      defaultBoot: env.saved_entry || null,
      pending: env.tandem_pending || null,
      failed: env.tandem_failed || null,
    };
  }

  async list(): Promise<InstalledImage[]> {
    const state = await this.bootState();
    const images: InstalledImage[] = [];
    for (const name of await this.names()) {
      const m = await readManifest(join(this.bootDir, name, MANIFEST_FILE));
      images.push({
        name,
        built: m?.built ?? null,
        manifestHash: m?.hash ?? null,
        defaultBoot: name === state.defaultBoot,
        running: name === this.runningImage,
        pending: name === state.pending,
      });
    }
    // Newest build first, as the menu shows them.
    return images.sort(
      (a, b) => (b.built ?? '').localeCompare(a.built ?? '') || a.name.localeCompare(b.name),
    );
  }

  private async require(name: string): Promise<void> {
    checkImageName(name);
    if (!(await this.names()).includes(name)) throw new ImageError(`no image named "${name}" is installed`);
  }

  /** Rewrites grub.cfg from the images on disk (atomically: GRUB never reads half a menu). */
  async writeMenu(): Promise<void> {
    const images = (await this.list()).map((i) => i.name);
    await mkdir(join(this.bootDir, 'grub'), { recursive: true });
    await writeFileAtomic(
      join(this.bootDir, 'grub', 'grub.cfg'),
      renderBootMenu({ uuid: this.uuid, images, trialEnvs: this.trialEnvs }),
      0o644,
    );
  }

  /**
   * Copies an image in under `name` (its manifest's version unless given). The copy is made in a
   * hidden directory, flushed, then renamed: a crash leaves no half image in the menu.
   */
  async add(source: ImageSource, name = source.manifest.version): Promise<string> {
    checkImageName(name);
    if ((await this.names()).includes(name))
      throw new ImageError(`an image named "${name}" is already installed`);
    const tmp = join(this.bootDir, `.${name}.partial`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    try {
      for (const f of IMAGE_FILES) {
        await copyFile(join(source.dir, f), join(tmp, f));
        await fsyncPath(join(tmp, f));
      }
      await fsyncPath(tmp);
      await rename(tmp, join(this.bootDir, name));
      await fsyncPath(this.bootDir);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    await this.writeMenu();
    return name;
  }

  async setDefault(name: string): Promise<void> {
    await this.require(name);
    await this.writeTrial(null);
    await grubEnvWrite(this.envFile, { saved_entry: name, tandem_pending: null });
  }

  /** The next boot tries `name` once; the boot check makes it the default when tandemd comes up. */
  async setTrial(name: string): Promise<void> {
    await this.require(name);
    // Pending first: a crash between the two leaves a pending upgrade that never boots, which
    // the boot check settles as "did not boot" — never a trial without its bookkeeping.
    await grubEnvWrite(this.envFile, { tandem_pending: name, tandem_failed: null });
    await this.writeTrial(name);
  }

  async delete(name: string): Promise<void> {
    await this.require(name);
    const state = await this.bootState();
    if (name === this.runningImage) throw new ImageError(`image "${name}" is running and cannot be deleted`);
    if (name === state.defaultBoot)
      throw new ImageError(
        `image "${name}" is the default boot image; choose another one first (set system image default-boot)`,
      );
    if (name === state.pending) {
      await this.writeTrial(null);
      await grubEnvWrite(this.envFile, { tandem_pending: null });
    }
    // Out of the menu first, then off the disk: a crash in between leaves an unlisted directory.
    await rename(join(this.bootDir, name), join(this.bootDir, `.${name}.deleting`));
    await this.writeMenu();
    await rm(join(this.bootDir, `.${name}.deleting`), { recursive: true, force: true });
  }

  /** Records the outcome of a trial boot (see bootCheck.ts). */
  async settleTrial(outcome: { confirmed: string } | { failed: string }): Promise<void> {
    if ('confirmed' in outcome)
      await grubEnvWrite(this.envFile, {
        saved_entry: outcome.confirmed,
        tandem_pending: null,
        tandem_failed: null,
      });
    else {
      await this.writeTrial(null);
      await grubEnvWrite(this.envFile, { tandem_pending: null, tandem_failed: outcome.failed });
    }
  }
}
