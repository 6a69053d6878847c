// The one place that starts system tools: typed results, typed failures, no shell.
import { execFile } from 'node:child_process';
import { CommandError } from '../errors.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  /** Text written to the tool's stdin. */
  input?: string;
  /** Kill the tool after this long (ms): a hang guard, not a timing goal. */
  timeoutMs?: number;
  /** Resolve with the result instead of throwing when the tool exits non-zero. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new TypeError('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && !opts.allowFailure) {
          const reason = typeof error.code === 'number' ? stderr : `${stderr}${error.message}`;
          reject(new CommandError(argv, typeof error.code === 'number' ? error.code : null, reason));
          return;
        }
        resolve({ stdout, stderr, code });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
