import { TandemError } from '../errors.js';

/** Exit codes of the `tandem` CLI. */
export const Exit = { ok: 0, rejected: 1, usage: 2 } as const;

/** The command line itself is wrong (exit 2). */
export class UsageError extends TandemError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Splits `--json` (and other `--flag`s) from positional words. */
export function splitFlags(args: readonly string[]): { words: string[]; flags: Set<string> } {
  const words: string[] = [];
  const flags = new Set<string>();
  for (const a of args) {
    if (a.startsWith('--')) flags.add(a.slice(2));
    else words.push(a);
  }
  return { words, flags };
}
