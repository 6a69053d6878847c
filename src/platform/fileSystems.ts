// File systems: make, mount, unmount, identify. The only code that runs mkfs, mount and blkid.
import { run } from './run.js';

export async function makeExt4(device: string, label: string): Promise<void> {
  await run(['mkfs.ext4', '-q', '-F', '-L', label, device], { timeoutMs: 600_000 });
}

export async function makeEfiFat(device: string, label: string): Promise<void> {
  await run(['mkfs.vfat', '-F', '32', '-n', label, device], { timeoutMs: 120_000 });
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
