// Runs the real tandemd and tandem CLI inside lab routers.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabProcess } from '../../../src/lab/lab.js';
import { packageRoot } from '../../../src/packageRoot.js';
import type { RunResult } from '../../../src/platform/run.js';

const bin = (name: string) => join(packageRoot(), 'bin', name);

/** Starts tandemd in `node` (paths from the lab's router environment) and waits until it serves. */
export async function startTandemd(
  lab: Lab,
  node: string,
  configText?: string,
  nodeArgs: string[] = [],
): Promise<LabProcess> {
  const config = lab.env(node).TANDEM_CONFIG!;
  if (configText !== undefined) await writeFile(config, configText);
  const proc = lab.spawn(node, [process.execPath, ...nodeArgs, bin('tandemd')], { logName: 'tandemd' });
  const socket = lab.env(node).TANDEM_SOCKET!;
  for (let waited = 0; ; waited += 50) {
    if (existsSync(socket) && (await tandem(lab, node, ['show', 'system', 'commit'])).code === 0) return proc;
    if (proc.child.exitCode !== null || waited > 30_000)
      throw new Error(`tandemd did not start in ${node}: see ${proc.logFile}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `tandem <args>` in `node`; `input` is fed to stdin (configure script mode). */
export function tandem(lab: Lab, node: string, args: string[], input?: string): Promise<RunResult> {
  return lab.exec(node, [process.execPath, bin('tandem'), ...args], {
    allowFailure: true,
    input: input ?? '',
  });
}

export function configure(lab: Lab, node: string, lines: string[]): Promise<RunResult> {
  return tandem(lab, node, ['configure'], `${lines.join('\n')}\n`);
}
