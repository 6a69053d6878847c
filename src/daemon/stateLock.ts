// One tandemd per state directory: a lock file holding the owner's PID, created exclusively.
// A lock left by a dead process is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../errors.js';
import { processAlive } from '../platform/process.js';

export class StateLock {
  private constructor(readonly path: string) {}

  static async acquire(stateDir: string): Promise<StateLock> {
    const path = join(stateDir, 'tandemd.pid');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, 'wx', 0o644);
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
        return new StateLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
        if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
          throw new TandemError('ALREADY_RUNNING', `tandemd (pid ${owner}) already runs on ${stateDir}`);
        }
        await rm(path, { force: true }); // stale: its owner is gone
      }
    }
    throw new TandemError('ALREADY_RUNNING', `cannot lock ${path}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
