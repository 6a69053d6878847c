// The forwarding benchmarks' lab: a traffic generator, router r1 and two sinks (uplinks), with the
// router configurations they compare. 64-byte UDP from trafgen to 203.0.113.100, one flow per
// source port; the sinks route that address into a blackhole, which costs them almost nothing.
//
//   gen ── eth1 r1 eth0 ── sink1 (198.51.100.2)
//                  eth2 ── sink2 (198.51.100.66)
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import { floodRate } from './floodRate.js';

export const SINK1 = '198.51.100.2';
export const SINK2 = '198.51.100.66';
export const TARGET = '203.0.113.100';
export const GEN = '192.0.2.100';
/** Source port of the first flow; flow i uses FIRST_PORT + i (at most 64,512 flows). */
export const FIRST_PORT = 1024;
const WARMUP_MS = 700;
const WINDOW_MS = 2000;

const topology: Topology = {
  nodes: [
    { name: 'gen', kind: 'host' },
    { name: 'r1', kind: 'router' },
    { name: 'sink1', kind: 'host', forwarding: true },
    { name: 'sink2', kind: 'host', forwarding: true },
  ],
  links: [
    {
      a: { node: 'gen', ifname: 'eth0', addresses: [`${GEN}/24`] },
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

/** WAN load balancing over both sinks 2:1 for everything arriving on eth1. */
export const WLB_LINES = [
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

/** The balancing other router OSes configure: a random connection mark, a table per mark. */
const NUMGEN = `table ip benchlb {
  chain pre {
    type filter hook prerouting priority mangle; policy accept;
    ct mark 0 ct mark set numgen random mod 3 map { 0 : 0xc9, 1 : 0xc9, 2 : 0xca }
    meta mark set ct mark
  }
}
${MASQUERADE}`;

/** One router configuration under test. */
export interface Config {
  name: string;
  setUp(lab: Lab): Promise<void>;
  tearDown(lab: Lab): Promise<void>;
}

export const sh = (lab: Lab, cmds: string[]) =>
  lab.exec('r1', ['sh', '-ec', cmds.join('\n')], { allowFailure: false });

const flushConntrack = 'conntrack -F >/dev/null 2>&1 || true';

export const plain: Config = {
  name: 'plain',
  setUp: (lab) => sh(lab, [`ip route replace default via ${SINK1}`]).then(() => undefined),
  tearDown: (lab) => sh(lab, ['ip route del default']).then(() => undefined),
};

export const nftMasquerade: Config = {
  name: 'nft_masquerade',
  async setUp(lab) {
    await sh(lab, [`ip route replace default via ${SINK1}`]);
    await lab.exec('r1', ['nft', '-f', '-'], { input: MASQUERADE });
  },
  async tearDown(lab) {
    await sh(lab, ['ip route del default', 'nft delete table ip benchnat', flushConntrack]);
  },
};

export const nftNumgen: Config = {
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
      flushConntrack,
    ]);
  },
};

export const ecmp: Config = {
  name: 'ecmp_snat',
  async setUp(lab) {
    await sh(lab, [
      'sysctl -q -w net.ipv4.fib_multipath_hash_policy=1',
      `ip route replace default nexthop via ${SINK1} weight 2 nexthop via ${SINK2} weight 1`,
    ]);
    await lab.exec('r1', ['nft', '-f', '-'], { input: MASQUERADE });
  },
  async tearDown(lab) {
    await sh(lab, ['ip route del default', 'nft delete table ip benchnat', flushConntrack]);
  },
};

/** Tandem's WAN load balancing (the tandemd of the lab), with extra configuration lines. */
export function tandemWlb(name: string, extra: string[]): Config {
  const configure = async (lab: Lab, lines: string[]) => {
    const r = await lab.exec('r1', [process.execPath, join(packageRoot(), 'bin', 'tandem'), 'configure'], {
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
      await configure(lab, [
        'delete load-balancing',
        ...(extra.some((l) => l.startsWith('system fast-path')) ? ['delete system fast-path'] : []),
      ]);
      await sh(lab, [flushConntrack]);
    },
  };
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
    await new Promise((res) => setTimeout(res, 100));
  }
}

export interface ForwardingLab {
  lab: Lab;
  /** The trafgen configuration: `flows` flows, source ports FIRST_PORT up. */
  conf: string;
  flows: number;
  /** Forwarded packets per second while trafgen floods the router. */
  measure(): Promise<number>;
  down(): Promise<void>;
}

/** Brings the lab up with tandemd running in r1 (configured with nothing but addresses). */
export async function forwardingLab(labIndex: number, flows: number): Promise<ForwardingLab> {
  const lab = await Lab.up(testLabName(process.pid, labIndex), topology);
  const conf = join(lab.dir('gen'), 'udp64.trafgen');
  let tandemd: LabProcess | undefined;
  try {
    for (const sink of ['sink1', 'sink2'])
      await lab.exec(sink, ['ip', 'route', 'add', 'blackhole', '203.0.113.0/24']);
    const routerMac = JSON.parse((await lab.exec('r1', ['ip', '-j', 'link', 'show', 'eth1'])).stdout)[0]
      .address;
    writeFileSync(
      conf,
      `{ eth(da=${routerMac}), ipv4(sa=${GEN}, da=${TARGET}, ttl=64), udp(sp=dinc(${FIRST_PORT}, ${FIRST_PORT + flows - 1}), dp=9, csum=0), fill(0x00, 18) }\n`,
    );
    // Neighbours resolved before the flood so no packet waits on ARP.
    await lab.exec('r1', ['ping', '-c', '1', '-W', '2', SINK1]);
    await lab.exec('r1', ['ping', '-c', '1', '-W', '2', SINK2]);
    await lab.exec('r1', ['ping', '-c', '1', '-W', '2', GEN]);
    tandemd = await startTandemd(lab);
  } catch (e) {
    await tandemd?.stop();
    await lab.down();
    throw e;
  }
  return {
    lab,
    conf,
    flows,
    measure: () =>
      floodRate(lab, {
        gen: 'gen',
        conf,
        router: 'r1',
        egress: ['eth0', 'eth2'],
        warmupMs: WARMUP_MS,
        windowMs: WINDOW_MS,
      }),
    async down() {
      await tandemd?.stop();
      await lab.down();
    },
  };
}
