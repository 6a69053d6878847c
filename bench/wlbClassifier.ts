// Per-packet cost of the WLB classifier (BPF_PROG_TEST_RUN, the real program) for 1, 10 and 100
// rules on the new-flow path and for an established flow. Goals: ≤ 200 ns for a new flow at 100
// rules, ≤ 60 ns for an established flow. Baseline in the same run: the same program on a packet
// no rule can match (parse, then exit). New-flow runs are one packet per call (a fresh tuple
// each), so their baseline is measured the same way.
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';

export const wlbClassifier: Benchmark = {
  name: 'wan load balancing classifier',
  async run(): Promise<BenchResult[]> {
    const lab = await Lab.up(testLabName(process.pid, 400), {
      nodes: [
        { name: 'cls', kind: 'host' },
        { name: 'peer', kind: 'host' },
      ],
      links: [
        {
          a: { node: 'cls', ifname: 'eth0', addresses: ['198.51.100.129/26'] },
          b: { node: 'peer', ifname: 'eth0' },
        },
      ],
    });
    try {
      const probe = join(packageRoot(), 'dist', 'bench', 'wlbClassifierProbe.js');
      // A private mount namespace for a bpffs of its own: nothing is pinned on the host.
      const { stdout } = await lab.exec('cls', [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount -t bpf bpf /sys/fs/bpf && exec ${process.execPath} ${probe}`,
      ]);
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      const perCall = r.no_rules_repeat1_ns!;
      const row = (name: string, ns: number, baseline: number, baselineName: string): BenchResult => ({
        name,
        value: Math.round(ns * 10) / 10,
        unit: 'ns/pkt',
        baseline: { name: baselineName, value: Math.round(baseline * 10) / 10 },
        ratio: ns / baseline,
      });
      return [
        ...[1, 10, 100].map((n) =>
          row(`wlb_new_flow_${n}_rules`, r[`new_flow_${n}_rules_ns`]!, perCall, 'wlb_no_rule_per_call'),
        ),
        row(
          'wlb_established_flow_100_rules',
          r.established_100_rules_ns!,
          r.no_rules_ns!,
          'wlb_no_rule_repeat',
        ),
      ];
    } finally {
      await lab.down();
    }
  },
};
