import type { Topology } from './topology.js';

/**
 * The standard HA lab: routers r1 and r2 share the LAN (switch `lan`, host h1) and two uplink
 * segments (switches `wan1`, `wan2`) to ISPs isp1 and isp2; server srv sits behind both ISPs.
 *
 *   h1 ── lan ──┬── r1 ──┬── wan1 ── isp1 ──┐
 *               └── r2 ──┴── wan2 ── isp2 ──┴── srv (203.0.113.100)
 *
 * h1's gateway is the LAN VIP and isp1 routes the LAN to the wan1 VIP: whichever router is VRRP
 * master carries the traffic both ways.
 */
export const LAB_ADDRESSES = {
  lanPrefix: '192.0.2.0/24',
  r1Lan: '192.0.2.2',
  r2Lan: '192.0.2.3',
  h1: '192.0.2.100',
  isp1: '198.51.100.1',
  r1Wan1: '198.51.100.2',
  r2Wan1: '198.51.100.3',
  isp2: '198.51.100.65',
  r1Wan2: '198.51.100.66',
  r2Wan2: '198.51.100.67',
  server: '203.0.113.100',
  /** VRRP virtual addresses of the HA pair: the LAN gateway and the return path from isp1. */
  lanVip: '192.0.2.1',
  wan1Vip: '198.51.100.4',
  /** The wan2 VIP of the stateful-failover configuration (standardRouterSyncLines). */
  wan2Vip: '198.51.100.68',
  /** The cluster's service address on the LAN (clustering runs beside VRRP in the lab). */
  clusterAddress: '192.0.2.10',
} as const;

/**
 * viaVips: h1's gateway and isp1's route back to the LAN are the VRRP VIPs (the HA lab, with
 * tandemd running VRRP in r1 and r2); false: r1's own addresses (a lab without VRRP).
 * wan2ViaVip: isp2 routes the LAN through the wan2 VIP too (with standardRouterSyncLines).
 */
export function standardTopology(opts: { viaVips?: boolean; wan2ViaVip?: boolean } = {}): Topology {
  const a = LAB_ADDRESSES;
  const viaVips = opts.viaVips ?? true;
  return {
    nodes: [
      { name: 'lan', kind: 'switch' },
      { name: 'wan1', kind: 'switch' },
      { name: 'wan2', kind: 'switch' },
      { name: 'r1', kind: 'router', routes: [{ dst: 'default', via: a.isp1 }] },
      { name: 'r2', kind: 'router', routes: [{ dst: 'default', via: a.isp1 }] },
      { name: 'h1', kind: 'host', routes: [{ dst: 'default', via: viaVips ? a.lanVip : a.r1Lan }] },
      {
        name: 'isp1',
        kind: 'host',
        forwarding: true,
        routes: [
          { dst: `${a.server}/32`, via: '203.0.113.1' },
          { dst: a.lanPrefix, via: viaVips ? a.wan1Vip : a.r1Wan1 },
        ],
      },
      {
        name: 'isp2',
        kind: 'host',
        forwarding: true,
        routes: [
          { dst: `${a.server}/32`, via: '203.0.113.5' },
          { dst: a.lanPrefix, via: opts.wan2ViaVip ? a.wan2Vip : a.r1Wan2 },
        ],
      },
      {
        name: 'srv',
        kind: 'host',
        loopback: [`${a.server}/32`],
        routes: [
          { dst: 'default', via: '203.0.113.2' },
          { dst: '198.51.100.64/26', via: '203.0.113.6' },
        ],
      },
    ],
    links: [
      {
        a: { node: 'r1', ifname: 'eth1', addresses: [`${a.r1Lan}/24`, '2001:db8:1::2/64'] },
        b: { node: 'lan', ifname: 'r1' },
      },
      {
        a: { node: 'r2', ifname: 'eth1', addresses: [`${a.r2Lan}/24`, '2001:db8:1::3/64'] },
        b: { node: 'lan', ifname: 'r2' },
      },
      {
        a: { node: 'h1', ifname: 'eth0', addresses: [`${a.h1}/24`, '2001:db8:1::100/64'] },
        b: { node: 'lan', ifname: 'h1' },
      },
      { a: { node: 'r1', ifname: 'eth0', addresses: [`${a.r1Wan1}/26`] }, b: { node: 'wan1', ifname: 'r1' } },
      { a: { node: 'r2', ifname: 'eth0', addresses: [`${a.r2Wan1}/26`] }, b: { node: 'wan1', ifname: 'r2' } },
      {
        a: { node: 'isp1', ifname: 'eth0', addresses: [`${a.isp1}/26`] },
        b: { node: 'wan1', ifname: 'isp1' },
      },
      { a: { node: 'r1', ifname: 'eth2', addresses: [`${a.r1Wan2}/26`] }, b: { node: 'wan2', ifname: 'r1' } },
      { a: { node: 'r2', ifname: 'eth2', addresses: [`${a.r2Wan2}/26`] }, b: { node: 'wan2', ifname: 'r2' } },
      {
        a: { node: 'isp2', ifname: 'eth0', addresses: [`${a.isp2}/26`] },
        b: { node: 'wan2', ifname: 'isp2' },
      },
      {
        a: { node: 'isp1', ifname: 'eth1', addresses: ['203.0.113.2/30'] },
        b: { node: 'srv', ifname: 'eth0', addresses: ['203.0.113.1/30'] },
      },
      {
        a: { node: 'isp2', ifname: 'eth1', addresses: ['203.0.113.6/30'] },
        b: { node: 'srv', ifname: 'eth1', addresses: ['203.0.113.5/30'] },
      },
    ],
  };
}

/** The HA configuration of a standard-lab router: two VRRP groups (LAN and wan1) in one sync group;
 * r1 is the preferred master. */
export function standardRouterHaLines(node: string): string[] {
  const priority = node === 'r1' ? 150 : 100;
  const a = LAB_ADDRESSES;
  const group = (ifname: string, vrid: number, vip: string) => [
    `interfaces ethernet ${ifname} vrrp vrrp-group ${vrid} virtual-address ${vip}`,
    `interfaces ethernet ${ifname} vrrp vrrp-group ${vrid} priority ${priority}`,
    `interfaces ethernet ${ifname} vrrp vrrp-group ${vrid} sync-group LAB`,
  ];
  return [...group('eth1', 10, `${a.lanVip}/24`), ...group('eth0', 20, `${a.wan1Vip}/26`)];
}

/** Stateful failover of a standard-lab router: a third VRRP group on wan2 in the same sync group
 * (so WAN load balancing can SNAT each uplink to a VIP that moves with the gateway) and
 * conntrack-sync over wan2 bound to the sync group. Pair with standardTopology({ wan2ViaVip }). */
export function standardRouterSyncLines(node: string): string[] {
  const g = 'interfaces ethernet eth2 vrrp vrrp-group 30';
  return [
    `${g} virtual-address ${LAB_ADDRESSES.wan2Vip}/26`,
    `${g} priority ${node === 'r1' ? 150 : 100}`,
    `${g} sync-group LAB`,
    'service conntrack-sync interface eth2',
    'service conntrack-sync failover-mechanism vrrp sync-group LAB',
  ];
}

/** WAN load balancing of a standard-lab router: the LAN's new flows split 1:1 over isp1 (eth0) and
 * isp2 (eth2), each uplink tested by pinging the server through it. */
export function standardRouterWlbLines(): string[] {
  const a = LAB_ADDRESSES;
  const lb = 'load-balancing wan';
  return [
    `${lb} interface-health eth0 nexthop ${a.isp1}`,
    `${lb} interface-health eth0 test 10 target ${a.server}`,
    `${lb} interface-health eth2 nexthop ${a.isp2}`,
    `${lb} interface-health eth2 test 10 target ${a.server}`,
    `${lb} rule 10 inbound-interface eth1`,
    `${lb} rule 10 interface eth0`,
    `${lb} rule 10 interface eth2`,
  ];
}

/** Clustering of a standard-lab router: r1 primary, r2 secondary, heartbeats over the LAN and
 * wan2, a service address on the LAN, h1 and isp1 as monitors. Short timers for a lab. */
export function standardRouterClusterLines(): string[] {
  const a = LAB_ADDRESSES;
  const g = 'cluster group LAB';
  return [
    'cluster interface eth1',
    'cluster interface eth2',
    'cluster keepalive-interval 500',
    'cluster dead-interval 2000',
    'cluster monitor-dead-interval 2000',
    'cluster init-dead-interval 5000',
    'cluster pre-shared-secret lab-secret',
    `${g} primary r1`,
    `${g} secondary r2`,
    `${g} monitor ${a.h1}`,
    `${g} monitor ${a.isp1}`,
    `${g} service ${a.clusterAddress}/24/eth1`,
  ];
}

/** Everything `tandem lab up` configures in a router: HA, stateful failover, WAN load balancing
 * and clustering (topology: standardTopology({ wan2ViaVip: true })). */
export function operatorLabLines(node: string): string[] {
  return [
    ...standardRouterHaLines(node),
    ...standardRouterSyncLines(node),
    ...standardRouterWlbLines(),
    ...standardRouterClusterLines(),
  ];
}
