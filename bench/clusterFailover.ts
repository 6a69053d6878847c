// Failover time of a cluster pair: from the primary's power loss (processes killed, links down)
// to the cluster address answering h1's pings from the secondary. Two timer sets — keepalive
// 100 ms / dead 500 ms and the defaults (5000 / 20000) — each reported as a ratio to its configured
// dead-interval (the time the secondary must wait by design).
import { buildRegistry } from '../src/daemon/features.js';
import { CL, clusterLines, clusterTopology } from '../src/lab/clusterTopology.js';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { packageRoot } from '../src/packageRoot.js';
import { median, type Benchmark, type BenchResult } from './benchResult.js';

const ROUNDS_FAST = Number(process.env.TANDEM_BENCH_ROUNDS ?? 10);
const ROUNDS_DEFAULT = Number(process.env.TANDEM_BENCH_ROUNDS_SLOW ?? 3);

async function startTandemd(lab: Lab, node: string, lines: string[]): Promise<LabProcess> {
  await writeFile(lab.env(node).TANDEM_CONFIG!, routerBootConfig(lab.topology, node, buildRegistry(), lines));
  return lab.spawn(node, [process.execPath, join(packageRoot(), 'bin', 'tandemd')], { logName: 'tandemd' });
}

async function holds(lab: Lab, node: string): Promise<boolean> {
  const { stdout } = await lab.exec(node, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1']);
  return stdout.includes(` ${CL.vip}/`);
}

/** Milliseconds from r1's power loss to the first echo reply h1 gets from the address again. */
async function failoverMs(keepaliveMs: number, deadMs: number): Promise<number> {
  const lab = await Lab.up(testLabName(process.pid, 210), clusterTopology());
  const procs: LabProcess[] = [];
  try {
    const lines = clusterLines({ keepaliveMs, deadMs });
    procs.push(await startTandemd(lab, 'r1', lines), await startTandemd(lab, 'r2', lines));
    for (const t0 = Date.now(); !(await holds(lab, 'r1')) || (await holds(lab, 'r2'));) {
      if (Date.now() - t0 > 60_000) throw new Error('bench: r1 never held the cluster address alone');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 2 * keepaliveMs + 500)); // steady state
    // Pings every 10 ms with timestamps (-D, wall clock) for longer than the failover can take.
    const count = Math.ceil((deadMs + 2 * keepaliveMs + 5000) / 10);
    const pinger = lab.spawn(
      'h1',
      ['ping', '-D', '-n', '-i', '0.01', '-W', '1', '-c', String(count), CL.vip],
      {
        logName: 'ping',
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const lost = Date.now() / 1000;
    await lab.kill('r1');
    await pinger.exited;
    const replies = (await readFile(pinger.logFile, 'utf8'))
      .split('\n')
      .map((l) => /^\[(\d+\.\d+)\] \d+ bytes from/.exec(l)?.[1])
      .filter((t): t is string => t !== undefined)
      .map(Number);
    const back = replies.find((t) => t > lost + 0.05);
    if (back === undefined) throw new Error('bench: the cluster address never answered again');
    return (back - lost) * 1000;
  } finally {
    for (const p of procs) await p.stop();
    await lab.down();
  }
}

export const clusterFailover: Benchmark = {
  name: 'cluster failover',
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    for (const [name, keepalive, dead, rounds] of [
      ['cluster_failover_100_500_ms', 100, 500, ROUNDS_FAST],
      ['cluster_failover_defaults_ms', 5000, 20000, ROUNDS_DEFAULT],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) times.push(await failoverMs(keepalive, dead));
      const value = median(times);
      out.push({
        name,
        value: Math.round(value),
        unit: 'ms',
        baseline: { name: 'configured_dead_interval_ms', value: dead },
        ratio: value / dead,
        detail: { keepaliveMs: keepalive, deadMs: dead, runs: times.map(Math.round) },
      });
    }
    return out;
  },
};
