// format … like … and show disk … format, run as the CLI runs them, on real loop devices (spec 6
// items 10–11): every disk a command may write is a loop device this file attached to its own
// sparse file, asserted before the command runs. The host's disks are never named.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatDiskCommand, showDiskFormatCommand } from '../../src/cli/diskCommands.js';
import { GPT_TYPE, writeGpt } from '../../src/platform/blockDevices.js';
import { makeExt4, mount } from '../../src/platform/fileSystems.js';
import { rescanPartitions } from '../../src/platform/partitionTable.js';
import { run } from '../../src/platform/run.js';

const MiB = 1024 ** 2;
let dir: string;
let savedStateDir: string | undefined;
const loops: string[] = [];
const mounts: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-disk-format-'));
  savedStateDir = process.env.TANDEM_STATE_DIR;
  // The commands keep their backups under $TANDEM_STATE_DIR/raid: here, not in /var/lib.
  process.env.TANDEM_STATE_DIR = join(dir, 'state');
});

afterEach(async () => {
  for (const m of mounts.splice(0)) await run(['umount', m], { allowFailure: true });
  for (const l of loops.splice(0)) await run(['losetup', '-d', `/dev/${l}`], { allowFailure: true });
  await rm(join(dir, 'state'), { recursive: true, force: true });
});

afterAll(async () => {
  if (savedStateDir === undefined) delete process.env.TANDEM_STATE_DIR;
  else process.env.TANDEM_STATE_DIR = savedStateDir;
  await rm(dir, { recursive: true, force: true });
});

/** A loop device (with partition scanning) on a new sparse file of this test; its name. */
async function attach(file: string, bytes: number): Promise<string> {
  const path = join(dir, file);
  const fh = await open(path, 'w');
  await fh.truncate(bytes);
  await fh.close();
  const name = (await run(['losetup', '-f', '--show', '-P', path])).stdout.trim().replace(/^\/dev\//, '');
  loops.push(name);
  return name;
}

/** Spec 6 item 11: a disk about to be written must be one of this test's own loop devices. */
async function assertMine(disk: string): Promise<void> {
  expect(loops).toContain(disk);
  const backing = (await readFile(`/sys/block/${disk}/loop/backing_file`, 'utf8')).trim();
  expect(backing.startsWith(`${dir}/`)).toBe(true);
}

/** A source disk with Tandem's layout (spec 6 item 7) and a blank target. */
async function disks(targetBytes = 600 * MiB): Promise<{ src: string; dst: string }> {
  const src = await attach('source.img', 512 * MiB);
  const dst = await attach('target.img', targetBytes);
  await assertMine(src);
  await writeGpt(src, [
    { sizeMiB: 1, type: GPT_TYPE.biosBoot, name: 'bios-boot' },
    { sizeMiB: 100, type: GPT_TYPE.efiSystem, name: 'efi' },
    { type: GPT_TYPE.linuxRaid, name: 'raid' },
  ]);
  return { src, dst };
}

/** Gives the target a one-partition table of its own, visible to the kernel. */
async function partitionTarget(dst: string): Promise<void> {
  await assertMine(dst);
  await writeGpt(dst, [{ sizeMiB: 64, type: GPT_TYPE.linux, name: 'old' }]);
  await rescanPartitions(`/dev/${dst}`);
}

interface View {
  disk: string;
  label: string | null;
  identifier: string | null;
  partitions: Record<string, unknown>[];
}
const show = async (disk: string) => JSON.parse(await showDiskFormatCommand([disk, 'format'], true)) as View;
/** Start, end, size and type of each partition: what R-33 says must match. */
const layoutOf = (v: View) => v.partitions.map(({ device: _device, ...rest }) => rest);

const asked: string[] = [];
const answer = (a: string) => (question: string, dflt: string) => {
  asked.push(question);
  expect(dflt).toBe('no');
  return Promise.resolve(a);
};
const backups = async () => readdir(join(dir, 'state', 'raid')).catch(() => [] as string[]);

describe('format <disk1> like <disk2> on loop devices', () => {
  it('answered yes: the target gets the same partitions, fresh GUIDs, a backup, and its /dev nodes', async () => {
    const { src, dst } = await disks();
    await assertMine(dst);
    asked.length = 0;
    const out = await formatDiskCommand([dst, 'like', src], new Set(), answer('yes'));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`will be copied to ${dst}`);
    expect(out).toMatch(
      new RegExp(`^${dst} is partitioned like ${src} \\(3 partitions, empty: no data was copied\\)`),
    );

    const [a, b] = [await show(src), await show(dst)];
    expect(layoutOf(b)).toEqual(layoutOf(a));
    expect(layoutOf(a).map((p) => p.typeId)).toEqual(['ef02', 'ef00', 'fd00']);
    expect(b.partitions.map((p) => p.device)).toEqual([1, 2, 3].map((n) => `${dst}p${n}`));
    expect(b.label).toBe('gpt');
    expect(b.identifier).not.toBe(a.identifier);
    // the kernel knows the new partitions at once.
    for (const n of [1, 2, 3]) expect(existsSync(`/dev/${dst}p${n}`)).toBe(true);

    const human = await showDiskFormatCommand([`/dev/${dst}`, 'format'], false);
    expect(human).toContain(`Disk /dev/${dst}: 629 MB, 629145600 bytes`);
    expect(human).toMatch(new RegExp(`/dev/${dst}p3 +208896 +1046527 +418816 +fd00 +Linux RAID`));

    const files = await backups();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^partition-backup-${dst}-\\d{8}T\\d{6}\\.\\d{3}Z\\.sfdisk$`));
    expect(out).toContain(join(dir, 'state', 'raid', files[0]!));
  });

  it('answered anything but yes (or nothing): the target is unchanged', async () => {
    const { src, dst } = await disks();
    await partitionTarget(dst);
    const before = await show(dst);
    for (const a of ['no', '', 'y', 'yes please']) {
      await assertMine(dst);
      const out = await formatDiskCommand(['disk', dst, 'like', src], new Set(), answer(a));
      expect(out).toBe(`Not formatted: ${dst} is unchanged.`);
    }
    expect(await show(dst)).toEqual(before);
    expect(await backups()).toEqual([]);
  });

  it('--auto answers yes', async () => {
    const { src, dst } = await disks();
    await partitionTarget(dst);
    await assertMine(dst);
    await formatDiskCommand(['disk', `/dev/${dst}`, 'like', `/dev/${src}`], new Set(['auto']), () =>
      Promise.reject(new Error('--auto must not ask')),
    );
    expect(layoutOf(await show(dst))).toEqual(layoutOf(await show(src)));
    const backup = await readFile(join(dir, 'state', 'raid', (await backups())[0]!), 'utf8');
    expect(backup).toContain(`/dev/${dst}p1 : start=`);
  });

  it('refuses the same disk, an absent disk, a partition, and a too small disk: nothing written', async () => {
    const { src, dst } = await disks();
    await partitionTarget(dst);
    const small = await attach('small.img', 300 * MiB);
    const [srcBefore, dstBefore, smallBefore] = [await show(src), await show(dst), await show(small)];
    let absent = 200;
    while (existsSync(`/sys/block/loop${absent}`)) absent++;
    const cases: [string[], string | RegExp][] = [
      [[src, 'like', src], `cannot format ${src} like itself: name two disks`],
      [[dst, 'like', `/dev/${dst}`], `cannot format ${dst} like itself: name two disks`],
      [[`loop${absent}`, 'like', src], `there is no disk loop${absent}`],
      [[dst, 'like', `loop${absent}`], `there is no disk loop${absent}`],
      [[`${dst}p1`, 'like', src], `${dst}p1 is a partition, not a whole disk (${dst} is)`],
      [[dst, 'like', `${dst}p1`], `${dst}p1 is a partition, not a whole disk (${dst} is)`],
      [[small, 'like', src], /^disk too small: loop\d+ has 614400 sectors \(300 MiB\)/],
    ];
    for (const [words, message] of cases) {
      for (const l of loops) await assertMine(l);
      await expect(formatDiskCommand(words, new Set(['auto']), answer('yes'))).rejects.toThrow(message);
    }
    expect([await show(src), await show(dst), await show(small)]).toEqual([
      srcBefore,
      dstBefore,
      smallBefore,
    ]);
    expect(await backups()).toEqual([]);
    await expect(show(`${dst}p1`)).rejects.toThrow('is a partition, not a whole disk');
    await expect(show(`loop${absent}`)).rejects.toThrow(`there is no disk loop${absent}`);
  });

  it('refuses a target with a mounted partition: nothing written', async () => {
    const { src, dst } = await disks();
    await partitionTarget(dst);
    await makeExt4(`/dev/${dst}p1`, 'busy');
    const at = join(dir, 'mnt');
    await mkdir(at, { recursive: true });
    await mount(`/dev/${dst}p1`, at);
    mounts.push(at);
    const before = await show(dst);
    await assertMine(dst);
    await expect(formatDiskCommand([dst, 'like', src], new Set(['auto']), answer('yes'))).rejects.toThrow(
      `${dst} is in use (${dst}p1 is mounted on ${at}): stop using it first`,
    );
    expect(await show(dst)).toEqual(before);
    expect(await backups()).toEqual([]);
  });
});
