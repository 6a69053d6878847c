// File systems: make, mount, unmount, identify. The only code that runs mkfs, mount and blkid.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settleUdev } from './blockDevices.js';
import { run } from './run.js';

export async function makeExt4(device: string, label: string): Promise<void> {
  await run(['mkfs.ext4', '-q', '-F', '-L', label, device], { timeoutMs: 600_000 });
  // lsblk reads udev's database: the new file system's UUID and type are there once it settles.
  await settleUdev();
}

export async function makeEfiFat(device: string, label: string): Promise<void> {
  await run(['mkfs.vfat', '-F', '32', '-n', label, device], { timeoutMs: 120_000 });
  await settleUdev();
}

/** The file system UUID of a device. */
export async function fsUuid(device: string): Promise<string> {
  const { stdout } = await run(['blkid', '-s', 'UUID', '-o', 'value', device]);
  const uuid = stdout.trim();
  if (!uuid) throw new Error(`${device} has no file system UUID`);
  return uuid;
}

export async function mount(device: string, target: string, options: string[] = []): Promise<void> {
  await run(['mount', ...(options.length ? ['-o', options.join(',')] : []), device, target], {
    timeoutMs: 120_000,
  });
}

export async function unmount(target: string): Promise<void> {
  await run(['umount', target], { timeoutMs: 120_000 });
}

/** Flushes every file system's dirty data to disk. */
export async function syncAll(): Promise<void> {
  await run(['sync'], { timeoutMs: 600_000 });
}

/** Mounts `device` on a fresh temporary directory for the time of `fn`. */
export async function withMounted<T>(
  device: string,
  fn: (dir: string) => Promise<T>,
  options: string[] = [],
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-mnt-'));
  try {
    await mount(device, dir, options);
    try {
      return await fn(dir);
    } finally {
      await unmount(dir);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
