// WAN load-balancing lab: router r1 with a LAN host and two ISPs in front of an "internet"
// namespace holding the health-test targets and the server. Which uplink a flow took is read in
// inet from the source address it arrives with (implicit SNAT) or at the ISPs (without SNAT).
//
//   h3 ── eth3 r1 eth0 ── isp1 ──┐
//   h4 ── eth4    eth1 ── isp2 ──┴── inet (203.0.113.44/.88 via isp1 tests, .66/.22, server .80)
import { join } from 'node:path';
import type { Lab } from '../../../src/lab/lab.js';
import { countPackets, packetCounts, resetPacketCounts } from './packetCounts.js';
import { packageRoot } from '../../../src/packageRoot.js';
import type { Topology } from '../../../src/lab/topology.js';

export const WLB = {
  r1Wan1: '192.0.2.2',
  isp1: '192.0.2.1',
  r1Wan2: '198.51.100.2',
  isp2: '198.51.100.1',
  r1Lan3: '198.51.100.129',
  h3: '198.51.100.130',
  r1Lan4: '198.51.100.193',
  h4: '198.51.100.194',
  /** Both LANs (the "all LANs" prefix of an exclude rule). */
  lans: '198.51.100.128/25',
  targets1: ['203.0.113.44', '203.0.113.88'],
  targets2: ['203.0.113.66', '203.0.113.22'],
  server: '203.0.113.80',
} as const;

export function wlbTopology(): Topology {
  const w = WLB;
  return {
    nodes: [
      { name: 'r1', kind: 'router' },
      { name: 'h3', kind: 'host', routes: [{ dst: 'default', via: w.r1Lan3 }] },
      { name: 'h4', kind: 'host', routes: [{ dst: 'default', via: w.r1Lan4 }] },
      {
        name: 'isp1',
        kind: 'host',
        forwarding: true,
        routes: [
          { dst: 'default', via: '192.0.2.66' },
          { dst: w.lans, via: w.r1Wan1 },
        ],
      },
      {
        name: 'isp2',
        kind: 'host',
        forwarding: true,
        routes: [
          { dst: 'default', via: '198.51.100.66' },
          { dst: w.lans, via: w.r1Wan2 },
        ],
      },
      {
        name: 'inet',
        kind: 'host',
        loopback: [...w.targets1, ...w.targets2, w.server].map((a) => `${a}/32`),
        routes: [
          { dst: '192.0.2.0/26', via: '192.0.2.65' },
          { dst: '198.51.100.0/26', via: '198.51.100.65' },
          { dst: w.lans, via: '198.51.100.65' },
        ],
      },
    ],
    links: [
      {
        a: { node: 'r1', ifname: 'eth0', addresses: [`${w.r1Wan1}/26`] },
        b: { node: 'isp1', ifname: 'eth0', addresses: [`${w.isp1}/26`] },
      },
      {
        a: { node: 'r1', ifname: 'eth1', addresses: [`${w.r1Wan2}/26`] },
        b: { node: 'isp2', ifname: 'eth0', addresses: [`${w.isp2}/26`] },
      },
      {
        a: { node: 'r1', ifname: 'eth3', addresses: [`${w.r1Lan3}/26`] },
        b: { node: 'h3', ifname: 'eth0', addresses: [`${w.h3}/26`] },
      },
      {
        a: { node: 'r1', ifname: 'eth4', addresses: [`${w.r1Lan4}/26`] },
        b: { node: 'h4', ifname: 'eth0', addresses: [`${w.h4}/26`] },
      },
      {
        a: { node: 'isp1', ifname: 'eth1', addresses: ['192.0.2.65/26'] },
        b: { node: 'inet', ifname: 'eth0', addresses: ['192.0.2.66/26'] },
      },
      {
        a: { node: 'isp2', ifname: 'eth1', addresses: ['198.51.100.65/26'] },
        b: { node: 'inet', ifname: 'eth1', addresses: ['198.51.100.66/26'] },
      },
    ],
  };
}

/** Base configuration B of the spec (§5.1) with the lab's addresses. */
export function wlbBaseLines(): string[] {
  const w = WLB;
  const lb = 'load-balancing wan';
  const health = (ifname: string, nexthop: string, failures: number, targets: readonly string[]) => [
    `${lb} interface-health ${ifname} failure-count ${failures}`,
    `${lb} interface-health ${ifname} nexthop ${nexthop}`,
    ...targets.flatMap((t, i) => [
      `${lb} interface-health ${ifname} test ${10 * (i + 1)} type ping`,
      `${lb} interface-health ${ifname} test ${10 * (i + 1)} target ${t}`,
    ]),
  ];
  return [
    ...health('eth0', w.isp1, 5, w.targets1),
    ...health('eth1', w.isp2, 4, w.targets2),
    `${lb} rule 10 inbound-interface eth3`,
    `${lb} rule 10 interface eth0`,
    `${lb} rule 10 interface eth1`,
  ];
}

const script = (name: string) => join(packageRoot(), 'test', 'integration', 'support', name);

/** Counts, in inet, UDP/TCP packets to the server by the source address they arrive with. */
export async function countAtInet(lab: Lab): Promise<void> {
  await countPackets(lab, 'inet', 'wlbcount', 'prerouting', {
    via1: `ip daddr ${WLB.server} ip saddr ${WLB.r1Wan1}`,
    via2: `ip daddr ${WLB.server} ip saddr ${WLB.r1Wan2}`,
    other: `ip daddr ${WLB.server}`,
  });
}

export interface InetCounts {
  via1: number;
  via2: number;
  other: number;
}

export async function inetCounts(lab: Lab): Promise<InetCounts> {
  const c = await packetCounts(lab, 'inet', 'wlbcount');
  return { via1: c['via1'] ?? 0, via2: c['via2'] ?? 0, other: c['other'] ?? 0 };
}

export async function resetInetCounts(lab: Lab): Promise<void> {
  await resetPacketCounts(lab, 'inet', 'wlbcount');
}

/** `count` single-packet UDP flows from `node` to the server (port 9), `pps` per second (0: fast). */
export async function udpFlows(lab: Lab, node: string, count: number, pps = 0, base = 20000): Promise<void> {
  await lab.exec(
    node,
    [process.execPath, script('udpFlows.mjs'), WLB.server, '9', String(count), String(pps), String(base)],
    {
      timeoutMs: 300_000,
    },
  );
}

/** One UDP flow of `count` packets from `node` to the server. */
export async function udpStream(
  lab: Lab,
  node: string,
  count: number,
  pps: number,
  sport: number,
): Promise<void> {
  await lab.exec(
    node,
    [process.execPath, script('udpStream.mjs'), WLB.server, '9', String(count), String(pps), String(sport)],
    { timeoutMs: 300_000 },
  );
}

/** Makes an ISP drop everything it would forward (its own address still answers): "path down". */
export async function pathDown(lab: Lab, isp: string, down: boolean): Promise<void> {
  if (down) {
    await lab.exec(isp, ['nft', '-f', '-'], {
      input:
        'table ip pathdown {\n  chain forward_drop { type filter hook forward priority 0; policy drop; }\n}\n',
    });
  } else {
    await lab.exec(isp, ['nft', 'delete', 'table', 'ip', 'pathdown'], { allowFailure: true });
  }
}
