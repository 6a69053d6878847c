// Forwarding rate of established connections with NAT and balancing: the fast path against
// plain routing. 64-byte UDP over 4,096 flows, each answered once by the far side before the
// flood so conntrack holds them as established (trafgen's one-way flows would stay `new`).
// Configurations alternate round by round: plain routing (= 1), nftables masquerade, the nftables
// numgen balancing with SNAT, Tandem WLB + SNAT on the normal path (fast path disabled), Tandem
// WLB + SNAT on the fast path. Goal: fast path ≥ 0.95× plain routing, ≥ 1.4× numgen.
// Also the program's own ns per packet from BPF_PROG_TEST_RUN.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Lab } from '../src/lab/lab.js';
import { packageRoot } from '../src/packageRoot.js';
import { median, type Benchmark, type BenchResult } from './benchResult.js';
import {
  type Config,
  FIRST_PORT,
  type ForwardingLab,
  TARGET,
  forwardingLab,
  nftMasquerade,
  nftNumgen,
  plain,
  tandemWlb,
} from './forwardingLab.js';

const ROUNDS = Number(process.env.TANDEM_BENCH_ROUNDS ?? 5);
const FLOWS = 4096;
const ANSWER = join(packageRoot(), 'bench', 'udpAnswer.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends each flow once and has the sinks answer it, so every flow is established. */
async function establish(fl: ForwardingLab): Promise<void> {
  const lab = fl.lab;
  const answers = [];
  for (const sink of ['sink1', 'sink2']) {
    await lab.exec(sink, ['ip', 'addr', 'add', `${TARGET}/32`, 'dev', 'lo']);
    answers.push(lab.spawn(sink, [process.execPath, ANSWER, TARGET, '9'], { logName: 'udpAnswer' }));
  }
  try {
    for (const a of answers)
      for (let waited = 0; !readFileSync(a.logFile, 'utf8').includes('ready'); waited += 20) {
        if (waited > 10_000) throw new Error(`bench: udpAnswer did not start (${a.logFile})`);
        await sleep(20);
      }
    await lab.exec('gen', [
      'trafgen',
      '--dev',
      'eth0',
      '--conf',
      fl.conf,
      '--cpus',
      '1',
      '-q',
      '-n',
      String(FLOWS),
      '-t',
      '50us',
    ]);
    await sleep(500);
  } finally {
    for (const a of answers) await a.stop();
    for (const sink of ['sink1', 'sink2'])
      await lab.exec(sink, ['ip', 'addr', 'del', `${TARGET}/32`, 'dev', 'lo']);
  }
}

async function genMac(lab: Lab): Promise<string> {
  return JSON.parse((await lab.exec('gen', ['ip', '-j', 'link', 'show', 'eth0'])).stdout)[0].address;
}

export const fastPathForwarding: Benchmark = {
  name: 'fast path forwarding',
  async run(): Promise<BenchResult[]> {
    const fl = await forwardingLab(310, FLOWS);
    try {
      const fast = tandemWlb('tandem_wlb_snat_fastpath', []);
      const configs: Config[] = [
        plain,
        nftMasquerade,
        nftNumgen,
        tandemWlb('tandem_wlb_snat_stack', ['system fast-path disable']),
        fast,
      ];
      const rates = new Map<string, number[]>(configs.map((c) => [c.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of configs) {
          await c.setUp(fl.lab);
          await establish(fl);
          rates.get(c.name)!.push(await fl.measure());
          await c.tearDown(fl.lab);
        }
      }
      // The program's cost per packet, on the established flows of the fast-path configuration.
      await fast.setUp(fl.lab);
      await establish(fl);
      const probe = join(packageRoot(), 'dist', 'bench', 'fastPathProbe.js');
      const { stdout } = await fl.lab.exec('r1', [
        process.execPath,
        probe,
        'eth1',
        await genMac(fl.lab),
        String(FIRST_PORT),
        String(FLOWS),
        '0xc9',
      ]);
      await fast.tearDown(fl.lab);
      const ns = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        taken: number;
        takenNs: number;
        passNoConnectionNs: number;
        callNs: number;
      };

      const paired = (a: string, b: string) => median(rates.get(a)!.map((v, i) => v / rates.get(b)![i]!));
      const med = (k: string) => Math.round(median(rates.get(k)!));
      const detail = {
        ...Object.fromEntries([...rates].map(([k, v]) => [k, v.map(Math.round)])),
        masqueradeVsPlain: paired('nft_masquerade', 'plain'),
        numgenVsPlain: paired('nft_numgen_snat', 'plain'),
        stackVsPlain: paired('tandem_wlb_snat_stack', 'plain'),
        fastVsStack: paired('tandem_wlb_snat_fastpath', 'tandem_wlb_snat_stack'),
      };
      return [
        {
          name: 'fastpath_wlb_snat_pps_vs_plain',
          value: med('tandem_wlb_snat_fastpath'),
          unit: 'pps',
          baseline: { name: 'plain_routing_pps', value: med('plain') },
          ratio: paired('tandem_wlb_snat_fastpath', 'plain'),
          detail,
        },
        {
          name: 'fastpath_wlb_snat_pps_vs_nft_numgen',
          value: med('tandem_wlb_snat_fastpath'),
          unit: 'pps',
          baseline: { name: 'nft_numgen_snat_pps', value: med('nft_numgen_snat') },
          ratio: paired('tandem_wlb_snat_fastpath', 'nft_numgen_snat'),
        },
        {
          name: 'fastpath_established_ns',
          value: Math.round(ns.takenNs),
          unit: 'ns/pkt',
          baseline: { name: 'fastpath_no_connection_ns', value: Math.round(ns.passNoConnectionNs) },
          ratio: ns.takenNs / ns.passNoConnectionNs,
          detail: { flowsTaken: ns.taken, of: FLOWS, callNs: ns.callNs },
        },
      ];
    } finally {
      await fl.down();
    }
  },
};
