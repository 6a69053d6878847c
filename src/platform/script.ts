// Runs an operator's script: executed directly (no shell), stdin from /dev/null, every output line
// to the log, TERM after a time limit and KILL a grace period later. Never rejects.
import { spawn } from 'node:child_process';
import type { Logger } from 'pino';

export interface ScriptOptions {
  args?: readonly string[];
  /** Added to the daemon's environment. */
  env?: Record<string, string>;
  timeoutMs: number;
  killAfterMs: number;
  log: Logger;
  /** Fields on every log line of this run. */
  fields?: Record<string, unknown>;
}

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Terminated for running past its time limit. */
  timedOut: boolean;
  /** It could not be started at all. */
  error?: string;
}

export function runScript(path: string, opts: ScriptOptions): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn(path, [...(opts.args ?? [])], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const fields = { script: path, ...opts.fields };
    const output = (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n').filter(Boolean)) opts.log.info(fields, l);
    };
    child.stdout.on('data', output);
    child.stderr.on('data', output);
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const term = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
      kill.unref();
    }, opts.timeoutMs);
    let settled = false;
    const done = (r: ScriptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(term);
      if (kill) clearTimeout(kill);
      resolve(r);
    };
    child.once('error', (e) => done({ code: null, signal: null, timedOut: false, error: e.message }));
    child.once('exit', (code, signal) => done({ code, signal, timedOut }));
  });
}
