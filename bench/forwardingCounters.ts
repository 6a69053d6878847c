// Packets per second routed through a lab router, with and without the per-interface BPF
// counters attached (tc ingress + egress on both of its interfaces). 60-byte UDP frames from
// trafgen; the router's egress tx counter over a fixed window gives the forwarded rate.
// Rounds alternate so drift on the machine affects both sides alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { floodRate } from './floodRate.js';
import { median } from './benchResult.js';

const ROUNDS = 3;
const WARMUP_MS = 500;
const WINDOW_MS = 2000;

const topology: Topology = {
  nodes: [
    { name: 'gen', kind: 'host' },
    { name: 'r1', kind: 'router', routes: [{ dst: '203.0.113.0/24', via: '198.51.100.2' }] },
    // The sink routes the flow into a blackhole: dropping costs it almost nothing.
    { name: 'sink', kind: 'host', forwarding: true },
  ],
  links: [
    {
      a: { node: 'gen', ifname: 'eth0', addresses: ['192.0.2.100/24'] },
      b: { node: 'r1', ifname: 'eth1', addresses: ['192.0.2.1/24'] },
    },
    {
      a: { node: 'r1', ifname: 'eth0', addresses: ['198.51.100.1/24'] },
      b: { node: 'sink', ifname: 'eth0', addresses: ['198.51.100.2/24'] },
    },
  ],
};

/** Forwarded packets per second while trafgen floods the router. */
function measure(lab: Lab, conf: string): Promise<number> {
  return floodRate(lab, {
    gen: 'gen',
    conf,
    router: 'r1',
    egress: ['eth0'],
    warmupMs: WARMUP_MS,
    windowMs: WINDOW_MS,
  });
}

export const forwardingCounters: Benchmark = {
  name: 'forwarding with BPF interface counters',
  async run(): Promise<BenchResult[]> {
    const lab = await Lab.up(testLabName(process.pid, 100), topology);
    const tandem = join(packageRoot(), 'bin', 'tandem');
    try {
      await lab.exec('sink', ['ip', 'route', 'add', 'blackhole', '203.0.113.0/24']);
      const routerMac = JSON.parse((await lab.exec('r1', ['ip', '-j', 'link', 'show', 'eth1'])).stdout)[0]
        .address;
      const conf = join(lab.dir('gen'), 'udp64.trafgen');
      writeFileSync(
        conf,
        `{ eth(da=${routerMac}), ipv4(sa=192.0.2.100, da=203.0.113.100, ttl=64), udp(sp=4000, dp=9), fill(0x00, 18) }\n`,
      );
      // Resolve the sink's MAC before the flood so no packet waits on ARP.
      await lab.exec('r1', ['ping', '-c', '1', '-W', '2', '198.51.100.2']);
      const plain: number[] = [];
      const counted: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        plain.push(await measure(lab, conf));
        await lab.exec('r1', [process.execPath, tandem, 'dataplane', 'attach-counters', 'eth0', 'eth1']);
        counted.push(await measure(lab, conf));
        await lab.exec('r1', [process.execPath, tandem, 'dataplane', 'detach-counters', 'eth0', 'eth1']);
      }
      const baseline = median(plain);
      const value = median(counted);
      const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
      return [
        {
          name: 'forward_pps_with_if_counters',
          value: Math.round(value),
          unit: 'pps',
          baseline: { name: 'forward_pps_plain', value: Math.round(baseline) },
          ratio: value / baseline,
          detail: {
            plain: plain.map(Math.round),
            counted: counted.map(Math.round),
            frame: '60-byte UDP',
            kernel,
          },
        },
      ];
    } finally {
      await lab.down();
    }
  },
};
