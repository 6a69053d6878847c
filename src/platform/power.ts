// Machine power: the only code that asks systemd to reboot.
import { run } from './run.js';

/** Asks systemd for a clean reboot and returns at once (the caller still prints its answer). */
export async function requestReboot(): Promise<void> {
  await run(['systemctl', '--no-block', 'reboot']);
}
