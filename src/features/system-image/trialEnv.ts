// Where the one-shot upgrade trial flag (tandem_trial) lives. GRUB clears it before it boots the
// trial image, so it must sit where GRUB can write: the system file system's own grubenv on a
// single disk, but GRUB cannot write to an md array, so on a mirror it lives on each disk's EFI
// system partition (plain FAT) — set on every disk, cleared on every disk GRUB finds.
import { join } from 'node:path';
import { withMounted } from '../../platform/fileSystems.js';
import { grubEnvWrite } from '../../platform/grub.js';

/** Path of the trial block on an EFI system partition. */
export const ESP_TRIAL_ENV = '/tandem/grubenv';

export interface TrialEnv {
  /** The file system GRUB searches for (by UUID) and the block's path on it. */
  uuid: string;
  path: string;
  write(vars: Record<string, string | null>): Promise<void>;
}

/** The system file system's /boot/grub/grubenv (mounted at `root`). */
export function systemTrialEnv(root: string, uuid: string): TrialEnv {
  return {
    uuid,
    path: '/boot/grub/grubenv',
    write: (vars) => grubEnvWrite(join(root, 'boot', 'grub', 'grubenv'), vars),
  };
}

/** The trial block on an EFI system partition (/dev/<device>), mounted for each change. */
export function espTrialEnv(device: string, uuid: string): TrialEnv {
  return {
    uuid,
    path: ESP_TRIAL_ENV,
    write: (vars) => withMounted(`/dev/${device}`, (dir) => grubEnvWrite(join(dir, ESP_TRIAL_ENV), vars)),
  };
}
