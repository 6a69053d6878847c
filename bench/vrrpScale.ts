// Scale (spec V-112): one router runs many VRRP groups (VRRPv3 IPv6, spread over four
// interfaces) with no peer, so every group is master and advertises: 1,000 groups at 1 s, and
// 100 groups at 10 cs (100 ms). Measured over a steady window: adverts sent against adverts due,
// the daemon's CPU time, and (100 groups) every group's adverts on the wire, where a gap longer
// than 1.5 intervals is a missed advert. Baseline in the same run: keepalived running the same
// instances.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import type { VrrpStatus } from '../src/features/vrrp/status.js';
import { Capture } from '../src/lab/capture.js';
import { keepalivedInstance, spawnKeepalived } from '../src/lab/keepalived.js';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import * as ip from '../src/platform/ip.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { cpuSeconds } from './procCpu.js';

const IFACES = ['eth1', 'eth2', 'eth3', 'eth4'];
const WINDOW_MS = 10_000;

interface Scenario {
  perIface: number;
  intervalMs: number;
  /** Read every advert off the wire (a capture per interface) to find missed ones. */
  wire: boolean;
}

const topology: Topology = {
  nodes: [
    { name: 'r1', kind: 'router' },
    ...IFACES.map((_, i) => ({ name: `s${i}`, kind: 'switch' as const })),
  ],
  links: IFACES.map((ifname, i) => ({ a: { node: 'r1', ifname }, b: { node: `s${i}`, ifname: 'r1' } })),
};

const vip = (i: number, vrid: number) => `fe80::${i + 1}:${vrid}`;

/** CPU seconds (user + system) of every process in the node. */
async function nodeCpuSeconds(lab: Lab, node: string): Promise<number> {
  let seconds = 0;
  for (const pid of await ip.netnsPids(lab.ns(node))) seconds += await cpuSeconds(pid);
  return seconds;
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

/** Adverts missing from each group's stream: a gap of n intervals (rounded) misses n - 1. */
function missedAdverts(rows: Record<string, string>[], port: string, intervalMs: number): number {
  const last = new Map<string, number>();
  let missed = 0;
  for (const r of rows) {
    const key = `${port}/${r['vrrp.virt_rtr_id']}`;
    const t = Number(r['frame.time_epoch']) * 1000;
    const prev = last.get(key);
    if (prev !== undefined) missed += Math.max(0, Math.round((t - prev) / intervalMs) - 1);
    last.set(key, t);
  }
  return missed;
}

interface Measured {
  cpuPer1000: number;
  sentPerDue: number;
  /** With `wire`: adverts missed over the window, summed over the groups. */
  missed?: number;
}

async function measure(kind: 'tandem' | 'keepalived', sc: Scenario): Promise<Measured> {
  const PER_IFACE = sc.perIface;
  const lab = await Lab.up(testLabName(process.pid, 300), topology);
  try {
    if (kind === 'tandem') {
      const lines = IFACES.flatMap((ifname, i) =>
        Array.from({ length: PER_IFACE }, (_, k) => {
          const g = `interfaces ethernet ${ifname} vrrp vrrp-group ${k + 1}`;
          const fast = sc.intervalMs < 1000 ? [`${g} fast-advertise-interval ${sc.intervalMs}`] : [];
          return [`${g} virtual-address ${vip(i, k + 1)}`, `${g} version 3`, ...fast];
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
            advertInt: sc.intervalMs / 1000,
            vips: [vip(i, k + 1)],
          }),
        ),
      );
      await spawnKeepalived(lab, 'r1', `global_defs {\n  vrrp_version 3\n}\n${instances.join('')}`);
    }
    // Masters after Master_Down_Interval (~3.6 s); give both time to settle.
    await new Promise((r) => setTimeout(r, 12_000));
    const captures = sc.wire
      ? await Promise.all(
          IFACES.map((_, i) => Capture.start(lab, `s${i}`, 'r1', 'ip6 proto 112', { underLoad: true })),
        )
      : [];
    const cpu0 = await nodeCpuSeconds(lab, 'r1');
    const tx0 = await txPackets(lab);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu1 = await nodeCpuSeconds(lab, 'r1');
    const tx1 = await txPackets(lab);
    const seconds = (performance.now() - t0) / 1000;
    const due = (IFACES.length * PER_IFACE * seconds * 1000) / sc.intervalMs;
    const sent = tx1 - tx0;
    if (kind === 'tandem' && (await advertsSent(lab)) === 0) throw new Error('bench: tandem sent no adverts');
    let missed: number | undefined;
    for (const [i, c] of captures.entries()) {
      const rows = await c.stop(['frame.time_epoch', 'vrrp.virt_rtr_id'], undefined, 0);
      if (c.dropped) throw new Error(`bench: the capture on s${i} dropped ${c.dropped} packets`);
      missed = (missed ?? 0) + missedAdverts(rows, `s${i}`, sc.intervalMs);
    }
    // sent/due is exact to about one advert per group: the counters are read one after another.
    return { cpuPer1000: ((cpu1 - cpu0) / sent) * 1000, sentPerDue: sent / due, missed };
  } finally {
    await lab.down();
  }
}

export const vrrpScale: Benchmark = {
  name: 'vrrp scale',
  async run(): Promise<BenchResult[]> {
    const fast: Scenario = { perIface: 25, intervalMs: 100, wire: true };
    const ft = await measure('tandem', fast);
    const fk = await measure('keepalived', fast);
    const t = await measure('tandem', { perIface: 250, intervalMs: 1000, wire: false });
    const k = await measure('keepalived', { perIface: 250, intervalMs: 1000, wire: false });
    return [
      {
        name: 'vrrp_100_groups_100ms_missed_adverts',
        value: ft.missed!,
        unit: 'adverts',
        baseline: { name: 'keepalived_100_groups_100ms_missed_adverts', value: fk.missed! },
        // Plus one on each side, so that zero against zero compares as 1.
        ratio: (ft.missed! + 1) / (fk.missed! + 1),
        detail: {
          windowMs: WINDOW_MS,
          tandemSentPerDue: ft.sentPerDue,
          keepalivedSentPerDue: fk.sentPerDue,
          tandemCpuMsPer1000Adverts: ft.cpuPer1000 * 1000,
          keepalivedCpuMsPer1000Adverts: fk.cpuPer1000 * 1000,
        },
      },
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
