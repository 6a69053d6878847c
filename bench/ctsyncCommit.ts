// Commit on takeover: the time to inject N synced connections into the kernel, Tandem's engine
// against `conntrackd -c`, each fed the same N entries over the sync channel. Each receiver has a
// lab of its own: conntrackd keeps one sequence tracker per channel and drops every message
// "before" the last one it saw, so a second sender on the channel (the other receiver's ACKs)
// would cut its reception short.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { switchedTopology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import { conntrackdCtl, spawnConntrackd } from '../test/integration/support/ctsync.js';
import type { Benchmark, BenchResult } from './benchResult.js';

const N = Number(process.env.TANDEM_BENCH_CTSYNC_N ?? 10_000);

interface Committed {
  ms: number;
  /** Entries in the receiver's kernel table afterwards. */
  kernelEntries: number;
}

async function commitOnce(receiver: 'tandem' | 'conntrackd', slot: number): Promise<Committed> {
  const lab = await Lab.up(
    testLabName(process.pid, slot),
    switchedTopology([
      { name: 'src', address: '192.0.2.1' },
      { name: 'rx', address: '192.0.2.2' },
    ]),
  );
  try {
    const flood = join(packageRoot(), 'bench', 'ctsyncFlood.mjs');
    const table = async () => Number((await lab.exec('rx', ['conntrack', '-C'])).stdout.trim());
    if (receiver === 'tandem') {
      const run = join(packageRoot(), 'test', 'integration', 'support', 'ctsyncEngineRun.mjs');
      // The engine commits its external cache after a fixed wait, long enough for the flood.
      const engine = lab.spawn('rx', [process.execPath, run, 'eth0', '192.0.2.2', '8', 'commit'], {
        logName: 'engine',
      });
      await new Promise((r) => setTimeout(r, 1500));
      await lab.exec('src', [process.execPath, flood, '192.0.2.1', String(N)], { timeoutMs: 120_000 });
      await engine.exited;
      const out = JSON.parse(
        (await readFile(engine.logFile, 'utf8')).split('\n').find((l) => l.startsWith('{'))!,
      ) as { commitMs: number };
      return { ms: out.commitMs, kernelEntries: await table() };
    }
    const ctd = await spawnConntrackd(lab, 'rx', 'eth0', '192.0.2.2');
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await lab.exec('src', [process.execPath, flood, '192.0.2.1', String(N)], { timeoutMs: 120_000 });
      for (let i = 0; i < 100; i++) {
        const stats = await conntrackdCtl(lab, 'rx', ['-s', 'cache']);
        if (new RegExp(`external[\\s\\S]*?current active connections:\\s+${N}\\b`).test(stats)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await conntrackdCtl(lab, 'rx', ['-c']);
      // conntrackd times its own commit (the CLI's round trip would count against it).
      for (let i = 0; i < 50; i++) {
        const log = await readFile(join(lab.dir('rx'), 'conntrackd.log'), 'utf8').catch(() => '');
        const m = /commit has taken ([\d.]+) seconds/.exec(log);
        if (m) return { ms: Number(m[1]) * 1000, kernelEntries: await table() };
        await new Promise((r) => setTimeout(r, 100));
      }
      return { ms: NaN, kernelEntries: await table() };
    } finally {
      await ctd.stop();
    }
  } finally {
    await lab.down();
  }
}

export const ctsyncCommit: Benchmark = {
  name: 'conntrack-sync commit',
  async run(): Promise<BenchResult[]> {
    const tandem = await commitOnce('tandem', 500);
    const conntrackd = await commitOnce('conntrackd', 502);
    const r = (x: number) => Math.round(x * 10) / 10;
    return [
      {
        name: `ctsync_commit_${N}_ms`,
        value: r(tandem.ms),
        unit: 'ms',
        baseline: { name: `conntrackd_commit_${N}_ms`, value: r(conntrackd.ms) },
        ratio: tandem.ms / conntrackd.ms,
        detail: {
          tandemKernelEntries: tandem.kernelEntries,
          conntrackdKernelEntries: conntrackd.kernelEntries,
        },
      },
    ];
  },
};
