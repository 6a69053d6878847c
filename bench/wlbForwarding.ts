// Forwarding rate through a router balancing two uplinks 2:1, 64-byte UDP over 65,536 flows from
// trafgen, whole path on one core. Configurations alternate round by round so drift on the machine
// hits all alike: plain routing (baseline), the nftables numgen method other router OSes use,
// ECMP 2:1, each with SNAT; Tandem WLB (tandemd, tc-BPF classifier) with and without SNAT.
// With one-way test flows every packet stays `ct state new`, so the nftables method keys on "no
// connection mark yet" rather than on the state.
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { floodRate } from './floodRate.js';
import { median } from './benchResult.js';

const ROUNDS = Number(process.env.TANDEM_BENCH_ROUNDS ?? 5);
const WARMUP_MS = 700;
const WINDOW_MS = 2000;
const SINK1 = '198.51.100.2';
const SINK2 = '198.51.100.66';

const topology: Topology = {
  nodes: [
    { name: 'gen', kind: 'host' },
    { name: 'r1', kind: 'router' },
    // The sinks route the flows into a blackhole: dropping costs them almost nothing.
    { name: 'sink1', kind: 'host', forwarding: true },
    { name: 'sink2', kind: 'host', forwarding: true },
  ],
  links: [
    {
      a: { node: 'gen', ifname: 'eth0', addresses: ['192.0.2.100/24'] },
      b: { node: 'r1', ifname: 'eth1', addresses: ['192.0.2.1/24'] },
    },
    {
      a: { node: 'r1', ifname: 'eth0', addresses: ['198.51.100.1/26'] },
      b: { node: 'sink1', ifname: 'eth0', addresses: [`${SINK1}/26`] },
    },
    {
      a: { node: 'r1', ifname: 'eth2', addresses: ['198.51.100.65/26'] },
      b: { node: 'sink2', ifname: 'eth0', addresses: [`${SINK2}/26`] },
    },
  ],
};

const WLB_LINES = [
  `load-balancing wan interface-health eth0 nexthop ${SINK1}`,
  `load-balancing wan interface-health eth2 nexthop ${SINK2}`,
  'load-balancing wan rule 10 inbound-interface eth1',
  'load-balancing wan rule 10 interface eth0 weight 2',
  'load-balancing wan rule 10 interface eth2 weight 1',
];

const MASQUERADE = `table ip benchnat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname { "eth0", "eth2" } masquerade
  }
}
`;

const NUMGEN = `table ip benchlb {
  chain pre {
    type filter hook prerouting priority mangle; policy accept;
    ct mark 0 ct mark set numgen random mod 3 map { 0 : 0xc9, 1 : 0xc9, 2 : 0xca }
    meta mark set ct mark
  }
}
${MASQUERADE}`;

interface Config {
  name: string;
  setUp(lab: Lab): Promise<void>;
  tearDown(lab: Lab): Promise<void>;
}

const sh = (lab: Lab, cmds: string[]) =>
  lab.exec('r1', ['sh', '-ec', cmds.join('\n')], { allowFailure: false });

const plain: Config = {
  name: 'plain',
  setUp: (lab) => sh(lab, [`ip route replace default via ${SINK1}`]).then(() => undefined),
  tearDown: (lab) => sh(lab, ['ip route del default']).then(() => undefined),
};

const nftNumgen: Config = {
  name: 'nft_numgen_snat',
  async setUp(lab) {
    await sh(lab, [
      `ip route replace default via ${SINK1} table 201`,
      `ip route replace default via ${SINK2} table 202`,
      'ip rule add fwmark 0xc9 lookup 201 priority 1000',
      'ip rule add fwmark 0xca lookup 202 priority 1001',
    ]);
    await lab.exec('r1', ['nft', '-f', '-'], { input: NUMGEN });
  },
  async tearDown(lab) {
    await sh(lab, [
      'ip rule del priority 1000',
      'ip rule del priority 1001',
      'ip route flush table 201',
      'ip route flush table 202',
      'nft delete table ip benchlb',
      'nft delete table ip benchnat',
      'conntrack -F >/dev/null 2>&1 || true',
    ]);
  },
};

const ecmp: Config = {
  name: 'ecmp_snat',
  async setUp(lab) {
    await sh(lab, [
      'sysctl -q -w net.ipv4.fib_multipath_hash_policy=1',
      `ip route replace default nexthop via ${SINK1} weight 2 nexthop via ${SINK2} weight 1`,
    ]);
    await lab.exec('r1', ['nft', '-f', '-'], { input: MASQUERADE });
  },
  async tearDown(lab) {
    await sh(lab, [
      'ip route del default',
      'nft delete table ip benchnat',
      'conntrack -F >/dev/null 2>&1 || true',
    ]);
  },
};

function tandemWlb(name: string, extra: string[]): Config {
  const cli = join(packageRoot(), 'bin', 'tandem');
  const configure = async (lab: Lab, lines: string[]) => {
    const r = await lab.exec('r1', [process.execPath, cli, 'configure'], {
      input: `${lines.join('\n')}\ncommit\n`,
      allowFailure: true,
    });
    if (r.code !== 0) throw new Error(`bench: commit failed: ${r.stderr}${r.stdout}`);
  };
  return {
    name,
    setUp: (lab) =>
      configure(
        lab,
        [...WLB_LINES, ...extra].map((l) => `set ${l}`),
      ),
    async tearDown(lab) {
      await configure(lab, ['delete load-balancing']);
      await sh(lab, ['conntrack -F >/dev/null 2>&1 || true']);
    },
  };
}

/** Forwarded packets per second while trafgen floods the router. */
function measure(lab: Lab, conf: string): Promise<number> {
  return floodRate(lab, {
    gen: 'gen',
    conf,
    router: 'r1',
    egress: ['eth0', 'eth2'],
    warmupMs: WARMUP_MS,
    windowMs: WINDOW_MS,
  });
}

async function startTandemd(lab: Lab): Promise<LabProcess> {
  await writeFile(lab.env('r1').TANDEM_CONFIG!, routerBootConfig(lab.topology, 'r1', buildRegistry(), []));
  const proc = lab.spawn('r1', [process.execPath, join(packageRoot(), 'bin', 'tandemd')], {
    logName: 'tandemd',
  });
  const cli = join(packageRoot(), 'bin', 'tandem');
  for (let waited = 0; ; waited += 100) {
    const r = await lab.exec('r1', [process.execPath, cli, 'show', 'system', 'commit'], {
      allowFailure: true,
    });
    if (r.code === 0) return proc;
    if (waited > 30_000) throw new Error('bench: tandemd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const wlbForwarding: Benchmark = {
  name: 'wan load balancing forwarding',
  async run(): Promise<BenchResult[]> {
    const lab = await Lab.up(testLabName(process.pid, 300), topology);
    let tandemd: LabProcess | undefined;
    try {
      for (const sink of ['sink1', 'sink2'])
        await lab.exec(sink, ['ip', 'route', 'add', 'blackhole', '203.0.113.0/24']);
      const routerMac = JSON.parse((await lab.exec('r1', ['ip', '-j', 'link', 'show', 'eth1'])).stdout)[0]
        .address;
      const conf = join(lab.dir('gen'), 'udp64.trafgen');
      writeFileSync(
        conf,
        `{ eth(da=${routerMac}), ipv4(sa=192.0.2.100, da=203.0.113.100, ttl=64), udp(sp=dinc(0, 65535), dp=9, csum=0), fill(0x00, 18) }\n`,
      );
      // Neighbours resolved before the flood so no packet waits on ARP.
      await lab.exec('r1', ['ping', '-c', '1', '-W', '2', SINK1]);
      await lab.exec('r1', ['ping', '-c', '1', '-W', '2', SINK2]);
      tandemd = await startTandemd(lab);
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
          await c.setUp(lab);
          rates.get(c.name)!.push(await measure(lab, conf));
          await c.tearDown(lab);
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
      await tandemd?.stop();
      await lab.down();
    }
  },
};
