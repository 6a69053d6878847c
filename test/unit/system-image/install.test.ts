// The disk choice of install image: which disks can take the image and why the others cannot.
import { blockDevice } from '../support/blockDevice.js';
import { describe, expect, it } from 'vitest';
import { chooseDisk, diskCandidates } from '../../../src/features/system-image/install.js';
import type { BlockDevice } from '../../../src/platform/blockDevices.js';

const GiB = 1024 ** 3;
const dev = (name: string, sizeBytes: number, more: Partial<BlockDevice> = {}) =>
  blockDevice(name, { sizeBytes, ...more });

const devices: BlockDevice[] = [
  dev('sr0', GiB / 4, { type: 'rom', readOnly: true, mountpoints: ['/run/live/medium'] }),
  dev('vda', 2 * GiB),
  dev('vdb', GiB / 2),
  dev('sda', 8 * GiB, {
    children: [dev('sda1', 8 * GiB, { type: 'part', mountpoints: ['/run/live/medium'] })],
  }),
  dev('sdb', 4 * GiB, {
    children: [dev('sdb1', 4 * GiB, { type: 'part', children: [dev('md0', 4 * GiB, { type: 'raid1' })] })],
  }),
  dev('zram0', 4 * GiB),
];

describe('install image: disk choice', () => {
  it('offers whole disks that are writable, unused and big enough, and says why not for the rest', () => {
    expect(diskCandidates(devices).map((c) => [c.name, c.refused])).toEqual([
      ['vda', null],
      ['vdb', 'smaller than 1 GiB'],
      ['sda', 'in use (mounted, swap or part of an array)'],
      ['sdb', 'in use (mounted, swap or part of an array)'],
    ]);
  });

  it('takes the only eligible disk, or the one named (with or without /dev/)', () => {
    const c = diskCandidates(devices);
    expect(chooseDisk(c)).toBe('vda');
    expect(chooseDisk(c, '/dev/vda')).toBe('vda');
    expect(() => chooseDisk(c, 'sda')).toThrow(
      'cannot install on sda: in use (mounted, swap or part of an array)',
    );
    expect(() => chooseDisk(c, 'vdz')).toThrow('no disk named "vdz"');
  });

  it('makes the operator choose among several disks, and explains when there is none', () => {
    const two = diskCandidates([dev('vda', 2 * GiB), dev('vdb', 2 * GiB)]);
    expect(() => chooseDisk(two)).toThrow('several disks can take the image (vda, vdb): name one');
    expect(chooseDisk(two, 'vdb')).toBe('vdb');
    expect(() => chooseDisk(diskCandidates([dev('vdb', GiB / 2)]))).toThrow(
      'no disk to install on (vdb: smaller than 1 GiB)',
    );
  });
});
