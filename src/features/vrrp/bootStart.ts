// V-4: `start-delay` holds the groups back only on the engine's first start since the machine
// booted — not after a daemon restart or `restart vrrp`. The boot is told by the kernel's boot id,
// remembered in the engine's state directory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../platform/atomicFile.js';

const BOOT_ID = '/proc/sys/kernel/random/boot_id';

/** True the first time it is asked after a boot (for `stateDir`); records the boot. */
export async function firstStartSinceBoot(stateDir: string): Promise<boolean> {
  const boot = (await readFile(BOOT_ID, 'utf8')).trim();
  const file = join(stateDir, 'boot-id');
  const last = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => '',
  );
  if (last === boot) return false;
  await writeFileAtomic(file, `${boot}\n`);
  return true;
}
