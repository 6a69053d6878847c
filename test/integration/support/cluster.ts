// Cluster lab: r1 (primary) and r2 (secondary) on a LAN switch with host h1 and a second monitor
// host m2, plus a direct r1-r2 link: two heartbeat paths. The cluster address 192.0.2.1 is h1's
// gateway. Timers are short (keepalive 200 ms, dead 1000 ms) to keep the tests quick.
//
//   h1 (192.0.2.100) ─┐
//   m2 (192.0.2.200) ─┼─ lan ─┬─ eth1 r1 eth2 ─┐
//                     │       └─ eth1 r2 eth2 ─┘  198.51.100.0/30
import type { Lab } from '../../../src/lab/lab.js';
import type { ClusterStatus } from '../../../src/features/cluster/status.js';
import type { Topology } from '../../../src/lab/topology.js';
import { tandem } from './tandemd.js';

export const CL = {
  r1: '192.0.2.2',
  r2: '192.0.2.3',
  h1: '192.0.2.100',
  m2: '192.0.2.200',
  vip: '192.0.2.1',
} as const;

export function clusterTopology(): Topology {
  return {
    nodes: [
      { name: 'lan', kind: 'switch' },
      { name: 'r1', kind: 'router' },
      { name: 'r2', kind: 'router' },
      { name: 'h1', kind: 'host', routes: [{ dst: 'default', via: CL.vip }] },
      { name: 'm2', kind: 'host' },
    ],
    links: [
      { a: { node: 'r1', ifname: 'eth1', addresses: [`${CL.r1}/24`] }, b: { node: 'lan', ifname: 'r1' } },
      { a: { node: 'r2', ifname: 'eth1', addresses: [`${CL.r2}/24`] }, b: { node: 'lan', ifname: 'r2' } },
      { a: { node: 'h1', ifname: 'eth0', addresses: [`${CL.h1}/24`] }, b: { node: 'lan', ifname: 'h1' } },
      { a: { node: 'm2', ifname: 'eth0', addresses: [`${CL.m2}/24`] }, b: { node: 'lan', ifname: 'm2' } },
      {
        a: { node: 'r1', ifname: 'eth2', addresses: ['198.51.100.1/30'] },
        b: { node: 'r2', ifname: 'eth2', addresses: ['198.51.100.2/30'] },
      },
    ],
  };
}

export function clusterLines(
  opts: { secret?: string; autoFailback?: boolean; links?: string[] } = {},
): string[] {
  const G = 'cluster group G';
  return [
    ...(opts.links ?? ['eth1', 'eth2']).map((l) => `cluster interface ${l}`),
    'cluster keepalive-interval 200',
    'cluster dead-interval 1000',
    'cluster monitor-dead-interval 1000',
    'cluster init-dead-interval 3000',
    `cluster pre-shared-secret ${opts.secret ?? 'lab-secret'}`,
    `${G} primary r1`,
    `${G} secondary r2`,
    `${G} monitor ${CL.h1}`,
    `${G} monitor ${CL.m2}`,
    `${G} service ${CL.vip}/24/eth1`,
    ...(opts.autoFailback ? [`${G} auto-failback true`] : []),
  ];
}

export async function clusterStatus(lab: Lab, node: string): Promise<ClusterStatus> {
  const r = await tandem(lab, node, ['show', 'cluster', 'status', '--json']);
  if (r.code !== 0) throw new Error(`show cluster status on ${node}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ClusterStatus;
}

/** Polls until `node` reports `holder` as the holder (a hang guard, not a timing goal). */
export async function waitHolder(
  lab: Lab,
  node: string,
  holder: string | null,
  limitMs = 20_000,
): Promise<ClusterStatus> {
  const t0 = Date.now();
  for (;;) {
    const s = await clusterStatus(lab, node);
    if (s.resources?.holder === holder && s.resources.state !== 'transition') return s;
    if (Date.now() - t0 > limitMs)
      throw new Error(
        `${node}: holder ${String(s.resources?.holder)} (${s.resources?.display}), wanted ${String(holder)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function hasAddress(lab: Lab, node: string, address: string): Promise<boolean> {
  const { stdout } = await lab.exec(node, ['ip', '-4', '-o', 'addr', 'show'], { allowFailure: true });
  return stdout.includes(` ${address}/`);
}
