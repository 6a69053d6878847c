// Configuration-mode commands, shared by the interactive shell and script mode: each line is
// parsed into words and sent to tandemd's session; the edit level is kept here.
import { userInfo } from 'node:os';
import { splitWords } from '../config/pathWords.js';
import { TandemError } from '../errors.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

/** Runs an operational command (`run show vrrp` in configuration mode); resolves its exit code. */
export type OpRunner = (argv: string[]) => Promise<number>;

export interface LineResult {
  output?: string;
  /** The session ended (exit). */
  exit?: boolean;
}

export const CONFIGURE_HELP: Record<string, string> = {
  set: 'Set a configuration value or create a node',
  delete: 'Delete a node, a leaf, or one value of a multi-value leaf',
  show: 'Show the candidate configuration (-all: with defaults)',
  edit: 'Move the edit level down to a node',
  up: 'Move the edit level up one node',
  top: 'Move the edit level to the top',
  compare: 'Show uncommitted changes (or against revision N)',
  commit: 'Make the candidate the running configuration [comment <text>]',
  'commit-confirm': 'Commit, and roll back unless confirmed within <minutes>',
  confirm: 'Keep a commit made with commit-confirm',
  rollback: 'Load revision N of the commit archive into the candidate',
  save: 'Save the running configuration to the boot file (or <file>)',
  load: 'Replace the candidate with the boot file (or <file>)',
  discard: 'Throw away uncommitted changes',
  exit: 'Leave configuration mode (exit discard: drop uncommitted changes)',
  run: 'Run an operational command (run show vrrp)',
};

function who(): string {
  return process.env.SUDO_USER ?? userInfo().username;
}

function takeComment(args: string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args[0] !== 'comment' || args.length !== 2) throw new UsageError('usage: commit [comment "<text>"]');
  return args[1];
}

function revisionArg(word: string | undefined, usage: string): number {
  if (word === undefined || !/^[0-9]+$/.test(word)) throw new UsageError(usage);
  return Number(word);
}

export class ConfigureSession {
  /** Words of the edit level (`edit interfaces ethernet eth0`). */
  level: string[] = [];

  constructor(
    private readonly client: RpcClient,
    private readonly runOp: OpRunner,
  ) {}

  static async open(client: RpcClient, runOp: OpRunner): Promise<ConfigureSession> {
    await client.call('session.open');
    return new ConfigureSession(client, runOp);
  }

  banner(): string {
    return `[edit${this.level.length ? ` ${this.level.join(' ')}` : ''}]`;
  }

  changed(): Promise<boolean> {
    return this.client.call<{ changed: boolean }>('session.changed').then((r) => r.changed);
  }

  async complete(words: string[], partial: string) {
    const [command, ...rest] = words;
    if (command === undefined) {
      return Object.entries(CONFIGURE_HELP)
        .filter(([w]) => w.startsWith(partial))
        .map(([word, help]) => ({ word, help, kind: 'command' as const }));
    }
    if (!['set', 'delete', 'show', 'edit'].includes(command)) return [];
    const r = await this.client.call<{ completions: { word: string; help: string; kind: string }[] }>(
      'session.complete',
      { words: [command, ...this.level, ...rest], partial },
    );
    return r.completions;
  }

  async execute(line: string): Promise<LineResult> {
    const words = splitWords(line);
    const [command, ...args] = words;
    const path = [...this.level, ...args];
    switch (command) {
      case undefined:
        return {};
      case 'set':
      case 'delete':
        if (args.length === 0) throw new UsageError(`usage: ${command} <path>`);
        await this.client.call(`session.${command}`, { words: path });
        return {};
      case 'show': {
        const all = args[0] === '-all';
        const p = [...this.level, ...(all ? args.slice(1) : args)];
        const r = await this.client.call<{ text: string }>('session.show', { words: p, all });
        return { output: r.text.trimEnd() || 'Configuration under specified path is empty' };
      }
      case 'edit':
        if (args.length === 0) throw new UsageError('usage: edit <path>');
        await this.client.call('session.show', { words: path }); // checks the path exists in the schema
        this.level = path;
        return {};
      case 'up':
        this.level = this.level.slice(0, -1);
        return {};
      case 'top':
        this.level = [];
        return {};
      case 'compare': {
        const revision = args.length ? revisionArg(args[0], 'usage: compare [<revision>]') : undefined;
        const r = await this.client.call<{ text: string }>('session.compare', { revision });
        return { output: r.text.trimEnd() || 'No changes between working and active configurations' };
      }
      case 'commit':
      case 'commit-confirm': {
        let confirmMinutes: number | undefined;
        let rest = args;
        if (command === 'commit-confirm') {
          confirmMinutes = Number(args[0]);
          if (!args[0] || !Number.isFinite(confirmMinutes))
            throw new UsageError('usage: commit-confirm <minutes> [comment "<text>"]');
          rest = args.slice(1);
        }
        const r = await this.client.call<{
          changed: boolean;
          features: string[];
          warnings: string[];
          revision?: number;
          confirmBy?: string;
        }>('session.commit', { user: who(), comment: takeComment(rest), confirmMinutes });
        if (!r.changed) return { output: 'No configuration changes to commit' };
        const lines = [
          ...r.warnings.map((w) => `Warning: ${w}`),
          `Commit complete${r.revision ? ` (revision ${r.revision})` : ''}: ${r.features.join(', ') || 'no feature'} updated`,
        ];
        if (r.confirmBy)
          lines.push(`Confirm with 'confirm' before ${r.confirmBy}, or the previous configuration returns`);
        return { output: lines.join('\n') };
      }
      case 'confirm': {
        const r = await this.client.call<{ confirmed: boolean }>('session.confirm');
        return { output: r.confirmed ? 'Commit confirmed' : 'No commit awaits confirmation' };
      }
      case 'rollback':
        await this.client.call('session.rollback', {
          revision: revisionArg(args[0], 'usage: rollback <revision>'),
        });
        return { output: `Revision ${args[0]} loaded into the candidate: review with compare, then commit` };
      case 'save': {
        const dirty = await this.changed();
        const r = await this.client.call<{ file: string }>('session.save', { file: args[0] });
        return {
          output: `Saved the running configuration to ${r.file}${dirty ? ' (uncommitted changes were not saved)' : ''}`,
        };
      }
      case 'load':
        await this.client.call('session.load', { file: args[0] });
        return { output: 'Loaded into the candidate: review with compare, then commit' };
      case 'discard':
        await this.client.call('session.discard');
        return { output: 'Changes discarded' };
      case 'run': {
        if (args.length === 0) throw new UsageError('usage: run <operational command>');
        if (args[0] === 'configure') throw new UsageError('already in configuration mode');
        const code = await this.runOp(args);
        if (code !== 0) throw new TandemError('RUN_FAILED', `run ${args.join(' ')}: exit ${code}`);
        return {};
      }
      case 'exit':
        if (args[0] === 'discard') return { exit: true };
        if (await this.changed()) {
          throw new TandemError(
            'UNCOMMITTED',
            'Cannot exit: configuration modified. Use commit, discard or exit discard',
          );
        }
        return { exit: true };
      default:
        throw new UsageError(`unknown command '${command}': ${Object.keys(CONFIGURE_HELP).join(', ')}`);
    }
  }
}
