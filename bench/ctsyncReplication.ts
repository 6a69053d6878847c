// Replication of new connections by the active router (issue 7's replication benchmark): N
// one-packet UDP connections appear in the sender's kernel table (`conntrack -R`, as fast as the
// kernel takes them), and a passive listener on the sync link (native/tools/ctsync_listen.c, in C
// so it keeps up with the senders) counts the distinct connections announced. Reported per sender: loss (N − distinct), lag (the N-th arrival after the last entry
// was created) and the sender process's CPU time (utime + stime) per replicated entry. Senders in
// the same run: Tandem's engine, Tandem's engine with the authenticated channel, and conntrackd
// (the baseline).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { switchedTopology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import { spawnConntrackd } from '../test/integration/support/ctsync.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { cpuSeconds } from './procCpu.js';

const N = Number(process.env.TANDEM_BENCH_CTSYNC_REPL_N ?? 100_000);

interface Replicated {
  lost: number;
  lagMs: number;
  cpuUsPerEntry: number;
  createMs: number;
  listenerDatagramsDropped: number;
}

async function replicate(sender: 'tandem' | 'tandem-auth' | 'conntrackd'): Promise<Replicated> {
  const lab = await Lab.up(
    testLabName(process.pid, 501),
    switchedTopology([
      { name: 'src', address: '192.0.2.2' },
      { name: 'dst', address: '192.0.2.3' },
    ]),
  );
  const procs: LabProcess[] = [];
  try {
    await lab.exec('dst', ['sysctl', '-q', '-w', 'net.core.rmem_max=67108864']);
    const listen = lab.spawn(
      'dst',
      [join(packageRoot(), 'build', 'native', 'ctsync_listen'), '192.0.2.3', String(N), '60'],
      { logName: 'listen' },
    );
    procs.push(listen);
    let proc: LabProcess;
    // conntrackd's caches sized for every entry, as its generated configuration sizes them.
    if (sender === 'conntrackd')
      proc = await spawnConntrackd(lab, 'src', 'eth0', '192.0.2.2', { hashLimit: 2 * N });
    else {
      const run = join(packageRoot(), 'test', 'integration', 'support', 'ctsyncEngineRun.mjs');
      proc = lab.spawn('src', [process.execPath, run, 'eth0', '192.0.2.2', '120'], {
        logName: 'engine',
        env: sender === 'tandem-auth' ? { TANDEM_CTSYNC_SECRET: 'benchmark secret' } : {},
      });
    }
    procs.push(proc);
    await new Promise((r) => setTimeout(r, 2000)); // both up, the sender idle
    const entries = Array.from(
      { length: N },
      (_, i) =>
        `-I -p udp -s 198.51.100.${1 + Math.floor(i / 60_000)} -d 203.0.113.80 --sport ${1024 + (i % 60_000)} --dport 9 -t 600\n`,
    ).join('');
    const file = join(lab.dir('src'), 'entries.txt');
    await writeFile(file, entries);
    const cpu0 = await cpuSeconds(proc.pid);
    const t0 = Date.now();
    await lab.exec('src', ['conntrack', '-R', file], { timeoutMs: 120_000 });
    const createdMs = Date.now();
    await listen.exited;
    const cpu1 = await cpuSeconds(proc.pid);
    // Datagrams the listener's socket dropped (its buffer overflowed): loss of the measurement,
    // not of the sender.
    const snmp = (await lab.exec('dst', ['cat', '/proc/net/snmp'])).stdout
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const udp = Object.fromEntries(
      snmp[0]!.split(/\s+/).map((k, i) => [k, Number(snmp[1]!.split(/\s+/)[i])]),
    );
    const out = JSON.parse(
      (await readFile(listen.logFile, 'utf8')).split('\n').find((l) => l.startsWith('{'))!,
    ) as {
      distinct: number;
      lastMs: number;
    };
    return {
      lost: N - out.distinct,
      lagMs: out.distinct === N ? Math.max(0, out.lastMs - createdMs) : NaN,
      cpuUsPerEntry: ((cpu1 - cpu0) * 1e6) / Math.max(1, out.distinct),
      createMs: createdMs - t0,
      listenerDatagramsDropped: udp['RcvbufErrors'] ?? NaN,
    };
  } finally {
    for (const p of procs) await p.stop();
    await lab.down();
  }
}

export const ctsyncReplication: Benchmark = {
  name: 'conntrack-sync replication',
  async run(): Promise<BenchResult[]> {
    const tandem = await replicate('tandem');
    const auth = await replicate('tandem-auth');
    const ctd = await replicate('conntrackd');
    const detail = { entries: N, tandem, tandemAuthenticated: auth, conntrackd: ctd };
    const r = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        name: `ctsync_replication_${N}_cpu_us_per_entry`,
        value: r(tandem.cpuUsPerEntry),
        unit: 'us',
        baseline: { name: `conntrackd_replication_${N}_cpu_us_per_entry`, value: r(ctd.cpuUsPerEntry) },
        ratio: tandem.cpuUsPerEntry / ctd.cpuUsPerEntry,
        detail,
      },
      {
        name: `ctsync_replication_${N}_authenticated_cpu_us_per_entry`,
        value: r(auth.cpuUsPerEntry),
        unit: 'us',
        baseline: { name: `ctsync_replication_${N}_cpu_us_per_entry`, value: r(tandem.cpuUsPerEntry) },
        ratio: auth.cpuUsPerEntry / tandem.cpuUsPerEntry,
        detail,
      },
    ];
  },
};
