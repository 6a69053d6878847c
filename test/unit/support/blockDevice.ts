// A block device as lsblk describes it (src/platform/blockDevices.ts), for tests that decide on
// disk trees: a whole 1 GiB disk unless `more` says otherwise.
import type { BlockDevice } from '../../../src/platform/blockDevices.js';

export function blockDevice(name: string, more: Partial<BlockDevice> = {}): BlockDevice {
  return {
    name,
    type: 'disk',
    sizeBytes: 1024 ** 3,
    readOnly: false,
    removable: false,
    mountpoints: [],
    fstype: null,
    label: null,
    uuid: null,
    partType: null,
    children: [],
    ...more,
  };
}
