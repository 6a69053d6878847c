// Forwarding rate through a router balancing two uplinks 2:1, 64-byte UDP over 64,000 flows from
// trafgen, whole path on one core. Configurations alternate round by round so drift on the machine
// hits all alike: plain routing (baseline), the nftables numgen method other router OSes use,
// ECMP 2:1, each with SNAT; Tandem WLB (tandemd, tc-BPF classifier) with and without SNAT.
// With one-way test flows every packet stays `ct state new`, so the nftables method keys on "no
// connection mark yet" rather than on the state, and the fast path never takes them.
import { median, type Benchmark, type BenchResult } from './benchResult.js';
import { ecmp, forwardingLab, nftNumgen, plain, tandemWlb } from './forwardingLab.js';

const ROUNDS = Number(process.env.TANDEM_BENCH_ROUNDS ?? 5);

export const wlbForwarding: Benchmark = {
  name: 'wan load balancing forwarding',
  async run(): Promise<BenchResult[]> {
    const fl = await forwardingLab(300, 64000);
    try {
      const only = process.env.TANDEM_BENCH_CONFIGS?.split(',');
      const configs = [
        plain,
        nftNumgen,
        ecmp,
        tandemWlb('tandem_wlb_snat', []),
        tandemWlb('tandem_wlb_nonat', ['load-balancing wan disable-source-nat']),
      ].filter((c) => c.name === 'plain' || !only || only.includes(c.name));
      const rates = new Map<string, number[]>(configs.map((c) => [c.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of configs) {
          await c.setUp(fl.lab);
          rates.get(c.name)!.push(await fl.measure());
          await c.tearDown(fl.lab);
        }
      }
      // Paired ratios: each round's configuration against the same round's baseline.
      const paired = (a: string, b: string) =>
        rates.has(a) && rates.has(b) ? median(rates.get(a)!.map((v, i) => v / rates.get(b)![i]!)) : NaN;
      const detail = Object.fromEntries([...rates].map(([k, v]) => [k, v.map(Math.round)]));
      const med = (k: string) => Math.round(median(rates.get(k) ?? [NaN]));
      return [
        {
          name: 'wlb_snat_pps_vs_nft_numgen',
          value: med('tandem_wlb_snat'),
          unit: 'pps',
          baseline: { name: 'nft_numgen_snat_pps', value: med('nft_numgen_snat') },
          ratio: paired('tandem_wlb_snat', 'nft_numgen_snat'),
          detail: {
            ...detail,
            ecmpVsPlain: paired('ecmp_snat', 'plain'),
            numgenVsPlain: paired('nft_numgen_snat', 'plain'),
          },
        },
        {
          name: 'wlb_nonat_pps_vs_plain',
          value: med('tandem_wlb_nonat'),
          unit: 'pps',
          baseline: { name: 'plain_routing_pps', value: med('plain') },
          ratio: paired('tandem_wlb_nonat', 'plain'),
        },
      ];
    } finally {
      await fl.down();
    }
  },
};
