// show disk … format and format … like …: names, type names, the fdisk-style view, the refusals
// on lsblk trees, and the copy itself with the real sfdisk on sparse image files.
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockDevice } from '../support/blockDevice.js';
import { formatDiskCommand, showDiskFormatCommand } from '../../../src/cli/diskCommands.js';
import {
  checkFits,
  checkFormatTargets,
  copyDiskLayout,
  diskFormatView,
  parseDeviceName,
  partitionType,
  renderDiskFormat,
  type DiskFormatView,
} from '../../../src/features/raid/diskFormat.js';
import { GPT_TYPE, type BlockDevice } from '../../../src/platform/blockDevices.js';
import {
  copyScript,
  parseSfdiskJson,
  readDiskLayout,
  type DiskLayout,
} from '../../../src/platform/partitionTable.js';
import { run } from '../../../src/platform/run.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

const GPT_JSON = JSON.stringify({
  partitiontable: {
    label: 'gpt',
    id: '6B53EF95-D561-244F-9E4F-4827B8EC919B',
    device: '/dev/sda',
    unit: 'sectors',
    firstlba: 2048,
    lastlba: 1048542,
    sectorsize: 512,
    partitions: [
      {
        node: '/dev/sda1',
        start: 2048,
        size: 2048,
        type: GPT_TYPE.biosBoot,
        uuid: 'DF8B041A-3FA8-1A4A-91CF-FF96A87AD05C',
        name: 'bios-boot',
      },
      {
        node: '/dev/sda2',
        start: 4096,
        size: 204800,
        type: GPT_TYPE.efiSystem,
        uuid: '44C881CF-498F-424A-852E-1F91CEF67751',
        name: 'efi',
      },
      {
        node: '/dev/sda3',
        start: 208896,
        size: 837631,
        type: GPT_TYPE.linuxRaid,
        uuid: '18E1C4BE-5AF7-FB46-90A1-0216EE0828C6',
        name: 'raid',
      },
      { node: '/dev/sda5', start: 1046528, size: 2014, type: '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709' },
    ],
  },
});

const DOS_JSON = JSON.stringify({
  partitiontable: {
    label: 'dos',
    id: '0xb7179',
    device: 'm.img',
    unit: 'sectors',
    sectorsize: 512,
    partitions: [
      { node: 'm.img1', start: 2048, size: 65536, type: '83', bootable: true },
      { node: 'm.img2', start: 67584, size: 63488, type: 'fd' },
    ],
  },
});

const layout = (table: string | null, sizeBytes: number, sectorSize = 512): DiskLayout => ({
  path: '/dev/x',
  sizeBytes,
  sectorSize,
  blockDevice: true,
  table: table === null ? null : parseSfdiskJson(table),
});

const dev = (name: string, more: Partial<BlockDevice> = {}) =>
  blockDevice(name, { sizeBytes: 1024 * MiB, ...more });
const part = (name: string, more: Partial<BlockDevice> = {}) => dev(name, { type: 'part', ...more });

describe('device names', () => {
  it('accepts the disk and partition families with or without /dev/', () => {
    expect(parseDeviceName('/dev/sdb')).toEqual({ name: 'sdb', kind: 'disk', disk: 'sdb' });
    for (const d of ['sda', 'vdb', 'xvdc', 'hda', 'sdaa', 'nvme0n1', 'mmcblk0', 'loop12'])
      expect(parseDeviceName(d)?.kind).toBe('disk');
    expect(parseDeviceName('sda2')).toEqual({ name: 'sda2', kind: 'partition', disk: 'sda' });
    expect(parseDeviceName('/dev/nvme0n1p3')).toEqual({
      name: 'nvme0n1p3',
      kind: 'partition',
      disk: 'nvme0n1',
    });
    expect(parseDeviceName('mmcblk1p2')?.disk).toBe('mmcblk1');
    expect(parseDeviceName('loop3p1')?.disk).toBe('loop3');
    for (const bad of ['md0', 'sr0', 'nvme0', 'loop', 'sda/1', '../sda', 'dm-0', 'sd', 'loop0p', ''])
      expect(parseDeviceName(bad)).toBeNull();
  });
});

describe('partition type names', () => {
  it('names GPT types by their short code, and shows an unknown GUID', () => {
    expect(partitionType('gpt', GPT_TYPE.biosBoot)).toEqual({ id: 'ef02', name: 'BIOS boot' });
    expect(partitionType('gpt', GPT_TYPE.efiSystem.toLowerCase())).toEqual({
      id: 'ef00',
      name: 'EFI System',
    });
    expect(partitionType('gpt', GPT_TYPE.linux)).toEqual({ id: '8300', name: 'Linux filesystem' });
    expect(partitionType('gpt', GPT_TYPE.linuxRaid)).toEqual({ id: 'fd00', name: 'Linux RAID' });
    expect(partitionType('gpt', '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F')).toEqual({
      id: '8200',
      name: 'Linux swap',
    });
    expect(partitionType('gpt', 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7').name).toBe('Microsoft basic data');
    expect(partitionType('gpt', '4f68bce3-e8cd-4db1-96e7-fbcaf984b709')).toEqual({
      id: '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709',
      name: 'Unknown',
    });
  });

  it('names MBR ids as fdisk did', () => {
    const names = ['83', '82', 'fd', 'ef', '7', '07', 'c', '5', 'ee', 'FD', '0x83', '42'].map((t) => {
      const x = partitionType('dos', t);
      return `${x.id} ${x.name}`;
    });
    expect(names).toEqual([
      '83 Linux',
      '82 Linux swap / Solaris',
      'fd Linux raid autodetect',
      'ef EFI (FAT-12/16/32)',
      '7 HPFS/NTFS/exFAT',
      '7 HPFS/NTFS/exFAT',
      'c W95 FAT32 (LBA)',
      '5 Extended',
      'ee GPT',
      'fd Linux raid autodetect',
      '83 Linux',
      '42 Unknown',
    ]);
  });
});

describe('show disk <disk> format', () => {
  it('has the JSON fields of spec 3.4', () => {
    const v = diskFormatView('sda', layout(GPT_JSON, 512 * MiB));
    expect(Object.keys(v)).toEqual(['disk', 'sizeBytes', 'sectorSize', 'label', 'identifier', 'partitions']);
    expect(v).toMatchObject({ disk: 'sda', sizeBytes: 536870912, sectorSize: 512, label: 'gpt' });
    expect(v.identifier).toBe('6B53EF95-D561-244F-9E4F-4827B8EC919B');
    expect(v.partitions[2]).toEqual({
      device: 'sda3',
      boot: false,
      startSector: 208896,
      endSector: 1046526,
      sectors: 837631,
      blocksKiB: 418815,
      typeId: 'fd00',
      typeName: 'Linux RAID',
    });
    expect(v.partitions.map((p) => p.device)).toEqual(['sda1', 'sda2', 'sda3', 'sda5']);
  });

  it('prints a GPT disk like fdisk, in sectors, with + after an odd sector count', () => {
    expect(renderDiskFormat(diskFormatView('sda', layout(GPT_JSON, 512 * MiB)))).toBe(
      [
        '',
        'Disk /dev/sda: 536 MB, 536870912 bytes',
        'Units: sectors of 1 * 512 = 512 bytes',
        'Disk identifier: 6B53EF95-D561-244F-9E4F-4827B8EC919B',
        '',
        '   Device Boot      Start         End      Blocks                                     Id  System',
        '/dev/sda1            2048        4095        1024                                   ef02  BIOS boot',
        '/dev/sda2            4096      208895      102400                                   ef00  EFI System',
        '/dev/sda3          208896     1046526      418815+                                  fd00  Linux RAID',
        '/dev/sda5         1046528     1048541        1007   4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709  Unknown',
      ].join('\n'),
    );
  });

  it('prints an MBR disk with its boot flag and signature, and a GB size from 10000 MB', () => {
    const v = diskFormatView('nvme0n1', layout(DOS_JSON, 256 * 1024 ** 3));
    expect(v.identifier).toBe('0x000b7179');
    expect(v.partitions.map((p) => [p.device, p.boot])).toEqual([
      ['nvme0n1p1', true],
      ['nvme0n1p2', false],
    ]);
    expect(renderDiskFormat(v)).toBe(
      [
        '',
        'Disk /dev/nvme0n1: 274.9 GB, 274877906944 bytes',
        'Units: sectors of 1 * 512 = 512 bytes',
        'Disk identifier: 0x000b7179',
        '',
        '        Device Boot      Start         End      Blocks   Id  System',
        '/dev/nvme0n1p1   *        2048       67583       32768   83  Linux',
        '/dev/nvme0n1p2           67584      131071       31744   fd  Linux raid autodetect',
      ].join('\n'),
    );
  });

  it('lines up exactly like the guide’s example 5-5', () => {
    const v: DiskFormatView = {
      disk: 'sda',
      sizeBytes: 1073741824,
      sectorSize: 512,
      label: 'dos',
      identifier: '0x000b7179',
      partitions: [
        {
          device: 'sda1',
          boot: false,
          startSector: 6,
          endSector: 2737,
          sectors: 2089845,
          blocksKiB: 1044922,
          typeId: 'fd',
          typeName: 'Linux raid autodetect',
        },
      ],
    };
    const out = renderDiskFormat(v).split('\n');
    expect(out[1]).toBe('Disk /dev/sda: 1073 MB, 1073741824 bytes');
    expect(out.slice(5)).toEqual([
      '   Device Boot      Start         End      Blocks   Id  System',
      '/dev/sda1               6        2737     1044922+  fd  Linux raid autodetect',
    ]);
  });

  it('says so when a disk has no partition table', () => {
    const v = diskFormatView('vdb', layout(null, 64 * MiB));
    expect(v).toEqual({
      disk: 'vdb',
      sizeBytes: 64 * MiB,
      sectorSize: 512,
      label: null,
      identifier: null,
      partitions: [],
    });
    expect(renderDiskFormat(v)).toBe(
      [
        '',
        'Disk /dev/vdb: 67 MB, 67108864 bytes',
        'Units: sectors of 1 * 512 = 512 bytes',
        "Disk /dev/vdb doesn't contain a valid partition table",
      ].join('\n'),
    );
  });
});

describe('the copy script', () => {
  const dump = [
    'label: gpt',
    'label-id: 6B53EF95-D561-244F-9E4F-4827B8EC919B',
    'device: /dev/sda',
    'unit: sectors',
    'first-lba: 2048',
    'last-lba: 1048542',
    'sector-size: 512',
    '',
    `/dev/sda1 : start=        2048, size=        2048, type=${GPT_TYPE.biosBoot}, uuid=DF8B041A-3FA8-1A4A-91CF-FF96A87AD05C, name="bios-boot"`,
    `/dev/sda3 : start=      208896, size=      837632, type=${GPT_TYPE.linuxRaid}, uuid=18E1C4BE-5AF7-FB46-90A1-0216EE0828C6, name="a, uuid=x", attrs="LegacyBIOSBootable"`,
    '',
  ].join('\n');

  it('drops the disk’s identity and its partitions’ GUIDs, and renames partitions keeping their numbers', () => {
    expect(copyScript(dump, '/dev/nvme1n1')).toBe(
      [
        'label: gpt',
        'unit: sectors',
        'first-lba: 2048',
        'sector-size: 512',
        '',
        `/dev/nvme1n1p1 : start=        2048, size=        2048, type=${GPT_TYPE.biosBoot}, name="bios-boot"`,
        `/dev/nvme1n1p3 : start=      208896, size=      837632, type=${GPT_TYPE.linuxRaid}, name="a, uuid=x", attrs="LegacyBIOSBootable"`,
        '',
      ].join('\n'),
    );
    expect(copyScript(dump, '/dev/sdb')).toContain('\n/dev/sdb3 : start=');
  });

  it('keeps an MBR table’s boot flag and drops its signature', () => {
    const mbr =
      'label: dos\nlabel-id: 0xa495eb38\ndevice: /tmp/d2\nunit: sectors\nsector-size: 512\n\n/tmp/d2p1 : start=        2048, size=       65536, type=83, bootable\n';
    expect(copyScript(mbr, 'b.img')).toBe(
      'label: dos\nunit: sectors\nsector-size: 512\n\nb.img1 : start=        2048, size=       65536, type=83, bootable\n',
    );
  });
});

describe('format <disk1> like <disk2>: refusals on the devices present', () => {
  const tree = [
    dev('sda', {
      children: [
        part('sda1'),
        part('sda2', { mountpoints: ['/boot/efi'] }),
        part('sda3', { children: [dev('md0', { type: 'raid1', mountpoints: ['/'] })] }),
      ],
    }),
    dev('sdb'),
    dev('sdc', { children: [part('sdc1', { fstype: 'swap', mountpoints: ['[SWAP]'] })] }),
    dev('sdd', { children: [part('sdd1', { children: [dev('md1', { type: 'raid1' })] })] }),
    dev('sde', { readOnly: true }),
    dev('sdf', { children: [part('sdf1', { children: [dev('vg-root', { type: 'lvm' })] })] }),
    dev('loop0', { type: 'loop', children: [part('loop0p1', { mountpoints: ['/mnt/x'] })] }),
    dev('loop1', { type: 'loop' }),
    dev('sr0', { type: 'rom' }),
  ];
  const refusal = (a: string, b: string) => {
    try {
      checkFormatTargets(a, b, tree);
    } catch (e) {
      expect((e as Error).name).toBe('RaidError');
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('accepts an unused disk, with or without /dev/', () => {
    expect(refusal('sdb', 'sda')).toBe('accepted');
    expect(refusal('/dev/loop1', '/dev/sda')).toBe('accepted');
    expect(checkFormatTargets('/dev/sdb', 'sda', tree).target.name).toBe('sdb');
  });

  it('refuses the same disk twice, in either spelling', () => {
    expect(refusal('sda', 'sda')).toBe('cannot format sda like itself: name two disks');
    expect(refusal('/dev/sdb', 'sdb')).toBe('cannot format sdb like itself: name two disks');
  });

  it('refuses partitions, unknown names and absent disks, on either side', () => {
    expect(refusal('sdb1', 'sda')).toBe('sdb1 is a partition, not a whole disk (sdb is)');
    expect(refusal('sdb', 'sda3')).toBe('sda3 is a partition, not a whole disk (sda is)');
    expect(refusal('sdz', 'sda')).toBe('there is no disk sdz');
    expect(refusal('sdb', 'loop9')).toBe('there is no disk loop9');
    expect(refusal('md0', 'sda')).toBe('"md0" is not a disk name (like sda, vdb, nvme0n1, mmcblk0 or loop0)');
    expect(refusal('sdb', 'sr0')).toMatch(/"sr0" is not a disk name/);
  });

  it('refuses a busy or read-only target, and says why', () => {
    expect(refusal('sda', 'sdb')).toBe(
      'sda is in use (sda2 is mounted on /boot/efi; sda3 is a member of md0): stop using it first',
    );
    expect(refusal('sdc', 'sda')).toBe('sdc is in use (sdc1 is active swap): stop using it first');
    expect(refusal('sdd', 'sda')).toBe('sdd is in use (sdd1 is a member of md1): stop using it first');
    expect(refusal('sdf', 'sda')).toBe('sdf is in use (sdf1 is used by vg-root (lvm)): stop using it first');
    expect(refusal('loop0', 'loop1')).toBe(
      'loop0 is in use (loop0p1 is mounted on /mnt/x): stop using it first',
    );
    expect(refusal('sde', 'sda')).toBe('sde is read-only');
  });
});

describe('format <disk1> like <disk2>: sizes', () => {
  const source = layout(GPT_JSON, 512 * MiB);
  // The last partition ends at sector 1048541; GPT keeps 33 sectors after it.
  const need = 1048542 + 33;

  it('takes a target as large as the last partition end plus the GPT backup, and refuses one sector less', () => {
    expect(checkFits('sdb', layout(null, need * 512), 'sda', source).partitions).toHaveLength(4);
    expect(() => checkFits('sdb', layout(null, (need - 1) * 512), 'sda', source)).toThrow(
      'disk too small: sdb has 1048574 sectors (511 MiB), the layout of sda needs 1048575 (511 MiB)',
    );
  });

  it('needs no backup room for MBR, and refuses a blank source or another sector size', () => {
    expect(() =>
      checkFits('sdb', layout(null, 131072 * 512), 'sda', layout(DOS_JSON, 64 * MiB)),
    ).not.toThrow();
    expect(() => checkFits('sdb', layout(null, 131071 * 512), 'sda', layout(DOS_JSON, 64 * MiB))).toThrow(
      /disk too small/,
    );
    expect(() => checkFits('sdb', layout(null, GiB), 'sda', layout(null, GiB))).toThrow(
      'sda has no partitions to copy',
    );
    expect(() => checkFits('sdb', layout(null, GiB, 4096), 'sda', source)).toThrow(
      'sdb has 4096-byte sectors and sda 512-byte sectors: the layout cannot be copied',
    );
  });
});

describe('format like with the real sfdisk on image files', () => {
  let dir: string;
  const backups = () => join(dir, 'backups');
  const image = async (name: string, bytes: number) => {
    const path = join(dir, name);
    const fh = await open(path, 'w');
    await fh.truncate(bytes);
    await fh.close();
    return { name, path };
  };
  const shape = (l: DiskLayout) => l.table?.partitions.map((p) => [p.number, p.start, p.size, p.type]);
  const yes = () => Promise.resolve(true);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-disk-format-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Tandem's layout (spec 6 item 7) on a 512 MiB image. */
  async function sourceImage() {
    const src = await image('sda.img', 512 * MiB);
    const script = [
      'label: gpt',
      `size=1MiB, type=${GPT_TYPE.biosBoot}, name="bios-boot"`,
      `size=100MiB, type=${GPT_TYPE.efiSystem}, name="efi"`,
      `type=${GPT_TYPE.linuxRaid}, name="raid"`,
    ].join('\n');
    await run(['sfdisk', '--quiet', src.path], { input: `${script}\n` });
    return src;
  }

  it('copies starts, sizes and types onto a larger disk, with fresh GUIDs and a backup', async () => {
    const src = await sourceImage();
    const dst = await image('sdb.img', 600 * MiB);
    const r = await copyDiskLayout(dst, src, { backupDir: backups(), confirm: yes });
    expect(r).toMatchObject({ formatted: true, target: 'sdb.img', source: 'sda.img', partitions: 3 });

    const a = await readDiskLayout(src.path);
    const b = await readDiskLayout(dst.path);
    expect(shape(b)).toEqual(shape(a));
    expect(shape(a)).toEqual([
      [1, 2048, 2048, GPT_TYPE.biosBoot],
      [2, 4096, 204800, GPT_TYPE.efiSystem],
      [3, 208896, 837632, GPT_TYPE.linuxRaid],
    ]);
    expect(b.table!.label).toBe('gpt');
    expect(b.table!.identifier).not.toBe(a.table!.identifier);
    const guids = (l: DiskLayout) => l.table!.partitions.map((p) => p.uuid);
    for (const g of guids(b)) expect(guids(a)).not.toContain(g);
    // The larger disk keeps its own end: the surplus stays unpartitioned.
    expect(b.table!.lastLba).toBe((600 * MiB) / 512 - 34);
    expect(b.table!.partitions.map((p) => p.name)).toEqual(['bios-boot', 'efi', 'raid']);

    expect(await readdir(backups())).toEqual([r.backupFile!.slice(backups().length + 1)]);
    expect(r.backupFile).toMatch(/\/partition-backup-sdb\.img-\d{8}T\d{6}\.\d{3}Z\.sfdisk$/);
    expect(await readFile(r.backupFile!, 'utf8')).toContain('had no partition table');
  });

  it('backs up the table it replaces, restorable with sfdisk', async () => {
    const src = await sourceImage();
    const dst = await image('sdb.img', 600 * MiB);
    await run(['sfdisk', '--quiet', dst.path], { input: 'label: dos\nsize=10MiB, type=83\n' });
    const before = await readDiskLayout(dst.path);
    const r = await copyDiskLayout(dst, src, { backupDir: backups(), confirm: yes });
    const backup = await readFile(r.backupFile!, 'utf8');
    expect(backup).toMatch(/^# Partition table of .*sdb\.img on /);
    expect(backup).toContain('label: dos');
    await run(['sfdisk', '--quiet', dst.path], { input: backup });
    expect(shape(await readDiskLayout(dst.path))).toEqual(shape(before));
  });

  it('fits a target of exactly the last partition end plus the GPT backup', async () => {
    const src = await sourceImage();
    const dst = await image('exact.img', (1046528 + 33) * 512);
    await copyDiskLayout(dst, src, { backupDir: backups(), confirm: yes });
    expect(shape(await readDiskLayout(dst.path))).toEqual(shape(await readDiskLayout(src.path)));
  });

  it('refuses a smaller disk and leaves it untouched', async () => {
    const src = await sourceImage();
    const dst = await image('small.img', 300 * MiB);
    let asked = false;
    const confirm = () => {
      asked = true;
      return Promise.resolve(true);
    };
    await expect(copyDiskLayout(dst, src, { backupDir: backups(), confirm })).rejects.toThrow(
      'disk too small: small.img has 614400 sectors (300 MiB), the layout of sda.img needs 1046561 (511 MiB)',
    );
    expect(asked).toBe(false);
    expect((await readDiskLayout(dst.path)).table).toBeNull();
    expect((await stat(dst.path)).blocks).toBe(0); // still sparse: not one byte written
    await expect(readdir(backups())).rejects.toThrow(/ENOENT/);
  });

  it('changes nothing when the answer is not yes', async () => {
    const src = await sourceImage();
    const dst = await image('sdb.img', 600 * MiB);
    let question = '';
    const r = await copyDiskLayout(dst, src, {
      backupDir: backups(),
      confirm: (q) => {
        question = q;
        return Promise.resolve(false);
      },
    });
    expect(r).toMatchObject({ formatted: false, backupFile: null });
    expect(question).toBe(
      [
        'The partition layout of sda.img (gpt, 3 partitions) will be copied to sdb.img (600 MiB).',
        'No data is copied: sdb.img gets empty partitions, and all data now on sdb.img will be erased.',
        'Erase sdb.img and partition it like sda.img? (yes/no)',
      ].join('\n'),
    );
    expect((await readDiskLayout(dst.path)).table).toBeNull();
    await expect(readdir(backups())).rejects.toThrow(/ENOENT/);
  });
});

describe('the commands’ words', () => {
  it('refuses anything but show disk <disk> format and format [disk] <disk1> like <disk2>', async () => {
    const ask = () => Promise.reject(new Error('must not ask'));
    for (const words of [
      [],
      ['sdb'],
      ['sdb', 'as', 'sda'],
      ['disk', 'sdb', 'like'],
      ['sdb', 'like', 'sda', 'x'],
    ])
      await expect(formatDiskCommand(words, new Set(), ask)).rejects.toThrow(
        'usage: format <disk1> like <disk2> [--auto]',
      );
    for (const words of [[], ['sda'], ['sda', 'layout'], ['sda', 'format', 'x']])
      await expect(showDiskFormatCommand(words, false)).rejects.toThrow(
        'usage: show disk <disk> format [--json]',
      );
  });
});
