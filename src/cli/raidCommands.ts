// RAID 1 operational commands (spec raid1.md §2): show raid [<md>], add raid <md> member <part>,
// delete (or remove) raid <md> member <part>. They run in the CLI as root, like the image commands.
import { formatArrayDetail } from '../features/raid/arrayDetail.js';
import { addMember, checkAdd, checkDelete, deleteMember } from '../features/raid/members.js';
import {
  formatRaidSummaries,
  raidArrayView,
  raidSnapshot,
  raidSummaries,
  requireMd,
  rootArray,
} from '../features/raid/status.js';
import { runningSystem } from '../features/system-image/runningSystem.js';
import { ask, yes } from './prompt.js';
import { UsageError } from './usage.js';

export async function showRaidCommand(words: string[], json: boolean): Promise<string> {
  if (words.length > 1) throw new UsageError('usage: show raid [<RAID-1-device>] [--json]');
  if (words.length === 0) {
    const list = await raidSummaries();
    return json ? JSON.stringify(list, null, 2) : formatRaidSummaries(list);
  }
  const view = await raidArrayView(words[0]!);
  return json ? JSON.stringify(view, null, 2) : formatArrayDetail(view);
}

function memberArgs(words: string[], verb: string): [string, string] {
  if (words.length !== 3 || words[1] !== 'member')
    throw new UsageError(`usage: ${verb} raid <RAID-1-device> member <disk-partition>`);
  return [words[0]!, words[2]!];
}

export async function addRaidCommand(
  words: string[],
  flags: Set<string>,
  print: (s: string) => void,
): Promise<string> {
  const [mdArg, partArg] = memberArgs(words, 'add');
  await requireMd();
  const snap = await raidSnapshot();
  const { md, part, signature } = checkAdd(snap, mdArg, partArg);
  if (
    signature &&
    !yes(
      await ask(
        `${part} holds ${signature} data (an old file system or RAID superblock); it will be erased. Continue? (yes/no)`,
        flags.has('auto') ? 'yes' : 'no',
        flags.has('auto'),
      ),
    )
  )
    return 'Nothing was changed.';
  const root = await rootArray(snap);
  await addMember(md, part, signature);
  print(`Added ${part} to ${md}: the mirror is being rebuilt onto it (watch it with: show raid ${md}).`);
  if (root === md)
    return `Do not reboot before the rebuild has finished: the boot loader is installed on the new disk only then.`;
  if ((await runningSystem()).kind !== 'installed')
    return `The system is not running from ${md}: the new disk will not be made bootable.`;
  return '';
}

export async function deleteRaidCommand(words: string[], verb: string): Promise<string> {
  const [mdArg, partArg] = memberArgs(words, verb);
  await requireMd();
  const snap = await raidSnapshot();
  const { md, part } = checkDelete(snap, mdArg, partArg);
  const faulty = snap.arrays
    .get(md)!
    .members.find((m) => m.device === part)!
    .state.includes('faulty');
  await deleteMember(md, part, faulty);
  return `Removed ${part} from ${md}.`;
}
