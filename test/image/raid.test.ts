// RAID 1 system disks in qemu (TCG) guests — this machine's kernel has no md driver, the image's
// has. The live ISO installs itself on a mirror over two disks of different sizes; the mirror
// boots, reports a failed member on the console and in `show raid`, refuses bad input; either
// disk alone boots the system degraded; a blank replacement disk is partitioned like the good
// one, rebuilt onto, made bootable, and boots the system on its own; reinstalling finds the
// mirror and keeps its configuration. The tests run in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Guest } from '../../src/lab/qemuGuest.js';

const iso = inject('iso');
const scratch = mkdtempSync(join(tmpdir(), 'tandem-raid-'));
const file = (n: string) => join(scratch, `${n}.img`);
const drive = (n: string) => ['-drive', `file=${file(n)},format=raw,if=virtio`];
const UEFI = ['-bios', '/usr/share/ovmf/OVMF.fd'];
let g: Guest | undefined;
let stage = 0;
const after = (n: number) => expect(stage, `an earlier test of this file failed`).toBe(n);
const ROOT = "echo tandem | sudo -S -p '' --";
const MOTD = '/run/motd.d/50-tandem-raid';

/** The output of `command` once it succeeds (tandemd may still be starting its monitor). */
async function eventually(guest: Guest, command: string): Promise<string> {
  for (let i = 0; i < 30; i++) {
    const r = await guest.shell(command);
    if (r.code === 0) return r.output;
    await new Promise((res) => setTimeout(res, 1000));
  }
  return (await guest.shell(command)).output;
}

beforeAll(() => {
  // Different sizes: the mirror is sized from the smaller disk (spec §1).
  execFileSync('truncate', ['-s', '2G', file('a')]);
  execFileSync('truncate', ['-s', '1536M', file('b')]);
  execFileSync('truncate', ['-s', '2G', file('c')]);
});
afterEach(async () => {
  await g?.stop();
  g = undefined;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function boot(args: string[]): Promise<Guest> {
  g = await Guest.boot(args);
  await g.login();
  await g.waitForTandemd();
  return g;
}

interface RaidView {
  stateText: string;
  state: { degraded: boolean; recovering: boolean; synchronized: boolean };
  activeDevices: number;
  failedDevices: number;
  rebuild: { action: string; percent: number } | null;
  rootFilesystem: boolean;
  members: { raidDevice: number | null; state: string; device: string | null }[];
}
async function raid(guest: Guest): Promise<RaidView> {
  const r = await guest.shell('tandem show raid md0 --json');
  expect(r.code, r.output).toBe(0);
  return JSON.parse(r.output) as RaidView;
}
const rows = (v: RaidView) => v.members.map((m) => `${m.device ?? '-'} ${m.state}`);

/** Waits (generously: TCG copies slowly) until the mirror is whole again. */
async function synchronized(guest: Guest): Promise<RaidView> {
  for (let i = 0; i < 360; i++) {
    const v = await raid(guest);
    if (v.state.synchronized) return v;
    await new Promise((r) => setTimeout(r, 5000));
  }
  throw new Error('md0 never became synchronized');
}

interface DiskView {
  partitions: { startSector: number; sectors: number; typeId: string }[];
}
async function layout(guest: Guest, disk: string): Promise<string[]> {
  const r = await guest.shell(`tandem show disk ${disk} format --json`);
  expect(r.code, r.output).toBe(0);
  return (JSON.parse(r.output) as DiskView).partitions.map(
    (p) => `${p.startSector}+${p.sectors} ${p.typeId}`,
  );
}

describe('RAID 1 system disks', () => {
  it('installs on a mirror over two disks of different sizes, asking first', async () => {
    const guest = await boot(['-cdrom', iso, ...drive('a'), ...drive('b'), '-boot', 'd']);
    const from = guest.text.length;
    guest.type('tandem install image');
    await guest.expect(
      /Would you like to configure RAID 1 mirroring on them\? \(Yes\/No\) \[Yes\]: $/m,
      120_000,
      from,
    );
    guest.type('Yes');
    await guest.expect(/Are you sure you want to do this\? \(Yes\/No\) \[No\]: $/m, 60_000, from);
    guest.type('No');
    await guest.expect(
      /\$ $/,
      60_000,
      await guest.expect(/Not installed: nothing was changed\./, 60_000, from),
    );

    const bad = await guest.shell('tandem install image --auto --raid1 disk vda vda');
    expect(bad.output).toContain('a mirror needs two different disks');
    const r = await guest.shell('tandem install image --auto --raid1', 900_000);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('is installed on the RAID 1 set md0 over vda and vdb');
    // Both disks carry the same layout, sized from the smaller one; the rest of vda is unused.
    expect(await layout(guest, 'vda')).toEqual(await layout(guest, 'vdb'));
    expect((await layout(guest, 'vda')).map((p) => p.split(' ')[1])).toEqual(['ef02', 'ef00', 'fd00']);
    const v = await raid(guest);
    expect(v.rootFilesystem).toBe(false); // the live system runs from the ISO
    expect(v.members.map((m) => m.device).sort()).toEqual(['vda3', 'vdb3']);
    stage = 1;
  });

  it('boots from the mirror, reports a failed member, and refuses bad input', async () => {
    after(1);
    const guest = await boot([...drive('a'), ...drive('b')]);
    const v = await synchronized(guest);
    expect(v.rootFilesystem).toBe(true);
    expect(v.stateText).toMatch(/^(clean|active)$/);
    expect(v.activeDevices).toBe(2);
    expect(rows(v).sort()).toEqual(['vda3 active sync', 'vdb3 active sync']);
    const text = (await guest.shell('tandem show raid md0')).output;
    expect(text).toMatch(/^\/dev\/md0:\n/);
    expect(text).not.toContain('Rebuild Status');

    // A member fails: the console says so at once, show raid shows it, the router keeps working.
    const from = guest.text.length;
    expect((await guest.shell(`${ROOT} mdadm /dev/md0 --fail /dev/vdb3`)).code).toBe(0);
    await guest.expect(/tandem: RAID set md0: member vdb3 failed/, 30_000, from);
    const failed = await raid(guest);
    expect(failed.state.degraded).toBe(true);
    expect(failed.failedDevices).toBe(1);
    expect(rows(failed)).toContain('vdb3 faulty');
    const c = await guest.shell(
      `printf 'set system host-name r-degraded\\ncommit\\nsave\\n' | tandem configure`,
    );
    expect(c.code, c.output).toBe(0);
    const log = await guest.shell('tandem show log raid');
    expect(log.output).toContain('RAID set md0 is degraded: running on vda3 only');

    // Bad input changes nothing.
    for (const [cmd, message] of [
      ['add raid md9 member vdb3', 'md9 is not a RAID set'],
      ['add raid md0 member vdb', 'vdb is not a valid disk partition'],
      ['add raid md0 member vda3', 'vda3 is already a member of md0'],
      ['add raid md0 member vda2', 'is too small for md0'],
      ['delete raid md0 member vdc3', 'vdc3 is not a member of md0'],
      ['format vda like vda', ''],
    ] as const) {
      const r = await guest.shell(`tandem ${cmd}`);
      expect(r.code, `${cmd}: ${r.output}`).not.toBe(0);
      expect(r.output).toContain(message);
    }
    expect((await guest.shell('tandem delete raid md0 member vdb3')).output).toContain(
      'Removed vdb3 from md0',
    );
    const last = await guest.shell('tandem delete raid md0 member vda3');
    expect(last.output).toContain("can't remove the last member of a RAID set");
    const gone = await raid(guest);
    expect(gone.failedDevices).toBe(0);
    expect(rows(gone)).toEqual(['vda3 active sync', '- removed']);

    // The same partition back: rebuilt, and whole again.
    const add = await guest.shell('tandem add raid md0 member vdb3 --auto');
    expect(add.code, add.output).toBe(0);
    expect(add.output).toContain('Do not reboot before the rebuild has finished');
    expect(rows(await synchronized(guest)).sort()).toEqual(['vda3 active sync', 'vdb3 active sync']);
    stage = 2;
  });

  it('reinstalls onto the mirror it finds, keeping its configuration', async () => {
    after(2);
    const guest = await boot(['-cdrom', iso, ...drive('a'), ...drive('b'), '-boot', 'd']);
    const from = guest.text.length;
    guest.type('tandem install image');
    await guest.expect(/There is a RAID 1 set here: md0 on vd[ab]3 and vd[ab]3\./, 120_000, from);
    await guest.expect(/Would you like to use this one\? \(Yes\/No\) \[Yes\]: $/m, 60_000, from);
    guest.type('Yes');
    await guest.expect(
      /Would you like me to save the data on it before I delete it\? \(Yes\/No\) \[Yes\]: $/m,
      60_000,
      from,
    );
    guest.type('Yes');
    const done = await guest.expect(
      /Image 0\.1\.0 is installed on the RAID 1 set md0 over vd[ab] and vd[ab], with its configuration\./,
      900_000,
      from,
    );
    await guest.expect(/\$ $/, 60_000, done);
    stage = 3;
  });

  it('boots degraded from either disk alone (UEFI from the first, BIOS from the second)', async () => {
    after(3);
    for (const args of [[...UEFI, ...drive('a')], drive('b')]) {
      const guest = await boot(args);
      const v = await raid(guest);
      expect(v.state.degraded).toBe(true);
      expect(v.rootFilesystem).toBe(true);
      expect(rows(v)).toContain('vda3 active sync');
      expect((await guest.shell('hostname')).output.trim()).toBe('r-degraded');
      // Every login says so while it lasts (tandemd writes it for pam_motd).
      expect(await eventually(guest, `cat ${MOTD}`)).toMatch(/WARNING: RAID set md0 is degraded/);
      await g!.stop();
      g = undefined;
    }
    stage = 4;
  });

  it('rebuilds onto a blank replacement disk, which then boots the system on its own', async () => {
    after(4);
    const guest = await boot([...drive('a'), ...drive('c')]);
    expect((await guest.shell('tandem format vdb like vda --auto')).code).toBe(0);
    expect(await layout(guest, 'vdb')).toEqual(await layout(guest, 'vda'));
    // Slowed down, so the rebuild is seen in progress (spec scenario 7).
    expect((await guest.shell(`${ROOT} sh -c 'echo 2000 > /sys/block/md0/md/sync_speed_max'`)).code).toBe(0);
    const add = await guest.shell('tandem add raid md0 member vdb3 --auto');
    expect(add.code, add.output).toBe(0);
    const first = await raid(guest);
    expect(first.stateText).toMatch(/degraded, recovering/);
    expect(rows(first)).toContain('vdb3 spare rebuilding');
    await new Promise((r) => setTimeout(r, 5000));
    const later = await raid(guest);
    expect(later.rebuild!.percent).toBeGreaterThanOrEqual(first.rebuild!.percent);
    expect((await guest.shell('tandem show raid md0')).output).toMatch(/Rebuild Status : \d+% complete/);
    expect((await guest.shell(`${ROOT} sh -c 'echo system > /sys/block/md0/md/sync_speed_max'`)).code).toBe(
      0,
    );
    await synchronized(guest);
    // tandemd writes the boot loader on the new disk once the rebuild is done (spec R-13).
    for (let i = 0; i < 120; i++) {
      if ((await guest.shell('tandem show log raid')).output.includes('boot loader installed on vdb')) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect((await guest.shell('tandem show log raid')).output).toContain('boot loader installed on vdb');
    expect((await guest.shell(`test -e ${MOTD}`)).code).not.toBe(0);
    await g!.stop();
    g = undefined;

    const alone = await boot([...UEFI, ...drive('c')]);
    const v = await raid(alone);
    expect(v.state.degraded).toBe(true);
    expect(rows(v)).toContain('vda3 active sync'); // the replacement is vda when it is the only disk
    stage = 5;
  });
});
