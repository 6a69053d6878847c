// `tandem`: the operator CLI. Exit codes: 0 ok, 1 rejected (with the reason), 2 usage.
import { TandemError } from '../errors.js';
import {
  attachCountersCommand,
  detachCountersCommand,
  showInterfaceCounters,
} from './interfaceCountersCommands.js';
import { labDownCommand, labExec, labKill, labStatus, labUp } from './labCommands.js';
import { Exit, splitFlags, UsageError } from './usage.js';

const USAGE = `usage:
  tandem show interfaces counters [--json]
  tandem dataplane attach-counters|detach-counters [<ifname>…]
  tandem lab up|status [--json]|exec <node> <command…>|kill <node>|down`;

async function dispatch(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const print = (s: string) => process.stdout.write(`${s}\n`);
  if (cmd === 'lab') {
    // `exec` passes everything after the node through untouched (flags included).
    if (sub === 'exec') return labExec(rest[0], rest.slice(1));
    const { words, flags } = splitFlags(rest);
    if (sub === 'up') print(await labUp());
    else if (sub === 'status') print(await labStatus(flags.has('json')));
    else if (sub === 'kill') print(await labKill(words[0]));
    else if (sub === 'down') print(await labDownCommand());
    else throw new UsageError(USAGE);
    return Exit.ok;
  }
  const { words, flags } = splitFlags(argv.slice(1));
  if (cmd === 'show' && words[0] === 'interfaces' && words[1] === 'counters') {
    print(await showInterfaceCounters(flags.has('json')));
  } else if (cmd === 'dataplane' && words[0] === 'attach-counters') {
    print(await attachCountersCommand(words.slice(1)));
  } else if (cmd === 'dataplane' && words[0] === 'detach-counters') {
    print(await detachCountersCommand(words.slice(1)));
  } else {
    throw new UsageError(USAGE);
  }
  return Exit.ok;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return Exit.usage;
    }
    process.stderr.write(
      `error: ${e instanceof TandemError ? e.message : e instanceof Error ? e.stack : String(e)}\n`,
    );
    return Exit.rejected;
  }
}
