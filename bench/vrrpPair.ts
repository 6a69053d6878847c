// A VRRP pair on one LAN for the VRRP benchmarks: r1 and r2 run either tandemd or keepalived
// with the same group (VRID 10, VIP 192.0.2.1), and adverts are read off the wire at the switch.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../src/daemon/features.js';
import { Capture } from '../src/lab/capture.js';
import { keepalivedInstance, spawnKeepalived } from '../src/lab/keepalived.js';
import type { Lab, LabProcess } from '../src/lab/lab.js';
import { routerBootConfig } from '../src/lab/routerConfig.js';
import { switchedTopology, type Topology } from '../src/lab/topology.js';
import { packageRoot } from '../src/packageRoot.js';

export const VIP = '192.0.2.1';
export const ADDRESS: Record<string, string> = { r1: '192.0.2.2', r2: '192.0.2.3' };

export const pairTopology: Topology = switchedTopology(
  ['r1', 'r2'].map((name) => ({ name, address: ADDRESS[name]!, kind: 'router' as const, ifname: 'eth1' })),
);

export interface GroupTiming {
  version: 2 | 3;
  /** Advertisement interval; VRRPv2 takes whole seconds. */
  intervalMs: number;
}

/** Starts one side of the pair; `nodeArgs` go to tandemd's node (e.g. `--import` a load). */
export type Starter = (
  lab: Lab,
  node: string,
  priority: number,
  timing: GroupTiming,
  nodeArgs?: string[],
) => Promise<LabProcess>;

export const startTandem: Starter = async (lab, node, priority, timing, nodeArgs = []) => {
  const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';
  const lines = [`${G} virtual-address ${VIP}/24`, `${G} priority ${priority}`];
  if (timing.version === 3) lines.push(`${G} version 3`, `${G} fast-advertise-interval ${timing.intervalMs}`);
  else lines.push(`${G} advertise-interval ${timing.intervalMs / 1000}`);
  await writeFile(lab.env(node).TANDEM_CONFIG!, routerBootConfig(lab.topology, node, buildRegistry(), lines));
  return lab.spawn(node, [process.execPath, ...nodeArgs, join(packageRoot(), 'bin', 'tandemd')], {
    logName: 'tandemd',
  });
};

export const startKeepalived: Starter = (lab, node, priority, timing) =>
  spawnKeepalived(
    lab,
    node,
    `global_defs {\n  router_id ${node}\n  vrrp_version ${timing.version}\n}\n` +
      keepalivedInstance({
        name: 'LAN',
        ifname: 'eth1',
        vrid: 10,
        priority,
        advertInt: timing.intervalMs / 1000,
        vips: [`${VIP}/24`],
      }),
  );

/** RFC 5798 Master_Down_Interval of a backup with `priority` (ms). */
export function masterDownMs(priority: number, intervalMs: number): number {
  return 3 * intervalMs + ((256 - priority) * intervalMs) / 256;
}

export async function hasVip(lab: Lab, node: string): Promise<boolean> {
  const { stdout } = await lab.exec(node, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1']);
  return stdout.includes(` ${VIP}/`);
}

export async function until(cond: () => Promise<boolean>, limitMs: number): Promise<void> {
  for (const t0 = Date.now(); !(await cond());) {
    if (Date.now() - t0 > limitMs) throw new Error('bench: condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Advert {
  /** Seconds since the epoch, kernel capture timestamp. */
  t: number;
  from: 'r1' | 'r2' | 'other';
  priority: number;
}

/**
 * Captures VRRP on the switch's port towards r2: every advert either router sends reaches it.
 * Loss in the capture would read as advert gaps, so it is fatal.
 */
export async function captureAdverts(lab: Lab): Promise<{ stop(): Promise<Advert[]> }> {
  const capture = await Capture.start(lab, 'sw', 'r2', 'ip proto 112', { underLoad: true });
  return {
    async stop() {
      const rows = await capture.stop(['frame.time_epoch', 'ip.src', 'vrrp.prio']);
      if (capture.dropped) throw new Error(`bench: the capture dropped ${capture.dropped} packets`);
      return rows.map((r) => ({
        t: Number(r['frame.time_epoch']),
        from: r['ip.src'] === ADDRESS.r1 ? 'r1' : r['ip.src'] === ADDRESS.r2 ? 'r2' : 'other',
        priority: Number(r['vrrp.prio']),
      }));
    },
  };
}
