// The clustering lab: r1 (primary) and r2 (secondary) on a LAN switch with host h1 and a second
// monitor host m2, plus a direct r1-r2 link: two heartbeat paths. The cluster address 192.0.2.1 is
// h1's gateway. Used by the cluster tests and the failover benchmark.
//
//   h1 (192.0.2.100) ─┐
//   m2 (192.0.2.200) ─┼─ lan ─┬─ eth1 r1 eth2 ─┐
//                     │       └─ eth1 r2 eth2 ─┘  198.51.100.0/30
import type { Topology } from './topology.js';

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

/** The group's configuration; timers default short (keepalive 200 ms, dead 1000 ms) for tests. */
export function clusterLines(
  opts: {
    secret?: string;
    autoFailback?: boolean;
    links?: string[];
    keepaliveMs?: number;
    deadMs?: number;
  } = {},
): string[] {
  const G = 'cluster group G';
  return [
    ...(opts.links ?? ['eth1', 'eth2']).map((l) => `cluster interface ${l}`),
    `cluster keepalive-interval ${opts.keepaliveMs ?? 200}`,
    `cluster dead-interval ${opts.deadMs ?? 1000}`,
    `cluster monitor-dead-interval ${opts.deadMs ?? 1000}`,
    `cluster init-dead-interval ${Math.max(3000, opts.deadMs ?? 1000)}`,
    `cluster pre-shared-secret ${opts.secret ?? 'lab-secret'}`,
    `${G} primary r1`,
    `${G} secondary r2`,
    `${G} monitor ${CL.h1}`,
    `${G} monitor ${CL.m2}`,
    `${G} service ${CL.vip}/24/eth1`,
    ...(opts.autoFailback ? [`${G} auto-failback true`] : []),
  ];
}
