// Scale (spec V-112): one router runs 1,000 VRRP groups (VRRPv3 IPv6, 1 s adverts, 250 per
// interface on four interfaces) with no peer, so every group is master and advertises. Measured
// over a steady window: adverts sent against adverts due (missed adverts) and the daemon's CPU
// time. Baseline in the same run: keepalived running the same 1,000 instances.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import type { VrrpStatus } from '../src/features/vrrp/status.js';
import { keepalivedInstance, spawnKeepalived } from '../src/lab/keepalived.js';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import * as ip from '../src/platform/ip.js';
import type { Benchmark, BenchResult } from './benchResult.js';

const IFACES = ['eth1', 'eth2', 'eth3', 'eth4'];
const PER_IFACE = 250;
const WINDOW_MS = 10_000;

const topology: Topology = {
  nodes: [
    { name: 'r1', kind: 'router' },
    ...IFACES.map((_, i) => ({ name: `s${i}`, kind: 'switch' as const })),
  ],
  links: IFACES.map((ifname, i) => ({ a: { node: 'r1', ifname }, b: { node: `s${i}`, ifname: 'r1' } })),
};

const vip = (i: number, vrid: number) => `fe80::${i + 1}:${vrid}`;

/** CPU seconds (user + system) of every process in the node. */
async function cpuSeconds(lab: Lab, node: string): Promise<number> {
  let ticks = 0;
  for (const pid of await ip.netnsPids(lab.ns(node))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0); // utime, stime
  }
  return ticks / 100; // USER_HZ
}

async function advertsSent(lab: Lab): Promise<number> {
  const { stdout } = await lab.exec('r1', [
    process.execPath,
    join(packageRoot(), 'bin', 'tandem'),
    'show',
    'vrrp',
    '--json',
  ]);
  const s = JSON.parse(stdout) as VrrpStatus;
  return s.groups.reduce((n, g) => n + g.counters.advertisementsSent, 0);
}

/** Adverts seen on the wire in the window, counted by the kernel (tx packets of the interfaces). */
async function txPackets(lab: Lab): Promise<number> {
  let n = 0;
  for (const l of await ip.links(lab.ns('r1'))) {
    if (!IFACES.includes(l.ifname)) continue;
    const { stdout } = await lab.exec('r1', ['cat', `/sys/class/net/${l.ifname}/statistics/tx_packets`]);
    n += Number(stdout.trim());
  }
  return n;
}

async function measure(kind: 'tandem' | 'keepalived'): Promise<{ cpuPer1000: number; sentPerDue: number }> {
  const lab = await Lab.up(testLabName(process.pid, 300), topology);
  try {
    if (kind === 'tandem') {
      const lines = IFACES.flatMap((ifname, i) =>
        Array.from({ length: PER_IFACE }, (_, k) => {
          const g = `interfaces ethernet ${ifname} vrrp vrrp-group ${k + 1}`;
          return [`${g} virtual-address ${vip(i, k + 1)}`, `${g} version 3`];
        }).flat(),
      );
      await writeFile(lab.env('r1').TANDEM_CONFIG!, routerBootConfig(topology, 'r1', buildRegistry(), lines));
      lab.spawn('r1', [process.execPath, join(packageRoot(), 'bin', 'tandemd')], { logName: 'tandemd' });
    } else {
      const instances = IFACES.flatMap((ifname, i) =>
        Array.from({ length: PER_IFACE }, (_, k) =>
          keepalivedInstance({
            name: `I${i}_${k + 1}`,
            ifname,
            vrid: k + 1,
            priority: 100,
            vips: [vip(i, k + 1)],
          }),
        ),
      );
      await spawnKeepalived(lab, 'r1', `global_defs {\n  vrrp_version 3\n}\n${instances.join('')}`);
    }
    // Masters after Master_Down_Interval (~3.6 s); give both time to settle.
    await new Promise((r) => setTimeout(r, 12_000));
    const cpu0 = await cpuSeconds(lab, 'r1');
    const tx0 = await txPackets(lab);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu1 = await cpuSeconds(lab, 'r1');
    const tx1 = await txPackets(lab);
    const seconds = (performance.now() - t0) / 1000;
    const due = IFACES.length * PER_IFACE * seconds;
    const sent = tx1 - tx0;
    if (kind === 'tandem' && (await advertsSent(lab)) === 0) throw new Error('bench: tandem sent no adverts');
    // sent/due is exact to about one advert per group: the counters are read one after another.
    return { cpuPer1000: ((cpu1 - cpu0) / sent) * 1000, sentPerDue: sent / due };
  } finally {
    await lab.down();
  }
}

export const vrrpScale: Benchmark = {
  name: 'vrrp scale 1000 groups',
  async run(): Promise<BenchResult[]> {
    const t = await measure('tandem');
    const k = await measure('keepalived');
    return [
      {
        name: 'vrrp_1000_groups_cpu_ms_per_1000_adverts',
        value: Number((t.cpuPer1000 * 1000).toFixed(1)),
        unit: 'ms',
        baseline: {
          name: 'keepalived_1000_groups_cpu_ms_per_1000_adverts',
          value: Number((k.cpuPer1000 * 1000).toFixed(1)),
        },
        ratio: t.cpuPer1000 / k.cpuPer1000,
        detail: { tandemSentPerDue: t.sentPerDue, keepalivedSentPerDue: k.sentPerDue },
      },
    ];
  },
};
