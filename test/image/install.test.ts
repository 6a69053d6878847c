// install image and the images that follow it, in qemu (TCG) guests: the live ISO installs itself
// on a blank virtual disk; the disk boots by BIOS and by UEFI with the configuration made on the
// live system; an upgrade (add system image) boots once on trial and becomes the default when
// tandemd comes up; an upgrade whose tandemd never comes up, and one whose boot panics, roll back
// to the image that worked. The tests run in order on one disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectApplianceRunning } from './appliance.js';
import { respinIso } from './respin.js';
import { Guest } from '../../src/lab/qemuGuest.js';

const iso = inject('iso');
const scratch = mkdtempSync(join(tmpdir(), 'tandem-install-'));
const disk = join(scratch, 'disk.img');
const diskArgs = ['-drive', `file=${disk},format=raw,if=virtio`];
let nextIso = '';
let brokenIso = '';
let g: Guest | undefined;
/** Each test needs the disk the one before it left: fail at once instead of waiting on a blank disk. */
let stage = 0;
const after = (n: number) => expect(stage, `an earlier test of this file failed`).toBe(n);
/** The operator is an admin: it becomes root with its password (systemctl needs root here). */
const ROOT = "echo tandem | sudo -S -p '' --";

beforeAll(async () => {
  execFileSync('truncate', ['-s', '2G', disk]);
  nextIso = await respinIso(inject('imageDir'), '0.1.0-next');
  brokenIso = await respinIso(inject('imageDir'), '0.1.0-broken');
});
afterEach(async () => {
  await g?.stop();
  g = undefined;
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const f of [nextIso, brokenIso]) if (f) rmSync(f, { force: true });
});

async function boot(args: string[], opts: { reboot?: boolean } = {}): Promise<Guest> {
  g = await Guest.boot(args, opts);
  await g.login();
  await g.waitForTandemd();
  return g;
}

interface ImageView {
  images: { name: string; defaultBoot: boolean; running: boolean; pending: boolean }[];
  boot: { defaultBoot: string | null; pending: string | null; failed: string | null };
}
async function images(guest: Guest): Promise<ImageView> {
  const r = await guest.shell('tandem show system image --json');
  expect(r.code, r.output).toBe(0);
  return JSON.parse(r.output) as ImageView;
}
const summary = (v: ImageView) =>
  v.images
    .map(
      (i) =>
        `${i.name}${i.defaultBoot ? ' default' : ''}${i.running ? ' running' : ''}${i.pending ? ' pending' : ''}`,
    )
    .sort();

/** After a reboot the guest comes back by itself: the next login from console position `from`. */
async function loginAgain(guest: Guest, from: number): Promise<void> {
  await guest.login(from);
  await guest.waitForTandemd(from);
}

/** The boot check has run (it settles a trial once tandemd answers; the unit remains active). */
async function bootCheckDone(guest: Guest): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const state = (await guest.shell(`${ROOT} systemctl is-active tandem-boot-check`)).output.trim();
    if (state === 'active') return;
    if (state === 'failed')
      throw new Error(
        `the boot check failed:\n${(await guest.shell(`${ROOT} journalctl -u tandem-boot-check`)).output}`,
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the boot check did not finish');
}

describe('install image', () => {
  it('boots the ISO by BIOS and installs the live system on a blank disk, asking first', async () => {
    const guest = await boot(['-cdrom', iso, ...diskArgs, '-boot', 'd']);
    // The ISO's BIOS boot: this build's tandemd runs from its unit.
    await expectApplianceRunning(guest, inject('manifestHash'));
    expect((await guest.shell('tandem show system image')).output).toContain('Running from the live medium');
    // A configuration committed and saved on the live system goes to the disk with the image.
    const c = await guest.shell(
      `printf 'set system host-name r-installed\\ncommit\\nsave\\n' | tandem configure`,
    );
    expect(c.code, c.output).toBe(0);
    // Bad input changes nothing.
    const bad = await guest.shell('tandem install image disk vdz --auto');
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toContain('no disk named "vdz"');

    // Interactive: the operator declines once (nothing written), then accepts.
    let from = guest.text.length;
    guest.type('tandem install image');
    await guest.expect(/Install on which disk\? \[vda\]: $/m, 120_000, from);
    guest.type('');
    await guest.expect(
      /This erases everything on vda \(2\.0 GiB\)\. Are you sure you want to do this\? \(Yes\/No\) \[No\]: $/m,
      60_000,
      from,
    );
    guest.type('no');
    // The shell prompt again before the next command (input typed while sudo runs a command is lost).
    await guest.expect(
      /\$ $/,
      60_000,
      await guest.expect(/Not installed: nothing was changed\./, 60_000, from),
    );
    expect((await guest.shell('lsblk -rno NAME /dev/vda')).output.trim()).toBe('vda');

    from = guest.text.length;
    guest.type('tandem install image');
    await guest.expect(/Install on which disk\? \[vda\]: $/m, 120_000, from);
    guest.type('vda');
    await guest.expect(/Are you sure you want to do this\? \(Yes\/No\) \[No\]: $/m, 60_000, from);
    guest.type('yes');
    const done = await guest.expect(
      /Image 0\.1\.0 is installed on vda\. Remove the installation medium and reboot\./,
      600_000,
      from,
    );
    await guest.expect(/\$ $/, 60_000, done);
    expect((await guest.shell('lsblk -rno NAME,PARTLABEL /dev/vda')).output).toMatch(
      /vda1 bios-boot\s+vda2 efi\s+vda3 tandem-system/,
    );
    stage = 1;
  });

  it('boots from the disk by BIOS, with the live system configuration', async () => {
    after(1);
    const guest = await boot(diskArgs);
    expect((await guest.shell('cat /proc/cmdline')).output).toMatch(/boot=tandem .*tandem\.image=0\.1\.0/);
    expect((await guest.shell('hostname')).output.trim()).toBe('r-installed');
    expect((await guest.shell('tandem show configuration system host-name')).output).toContain('r-installed');
    expect(summary(await images(guest))).toEqual(['0.1.0 default running']);
    // The image's writable layer is on the disk: what is written now is there at the next boot.
    // Flushed, as a clean shutdown would: the guest is powered off, not shut down.
    expect((await guest.shell('echo kept > ~/marker && sync')).code).toBe(0);
    // Already installed: install image refuses and points at add system image.
    const again = await guest.shell('tandem install image --auto');
    expect(again.code, again.output).toBe(1);
    expect(again.output).toContain('already installed');
    stage = 2;
  });

  it('boots from the same disk by UEFI (OVMF), keeping what was written', async () => {
    after(2);
    const guest = await boot(['-bios', '/usr/share/ovmf/OVMF.fd', ...diskArgs]);
    expect((await guest.shell('cat ~/marker')).output.trim()).toBe('kept');
    expect((await guest.shell('ls /sys/firmware/efi >/dev/null && echo uefi')).output.trim()).toBe('uefi');
    expect((await guest.shell('tandem show system image')).output).toMatch(/0\.1\.0 .* yes\s+yes/);
    stage = 3;
  });

  it('upgrades: add system image boots the new image once, and makes it the default when tandemd runs', async () => {
    after(3);
    const guest = await boot([...diskArgs, '-drive', `file=${nextIso},media=cdrom`], { reboot: true });
    const add = await guest.shell('tandem add system image /dev/sr0 --auto', 300_000);
    expect(add.code, add.output).toBe(0);
    expect(add.output).toContain('Image 0.1.0-next is installed and boots next');
    expect(summary(await images(guest))).toEqual(['0.1.0 default running', '0.1.0-next pending']);
    const dup = await guest.shell('tandem add system image /dev/sr0 --auto', 300_000);
    expect(dup.code, dup.output).toBe(1);
    expect(dup.output).toContain('an image named "0.1.0-next" is already installed');

    const from = guest.text.length;
    guest.type('tandem reboot --auto');
    await loginAgain(guest, from);
    await bootCheckDone(guest);
    expect((await guest.shell('cat /proc/cmdline')).output).toContain('tandem.image=0.1.0-next');
    expect(summary(await images(guest))).toEqual(['0.1.0', '0.1.0-next default running']);
    // /config is shared by the images.
    expect((await guest.shell('hostname')).output.trim()).toBe('r-installed');
    // The old image stays for a rollback; the running one cannot go.
    expect((await guest.shell('tandem delete system image 0.1.0-next --auto')).output).toContain(
      'is running',
    );
    stage = 4;
  });

  it('rolls back when the new image never gets tandemd up, and when its boot panics', async () => {
    after(4);
    const guest = await boot([...diskArgs, '-drive', `file=${brokenIso},media=cdrom`], { reboot: true });
    expect((await guest.shell('tandem add system image /dev/sr0 --auto', 300_000)).code).toBe(0);
    // Break tandemd in the new image's own writable layer, and shorten the wait for it.
    const rw = '/run/tandem/disk/boot/0.1.0-broken/rw/etc/systemd/system';
    const broke = await guest.shell(
      `${ROOT} sh -c 'mkdir -p ${rw}/tandemd.service.d ${rw}/tandem-boot-check.service.d && printf "[Service]\\nExecStart=\\nExecStart=/bin/false\\n" > ${rw}/tandemd.service.d/broken.conf && printf "[Service]\\nEnvironment=TANDEM_BOOT_CHECK_SECONDS=20\\n" > ${rw}/tandem-boot-check.service.d/short.conf'`,
    );
    expect(broke.code, broke.output).toBe(0);
    let from = guest.text.length;
    guest.type('tandem reboot --auto');
    await guest.expect(
      /image 0\.1\.0-broken did not reach tandemd within 20 s: rebooting into 0\.1\.0-next/,
      900_000,
      from,
    );
    from = guest.text.length;
    await loginAgain(guest, from);
    await bootCheckDone(guest);
    expect((await guest.shell('cat /proc/cmdline')).output).toContain('tandem.image=0.1.0-next');
    let v = await images(guest);
    expect(summary(v)).toEqual(['0.1.0', '0.1.0-broken', '0.1.0-next default running']);
    expect(v.boot.failed).toBe('0.1.0-broken');
    expect((await guest.shell('tandem show system image')).output).toContain(
      'The last upgrade, to 0.1.0-broken, did not reach tandemd and was rolled back.',
    );

    // Again with an image whose squashfs is damaged: the initramfs panics, the machine reboots
    // after panic=10, and GRUB's one-shot entry is spent, so the working image boots.
    expect((await guest.shell('tandem delete system image 0.1.0-broken --auto')).code).toBe(0);
    expect((await guest.shell('tandem add system image /dev/sr0 --auto', 300_000)).code).toBe(0);
    expect(
      (await guest.shell(`${ROOT} truncate -s 4096 /run/tandem/disk/boot/0.1.0-broken/filesystem.squashfs`))
        .code,
    ).toBe(0);
    from = guest.text.length;
    guest.type('tandem reboot --auto');
    await guest.expect(/tandem: cannot mount the squashfs of image 0\.1\.0-broken/, 900_000, from);
    from = guest.text.length;
    await loginAgain(guest, from);
    await bootCheckDone(guest);
    expect((await guest.shell('cat /proc/cmdline')).output).toContain('tandem.image=0.1.0-next');
    v = await images(guest);
    expect(v.boot).toEqual({ defaultBoot: '0.1.0-next', pending: null, failed: '0.1.0-broken' });
    expect(guest.text.slice(from)).toContain('image 0.1.0-broken did not boot; still running 0.1.0-next');
    stage = 5;
  });
});
