// Failover time of a VRRP pair after the master's power loss (processes killed, links down):
// from the loss to the VIP present on the backup, VRRPv3 at 100 ms adverts, priorities 200/100.
// Baseline in the same run: the same pair made of keepalived (the Debian package).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import { spawnKeepalived, keepalivedInstance } from '../src/lab/keepalived.js';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import type { Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { median } from './benchResult.js';

const ROUNDS = 3;
const VIP = '192.0.2.1';

const topology: Topology = {
  nodes: [
    { name: 'lan', kind: 'switch' },
    { name: 'r1', kind: 'router' },
    { name: 'r2', kind: 'router' },
  ],
  links: [
    { a: { node: 'r1', ifname: 'eth1', addresses: ['192.0.2.2/24'] }, b: { node: 'lan', ifname: 'r1' } },
    { a: { node: 'r2', ifname: 'eth1', addresses: ['192.0.2.3/24'] }, b: { node: 'lan', ifname: 'r2' } },
  ],
};

type Starter = (lab: Lab, node: string, priority: number) => Promise<LabProcess>;

const startTandem: Starter = async (lab, node, priority) => {
  const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';
  const text = routerBootConfig(lab.topology, node, buildRegistry(), [
    `${G} virtual-address ${VIP}/24`,
    `${G} version 3`,
    `${G} fast-advertise-interval 100`,
    `${G} priority ${priority}`,
  ]);
  await writeFile(lab.env(node).TANDEM_CONFIG!, text);
  return lab.spawn(node, [process.execPath, join(packageRoot(), 'bin', 'tandemd')], { logName: 'tandemd' });
};

const startKeepalived: Starter = (lab, node, priority) =>
  spawnKeepalived(
    lab,
    node,
    `global_defs {\n  router_id ${node}\n  vrrp_version 3\n}\n` +
      keepalivedInstance({
        name: 'LAN',
        ifname: 'eth1',
        vrid: 10,
        priority,
        advertInt: 0.1,
        vips: [`${VIP}/24`],
      }),
  );

async function hasVip(lab: Lab, node: string): Promise<boolean> {
  const { stdout } = await lab.exec(node, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1']);
  return stdout.includes(` ${VIP}/`);
}

async function until(cond: () => Promise<boolean>, limitMs: number): Promise<void> {
  for (const t0 = Date.now(); !(await cond());) {
    if (Date.now() - t0 > limitMs) throw new Error('bench: condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Milliseconds from r1's power loss to the VIP on r2, timed by `ip monitor` inside r2. */
async function failoverMs(start: Starter): Promise<number> {
  const lab = await Lab.up(testLabName(process.pid, 200), topology);
  try {
    const r2 = await start(lab, 'r2', 100);
    await start(lab, 'r1', 200);
    await until(() => hasVip(lab, 'r1'), 20_000);
    await new Promise((r) => setTimeout(r, 1000)); // steady state: r2 is a listening backup
    if (await hasVip(lab, 'r2')) throw new Error('bench: both routers hold the VIP');
    const [file, ...args] = lab.wrap('r2', ['ip', 'monitor', 'address', 'dev', 'eth1']);
    const monitor = spawn(file!, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const added = new Promise<number>((resolve) => {
      monitor.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(`inet ${VIP}/`)) resolve(performance.now());
      });
    });
    await new Promise((r) => setTimeout(r, 200));
    const lost = performance.now();
    await lab.kill('r1');
    const at = await Promise.race([
      added,
      new Promise<number>((_, rej) => setTimeout(() => rej(new Error('no failover')), 20_000)),
    ]);
    monitor.kill();
    await r2.stop();
    return at - lost;
  } finally {
    await lab.down();
  }
}

export const vrrpFailover: Benchmark = {
  name: 'vrrp failover',
  async run(): Promise<BenchResult[]> {
    const tandem: number[] = [];
    const keepalived: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      tandem.push(await failoverMs(startTandem));
      keepalived.push(await failoverMs(startKeepalived));
    }
    const value = median(tandem);
    const baseline = median(keepalived);
    return [
      {
        name: 'vrrp_failover_v3_100ms_ms',
        value: Math.round(value),
        unit: 'ms',
        baseline: { name: 'keepalived_failover_v3_100ms_ms', value: Math.round(baseline) },
        ratio: value / baseline,
        detail: {
          tandem: tandem.map(Math.round),
          keepalived: keepalived.map(Math.round),
          expectedMasterDownMs: 360.9,
        },
      },
    ];
  },
};
