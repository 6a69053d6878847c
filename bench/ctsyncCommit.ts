// Commit on takeover: the time to inject N synced connections into the kernel, Tandem's engine
// against `conntrackd -c` in the same lab, both fed the same N entries over the sync channel.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { packageRoot } from '../src/packageRoot.js';
import { conntrackdCtl, spawnConntrackd } from '../test/integration/support/ctsync.js';
import type { Benchmark, BenchResult } from './benchResult.js';

const N = Number(process.env.TANDEM_BENCH_CTSYNC_N ?? 10_000);

export const ctsyncCommit: Benchmark = {
  name: 'conntrack-sync commit',
  async run(): Promise<BenchResult[]> {
    const lab = await Lab.up(testLabName(process.pid, 500), {
      nodes: [
        { name: 'sw', kind: 'switch' },
        { name: 'a', kind: 'host' },
        { name: 'tdm', kind: 'host' },
        { name: 'ctd', kind: 'host' },
      ],
      links: [
        { a: { node: 'a', ifname: 'eth0', addresses: ['192.0.2.1/24'] }, b: { node: 'sw', ifname: 'p1' } },
        { a: { node: 'tdm', ifname: 'eth0', addresses: ['192.0.2.2/24'] }, b: { node: 'sw', ifname: 'p2' } },
        { a: { node: 'ctd', ifname: 'eth0', addresses: ['192.0.2.3/24'] }, b: { node: 'sw', ifname: 'p3' } },
      ],
    });
    try {
      const run = join(packageRoot(), 'test', 'integration', 'support', 'ctsyncEngineRun.mjs');
      const flood = join(packageRoot(), 'bench', 'ctsyncFlood.mjs');
      const engine = lab.spawn('tdm', [process.execPath, run, 'eth0', '192.0.2.2', '12', 'commit'], {
        logName: 'engine',
      });
      const ctd = await spawnConntrackd(lab, 'ctd', 'eth0', '192.0.2.3');
      await new Promise((r) => setTimeout(r, 1500));
      await lab.exec('a', [process.execPath, flood, '192.0.2.1', String(N)], { timeoutMs: 120_000 });
      // conntrackd's external cache filled: time its commit.
      for (let i = 0; i < 100; i++) {
        const stats = await conntrackdCtl(lab, 'ctd', ['-s', 'cache']);
        if (new RegExp(`external[\\s\\S]*?current active connections:\\s+${N}\\b`).test(stats)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await conntrackdCtl(lab, 'ctd', ['-c']);
      // conntrackd times its own commit (the CLI's round trip would count against it).
      let conntrackdMs = NaN;
      for (let i = 0; i < 50 && Number.isNaN(conntrackdMs); i++) {
        const log = await readFile(join(lab.dir('ctd'), 'conntrackd.log'), 'utf8').catch(() => '');
        const m = /commit has taken ([\d.]+) seconds/.exec(log);
        if (m) conntrackdMs = Number(m[1]) * 1000;
        else await new Promise((r) => setTimeout(r, 100));
      }
      const ctdTable = (await lab.exec('ctd', ['conntrack', '-C'])).stdout.trim();
      await engine.exited;
      await ctd.stop();
      const out = JSON.parse(
        (await readFile(engine.logFile, 'utf8')).split('\n').find((l) => l.startsWith('{'))!,
      ) as {
        committed: number;
        commitMs: number;
        stats: { external: number };
      };
      const tdmTable = (await lab.exec('tdm', ['conntrack', '-C'])).stdout.trim();
      return [
        {
          name: `ctsync_commit_${N}_ms`,
          value: Math.round(out.commitMs * 10) / 10,
          unit: 'ms',
          baseline: { name: `conntrackd_commit_${N}_ms`, value: Math.round(conntrackdMs * 10) / 10 },
          ratio: out.commitMs / conntrackdMs,
          detail: {
            tandemCommitted: out.committed,
            tandemKernelEntries: Number(tdmTable),
            conntrackdKernelEntries: Number(ctdTable),
          },
        },
      ];
    } finally {
      await lab.down();
    }
  },
};
