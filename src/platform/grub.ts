// GRUB: boot loader installation and its environment block. The only code that runs grub-*.
import { run } from './run.js';

/** Installs GRUB for BIOS into the disk's boot sectors (BIOS boot partition on GPT). */
export async function grubInstallBios(disk: string, bootDir: string): Promise<void> {
  await run(['grub-install', '--target=i386-pc', `--boot-directory=${bootDir}`, `/dev/${disk}`], {
    timeoutMs: 600_000,
  });
}

/**
 * Installs GRUB for UEFI on the removable-media path (EFI/BOOT/BOOTX64.EFI): firmware finds it
 * without an NVRAM entry, so the disk boots in any machine, and after a disk swap.
 */
export async function grubInstallEfi(efiDir: string, bootDir: string): Promise<void> {
  await run(
    [
      'grub-install',
      '--target=x86_64-efi',
      `--efi-directory=${efiDir}`,
      `--boot-directory=${bootDir}`,
      '--removable',
      '--no-nvram',
    ],
    { timeoutMs: 600_000 },
  );
}

/** The variables of a GRUB environment block (empty when the file does not exist). */
export async function grubEnvRead(file: string): Promise<Record<string, string>> {
  const r = await run(['grub-editenv', file, 'list'], { allowFailure: true });
  if (r.code !== 0) return {};
  const env: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Sets (value a string) and unsets (value null) variables; creates the block if needed. */
export async function grubEnvWrite(file: string, vars: Record<string, string | null>): Promise<void> {
  const set = Object.entries(vars).filter((e): e is [string, string] => e[1] !== null);
  const unset = Object.entries(vars)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  const existing = await run(['grub-editenv', file, 'list'], { allowFailure: true });
  if (existing.code !== 0) await run(['grub-editenv', file, 'create']);
  if (set.length) await run(['grub-editenv', file, 'set', ...set.map(([k, v]) => `${k}=${v}`)]);
  if (unset.length) await run(['grub-editenv', file, 'unset', ...unset]);
  // GRUB reads the block's sectors directly at the next boot, before any journal replay.
  await run(['sync', file]);
}
