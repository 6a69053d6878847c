// The image store on a scratch directory: images side by side, the GRUB menu and environment
// (the real grub-editenv), the rules for deleting, and the upgrade trial's bookkeeping.
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootCheck } from '../../../src/features/system-image/bootCheck.js';
import { parseCmdline } from '../../../src/features/system-image/runningSystem.js';
import { ImageStore, type ImageSource } from '../../../src/features/system-image/store.js';
import { ESP_TRIAL_ENV } from '../../../src/features/system-image/trialEnv.js';
import { grubEnvRead, grubEnvWrite } from '../../../src/platform/grub.js';

let dir: string;
const UUID = '74903857-89f2-438b-b62c-40628185c22d';

async function source(version: string, built: string): Promise<ImageSource> {
  const d = join(dir, `src-${version}`);
  await mkdir(d, { recursive: true });
  for (const f of ['vmlinuz', 'initrd.img', 'filesystem.squashfs'])
    await writeFile(join(d, f), `${f} of ${version}`);
  const manifest = { version, built, suite: 'bookworm', packages: [], installed: [], hash: `h-${version}` };
  await writeFile(join(d, 'tandem-manifest.json'), JSON.stringify(manifest));
  return { dir: d, manifest };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-store-'));
  await mkdir(join(dir, 'disk', 'boot'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('image store', () => {
  it('keeps images side by side and lists them in the menu, newest first', async () => {
    const store = new ImageStore(join(dir, 'disk'), UUID, '1.0');
    await store.add(await source('1.0', '2026-01-01T00:00:00Z'));
    await store.add(await source('1.1', '2026-02-01T00:00:00Z'));
    await store.setDefault('1.0');
    expect(await readFile(join(dir, 'disk', 'boot', '1.1', 'vmlinuz'), 'utf8')).toBe('vmlinuz of 1.1');
    const list = await store.list();
    expect(list.map((i) => [i.name, i.defaultBoot, i.running])).toEqual([
      ['1.1', false, false],
      ['1.0', true, true],
    ]);
    const menu = await readFile(join(dir, 'disk', 'boot', 'grub', 'grub.cfg'), 'utf8');
    expect(menu.indexOf('--id image-1.1')).toBeLessThan(menu.indexOf('--id image-1.0'));
    // Defaults name entries by id, never by a number GRUB could read into a version.
    expect(menu).toContain('set default="image-${saved_entry}"');
    expect(menu).toContain('set default="image-${tandem_next}"');
    // The trial flag is taken from the system disk's own environment block, and cleared there.
    expect(menu).toContain(`search --no-floppy --fs-uuid --set=tandem_env ${UUID}`);
    expect(menu).toContain('save_env --file (${tandem_env})/boot/grub/grubenv tandem_trial');
    expect(menu).toContain(`linux /boot/1.0/vmlinuz boot=tandem tandem.disk=${UUID} tandem.image=1.0`);
    expect(menu).toContain(`search --no-floppy --fs-uuid --set=root ${UUID}`);
    // No temporary copies left behind.
    expect((await readdir(join(dir, 'disk', 'boot'))).sort()).toEqual(['1.0', '1.1', 'grub']);
  });

  it('refuses a second image of the same name, a bad name, and an unknown image', async () => {
    const store = new ImageStore(join(dir, 'disk'), UUID, null);
    await store.add(await source('1.0', '2026-01-01T00:00:00Z'));
    await expect(store.add(await source('1.0', '2026-01-02T00:00:00Z'))).rejects.toThrow(/already installed/);
    await expect(store.add(await source('1.2', 'x'), '../evil')).rejects.toThrow(/not a valid image name/);
    await expect(store.setDefault('9.9')).rejects.toThrow(/no image named "9.9"/);
    expect(await store.names()).toEqual(['1.0']);
  });

  it('never deletes the running or the default image; deleting another one takes it out of the menu', async () => {
    const store = new ImageStore(join(dir, 'disk'), UUID, '1.0');
    for (const [v, b] of [
      ['1.0', '2026-01-01T00:00:00Z'],
      ['1.1', '2026-02-01T00:00:00Z'],
      ['1.2', '2026-03-01T00:00:00Z'],
    ] as const)
      await store.add(await source(v, b));
    await store.setDefault('1.1');
    await expect(store.delete('1.0')).rejects.toThrow(/is running/);
    await expect(store.delete('1.1')).rejects.toThrow(/default boot image/);
    await store.delete('1.2');
    expect(await store.names()).toEqual(['1.0', '1.1']);
    expect(await readFile(join(dir, 'disk', 'boot', 'grub', 'grub.cfg'), 'utf8')).not.toContain('1.2');
  });

  it('a trial boot that reaches tandemd becomes the default; one that does not rolls back', async () => {
    const old = new ImageStore(join(dir, 'disk'), UUID, '1.0');
    await old.add(await source('1.0', '2026-01-01T00:00:00Z'));
    await old.add(await source('1.1', '2026-02-01T00:00:00Z'));
    await old.setDefault('1.0');
    await old.setTrial('1.1');
    expect((await old.list()).find((i) => i.name === '1.1')!.pending).toBe(true);

    // Booted into the trial image, tandemd answers on the third poll.
    const onNew = new ImageStore(join(dir, 'disk'), UUID, '1.1');
    let polls = 0;
    const logs: string[] = [];
    let rebooted = false;
    const deps = {
      timeoutMs: 10_000,
      pollMs: 1000,
      reboot: async () => {
        rebooted = true;
      },
      log: (l: string) => logs.push(l),
      sleep: async () => {},
      now: () => polls * 1000,
    };
    expect(await bootCheck({ ...deps, store: onNew, ready: async () => ++polls >= 3 })).toBe('confirmed');
    expect(await onNew.bootState()).toEqual({ defaultBoot: '1.1', pending: null, failed: null });
    expect(rebooted).toBe(false);

    // The next upgrade never gets tandemd up: rolled back, reboot asked for, failure remembered.
    await onNew.add(await source('1.2', '2026-03-01T00:00:00Z'));
    await onNew.setTrial('1.2');
    const onBroken = new ImageStore(join(dir, 'disk'), UUID, '1.2');
    polls = 0;
    expect(await bootCheck({ ...deps, store: onBroken, ready: async () => (++polls, false) })).toBe(
      'rolled-back',
    );
    expect(rebooted).toBe(true);
    expect(await onBroken.bootState()).toEqual({ defaultBoot: '1.1', pending: null, failed: '1.2' });
    expect(logs.at(-1)).toMatch(/1\.2 did not reach tandemd within 10 s: rebooting into 1\.1/);

    // A trial that never reached user space: GRUB fell back, the check on the old image records it.
    await onNew.setTrial('1.2');
    expect(await bootCheck({ ...deps, store: onNew, ready: async () => true })).toBe('did-not-boot');
    expect(await onNew.bootState()).toEqual({ defaultBoot: '1.1', pending: null, failed: '1.2' });
    // Nothing pending: nothing to do.
    expect(await bootCheck({ ...deps, store: onNew, ready: async () => true })).toBe('no-trial');
  });
});

describe('trial flag on a mirror', () => {
  it("is set on every disk's EFI partition and cleared on all of them", async () => {
    // Two stand-ins for the ESPs of a RAID 1 system: GRUB cannot write to md, so each disk
    // carries the one-shot flag itself.
    const esps = ['AAAA-0001', 'BBBB-0002'].map((uuid) => {
      const file = join(dir, uuid, 'grubenv');
      return {
        uuid,
        path: ESP_TRIAL_ENV,
        file,
        write: async (vars: Record<string, string | null>) => {
          await mkdir(join(dir, uuid), { recursive: true });
          await grubEnvWrite(file, vars);
        },
      };
    });
    const store = new ImageStore(join(dir, 'disk'), UUID, '1.0', esps);
    await store.add(await source('1.0', '2026-01-01T00:00:00Z'));
    await store.add(await source('1.1', '2026-02-01T00:00:00Z'));
    await store.setDefault('1.0');
    await store.setTrial('1.1');
    for (const e of esps) expect((await grubEnvRead(e.file)).tandem_trial).toBe('1.1');
    // Not on the system disk: GRUB could not clear it there.
    expect((await grubEnvRead(join(dir, 'disk', 'boot', 'grub', 'grubenv'))).tandem_trial).toBeUndefined();
    const menu = await readFile(join(dir, 'disk', 'boot', 'grub', 'grub.cfg'), 'utf8');
    for (const e of esps) {
      expect(menu).toContain(`search --no-floppy --fs-uuid --set=tandem_env ${e.uuid}`);
    }
    expect(menu).toContain('save_env --file (${tandem_env})/tandem/grubenv tandem_trial');
    await store.settleTrial({ failed: '1.1' });
    for (const e of esps) expect((await grubEnvRead(e.file)).tandem_trial).toBeUndefined();
    expect(await store.bootState()).toEqual({ defaultBoot: '1.0', pending: null, failed: '1.1' });
  });
});

describe('running system', () => {
  it('tells the live medium, an installed image and anything else apart', () => {
    expect(parseCmdline('BOOT_IMAGE=/live/vmlinuz boot=live components quiet')).toEqual({ kind: 'live' });
    expect(
      parseCmdline(`BOOT_IMAGE=/boot/1.0/vmlinuz boot=tandem tandem.disk=${UUID} tandem.image=1.0 quiet\n`),
    ).toEqual({
      kind: 'installed',
      image: '1.0',
      uuid: UUID,
    });
    expect(parseCmdline('BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro')).toEqual({ kind: 'other' });
    expect(parseCmdline('boot=tandem tandem.image=1.0')).toEqual({ kind: 'other' });
  });
});
