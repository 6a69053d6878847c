// show disk <disk> format and format [disk] <disk1> like <disk2>. Like the image commands they run
// in the CLI itself (not in tandemd), as root: they read and write partition tables directly.
import { join } from 'node:path';
import { formatDiskLike, renderDiskFormat, showDiskFormat } from '../features/raid/diskFormat.js';
import { UsageError } from './usage.js';

/** Where format keeps the disks' old partition tables: under tandemd's state directory (R-32). */
export function partitionBackupDir(): string {
  return join(process.env.TANDEM_STATE_DIR ?? '/var/lib/tandem', 'raid');
}

/** `show disk <disk> format [--json]`; words follow `show disk` (a leading `disk` is also accepted). */
export async function showDiskFormatCommand(words: string[], json: boolean): Promise<string> {
  const w = words[0] === 'disk' ? words.slice(1) : words;
  if (w.length !== 2 || w[1] !== 'format') throw new UsageError('usage: show disk <disk> format [--json]');
  const view = await showDiskFormat(w[0]!);
  return json ? JSON.stringify(view, null, 2) : renderDiskFormat(view);
}

/**
 * `format [disk] <disk1> like <disk2> [--auto]`; words follow `format`. The operator must answer
 * `yes` (default no); --auto answers it.
 */
export async function formatDiskCommand(
  words: string[],
  flags: Set<string>,
  ask: (question: string, dflt: string) => Promise<string>,
): Promise<string> {
  const w = words[0] === 'disk' ? words.slice(1) : words;
  if (w.length !== 3 || w[1] !== 'like') throw new UsageError('usage: format <disk1> like <disk2> [--auto]');
  const r = await formatDiskLike(w[0]!, w[2]!, {
    backupDir: partitionBackupDir(),
    confirm: async (q) => flags.has('auto') || (await ask(q, 'no')).trim().toLowerCase() === 'yes',
  });
  if (!r.formatted) return `Not formatted: ${r.target} is unchanged.`;
  return [
    `${r.target} is partitioned like ${r.source} (${r.partitions} partitions, empty: no data was copied).`,
    `Its previous partition table is saved in ${r.backupFile}.`,
  ].join('\n');
}
