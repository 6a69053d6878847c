// add raid / delete raid: each refusal of spec, decided before anything is
// written; and the system disks found from the block-device tree.
import { blockDevice } from '../support/blockDevice.js';
import { describe, expect, it } from 'vitest';
import { checkAdd, checkDelete, type RaidSnapshot } from '../../../src/features/raid/members.js';
import { existingMirrors } from '../../../src/features/system-image/install.js';
import { systemLayout } from '../../../src/features/system-image/systemDisks.js';
import { GPT_TYPE, type BlockDevice } from '../../../src/platform/blockDevices.js';
import type { MdMemberSysfs, MdSysfs } from '../../../src/platform/mdadm.js';

const MiB = 1024 ** 2;
const FS = 'c0ffee00-0000-4000-8000-000000000001';

const dev = (name: string, type: string, sizeBytes: number, more: Partial<BlockDevice> = {}) =>
  blockDevice(name, { type, sizeBytes, ...more });
const md0 = dev('md0', 'raid1', 1400 * MiB, { fstype: 'ext4', uuid: FS, mountpoints: ['/run/tandem/disk'] });
const disk = (name: string, memberOfMd: boolean, rest: Partial<BlockDevice> = {}) =>
  dev(name, 'disk', 1600 * MiB, {
    children: [
      dev(`${name}1`, 'part', MiB, { partType: GPT_TYPE.biosBoot.toLowerCase() }),
      dev(`${name}2`, 'part', 100 * MiB, {
        partType: GPT_TYPE.efiSystem.toLowerCase(),
        fstype: 'vfat',
        uuid: `${name.toUpperCase()}-EF`,
      }),
      dev(`${name}3`, 'part', 1450 * MiB, {
        partType: GPT_TYPE.linuxRaid.toLowerCase(),
        fstype: 'linux_raid_member',
        children: memberOfMd ? [md0] : [],
      }),
    ],
    ...rest,
  });

const member = (device: string, state: string[], slot: number | null): MdMemberSysfs => ({
  device,
  slot,
  state,
  dataOffsetSectors: 2048,
});
function snapshot(members: MdMemberSysfs[], devices: BlockDevice[]): RaidSnapshot {
  const a: MdSysfs = {
    level: 'raid1',
    arrayState: 'clean',
    degraded: members.filter((m) => m.state.includes('in_sync')).length < 2 ? 1 : 0,
    syncAction: 'idle',
    syncCompleted: null,
    syncDelayed: false,
    raidDisks: 2,
    componentSizeKiB: (1400 * MiB) / 1024,
    members,
  };
  return { arrays: new Map([['md0', a]]), devices };
}

const small = dev('vdd', 'disk', 1000 * MiB, { children: [dev('vdd3', 'part', 900 * MiB)] });
const mounted = dev('vde', 'disk', 2000 * MiB, {
  children: [dev('vde1', 'part', 1900 * MiB, { fstype: 'ext4', mountpoints: ['/mnt'] })],
});
const degraded = snapshot(
  [member('vda3', ['in_sync'], 0)],
  [disk('vda', true), disk('vdb', false), disk('vdc', false, { children: [] }), small, mounted],
);

describe('add raid', () => {
  it('accepts a free partition large enough, and names what is on it', () => {
    expect(checkAdd(degraded, '/dev/md0', 'vdb3')).toEqual({
      md: 'md0',
      part: 'vdb3',
      signature: 'linux_raid_member',
    });
  });
  it.each([
    ['md9', 'vdb3', 'md9 is not a RAID set'],
    ['md0', 'vdz3', 'vdz3 is not a valid disk partition'],
    ['md0', 'vdb', 'vdb is not a valid disk partition'], // a whole disk
    ['md0', 'vda3', 'vda3 is already a member of md0 (members: vda3)'],
    ['md0', 'vde1', 'vde1 is in use (mounted on /mnt)'],
    ['md0', 'vdd3', 'vdd3 is too small for md0'],
  ])('refuses %s member %s', (md, part, message) => {
    expect(() => checkAdd(degraded, md, part)).toThrow(message);
  });
  it('refuses a third member: only two-disk RAID 1', () => {
    const whole = snapshot(
      [member('vda3', ['in_sync'], 0), member('vdb3', ['in_sync'], 1)],
      [disk('vda', true), disk('vdb', true), disk('vdc', false)],
    );
    expect(() => checkAdd(whole, 'md0', 'vdc3')).toThrow('md0 already has 2 working members (vda3, vdb3)');
  });
});

describe('delete raid', () => {
  it('removes a failed member, and a healthy one of a whole mirror', () => {
    const failed = snapshot(
      [member('vda3', ['in_sync'], 0), member('vdb3', ['faulty'], null)],
      [disk('vda', true)],
    );
    expect(checkDelete(failed, 'md0', '/dev/vdb3')).toEqual({ md: 'md0', part: 'vdb3' });
    const whole = snapshot([member('vda3', ['in_sync'], 0), member('vdb3', ['in_sync'], 1)], []);
    expect(checkDelete(whole, 'md0', 'vda3')).toEqual({ md: 'md0', part: 'vda3' });
  });
  it('never removes the last member, nor the only complete copy', () => {
    expect(() => checkDelete(degraded, 'md0', 'vda3')).toThrow("can't remove the last member of a RAID set");
    const rebuilding = snapshot([member('vda3', ['in_sync'], 0), member('vdb3', ['spare'], 1)], []);
    expect(() => checkDelete(rebuilding, 'md0', 'vda3')).toThrow('holds the only complete copy of md0');
    expect(() => checkDelete(rebuilding, 'md0', 'vdc3')).toThrow(
      'vdc3 is not a member of md0 (members: vda3, vdb3)',
    );
  });
});

describe('reinstalling', () => {
  it('finds the mirror on the disks and whether it has Tandem layout', () => {
    expect(existingMirrors([disk('vda', true), disk('vdb', true), disk('vdc', false)])).toEqual([
      {
        md: 'md0',
        members: [
          { disk: 'vda', member: 'vda3', sizeBytes: 1600 * MiB },
          { disk: 'vdb', member: 'vdb3', sizeBytes: 1600 * MiB },
        ],
        tandemLayout: true,
      },
    ]);
    // An array from elsewhere, without an EFI partition 2 on each disk: not reused as it is.
    const foreign = dev('sdb', 'disk', 1600 * MiB, {
      children: [dev('sdb1', 'part', 1500 * MiB, { children: [md0] })],
    });
    expect(existingMirrors([disk('vda', true), foreign])[0]!.tandemLayout).toBe(false);
    expect(existingMirrors([disk('vdc', false)])).toEqual([]);
  });
});

describe('system disks', () => {
  it('finds both disks of a mirror with their EFI partitions, and a single disk', () => {
    expect(systemLayout([disk('vda', true), disk('vdb', true), disk('vdc', false)], FS)).toEqual({
      md: 'md0',
      disks: [
        { disk: 'vda', esp: 'vda2', espUuid: 'VDA-EF', member: 'vda3' },
        { disk: 'vdb', esp: 'vdb2', espUuid: 'VDB-EF', member: 'vdb3' },
      ],
    });
    const single = dev('vda', 'disk', 2000 * MiB, {
      children: [
        dev('vda2', 'part', 100 * MiB, { partType: GPT_TYPE.efiSystem.toLowerCase() }),
        dev('vda3', 'part', 1800 * MiB, { uuid: FS, fstype: 'ext4' }),
      ],
    });
    // An EFI partition without a file system yet (a fresh replacement) has no UUID for GRUB.
    expect(systemLayout([single], FS)).toEqual({
      md: null,
      disks: [{ disk: 'vda', esp: 'vda2', espUuid: null, member: null }],
    });
    expect(systemLayout([single], 'other')).toBeNull();
  });
});
