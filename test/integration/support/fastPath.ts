// Fast-path lab: a LAN host, router r1 and a server. r1 has no default route of its own: the
// server's service address is reached only through WAN load balancing's uplink table (the mark)
// with SNAT; the server's link address is routed and not NATed; IPv6 is routed, not NATed. The
// uplink's MTU is smaller than the LAN's, so oversized packets meet the MTU at the router.
//
//   h1 ── eth3 r1 eth0 ── srv (192.0.2.1, service 203.0.113.80)
import { join } from 'node:path';
import type { FastPathFlowRow } from '../../../src/features/fast-path/status.js';
import type { Lab } from '../../../src/lab/lab.js';
import { Capture } from '../../../src/lab/capture.js';
import type { Topology } from '../../../src/lab/topology.js';
import { run } from '../../../src/platform/run.js';
import { packageRoot } from '../../../src/packageRoot.js';

export const FP = {
  h1: '198.51.100.130',
  h1v6: '2001:db8:1::2',
  r1Lan: '198.51.100.129',
  r1Lanv6: '2001:db8:1::1',
  r1Wan: '192.0.2.2',
  srv: '192.0.2.1',
  srvv6: '2001:db8:2::2',
  service: '203.0.113.80',
  wanMtu: 1400,
} as const;

export function fastPathTopology(): Topology {
  return {
    nodes: [
      { name: 'r1', kind: 'router' },
      {
        name: 'h1',
        kind: 'host',
        routes: [
          { dst: 'default', via: FP.r1Lan },
          { dst: 'default', via: FP.r1Lanv6 },
        ],
      },
      {
        name: 'srv',
        kind: 'host',
        loopback: [`${FP.service}/32`],
        routes: [
          { dst: '198.51.100.128/26', via: FP.r1Wan },
          { dst: 'default', via: '2001:db8:2::1' },
        ],
      },
    ],
    links: [
      {
        a: { node: 'r1', ifname: 'eth0', addresses: [`${FP.r1Wan}/26`, '2001:db8:2::1/64'] },
        b: { node: 'srv', ifname: 'eth0', addresses: [`${FP.srv}/26`, `${FP.srvv6}/64`] },
      },
      {
        a: { node: 'r1', ifname: 'eth3', addresses: [`${FP.r1Lan}/26`, `${FP.r1Lanv6}/64`] },
        b: { node: 'h1', ifname: 'eth0', addresses: [`${FP.h1}/26`, `${FP.h1v6}/64`] },
      },
    ],
  };
}

/** One uplink with implicit SNAT; traffic to the server's own link address is not balanced. */
export const FP_WLB_LINES = [
  `load-balancing wan interface-health eth0 nexthop ${FP.srv}`,
  `load-balancing wan rule 5 exclude`,
  `load-balancing wan rule 5 inbound-interface eth3`,
  `load-balancing wan rule 5 destination address ${FP.srv}`,
  'load-balancing wan rule 10 inbound-interface eth3',
  'load-balancing wan rule 10 interface eth0',
];

/** An operator's stateful firewall on r1 (it also makes conntrack track IPv6 forwarding). */
export const FP_FIREWALL = `table inet fw {
  chain forward {
    type filter hook forward priority filter; policy accept;
    ct state invalid counter drop
  }
}
`;

export async function setWanMtu(lab: Lab): Promise<void> {
  await lab.exec('r1', ['ip', 'link', 'set', 'eth0', 'mtu', String(FP.wanMtu)]);
  await lab.exec('srv', ['ip', 'link', 'set', 'eth0', 'mtu', String(FP.wanMtu)]);
}

const support = (f: string) => join(packageRoot(), 'test', 'integration', 'support', f);
export const MIX_SERVER = support('mixServer.mjs');
export const MIX_CLIENT = support('trafficMix.mjs');
export const UDP_STREAM = support('udpStream.mjs');
/** The mix's flows per target: [base port, target]. */
export const MIX_TARGETS: [number, string][] = [
  [40000, FP.service],
  [41000, FP.srv],
  [42000, FP.srvv6],
];
/** Bulk TCP flows (base + 4): compared by content in the client, not packet by packet. */
const BULK_PORTS = MIX_TARGETS.map(([b]) => b + 4);

const FIELDS = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'ip.ttl',
  'ipv6.hlim',
  'ip.len',
  'ipv6.plen',
  'ip.flags.df',
  'ip.flags.mf',
  'ip.frag_offset',
  'ip.checksum.status',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.checksum.status',
  'tcp.payload',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'udp.checksum.status',
  'udp.payload',
  'icmp.type',
  'icmp.code',
  'icmp.mtu',
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.mtu',
  'data.data',
];

/**
 * The packets of a capture as comparable text, timing left out: IP ids, ICMP identifiers, TCP
 * windows and timestamps vary between runs of the same host stack; pure ACKs follow delayed-ACK
 * timers; bulk flows follow the congestion window; WLB's health pings follow their interval.
 */
export async function normalizedPackets(capture: Capture, lab: Lab): Promise<string[]> {
  await capture.stop(['frame.number']);
  const bulk = BULK_PORTS.map((p) => `tcp.port == ${p}`).join(' or ');
  const filter = [
    `(tcp or udp or icmp or (icmpv6 and icmpv6.type < 133))`,
    `not (${bulk})`,
    `not (tcp.len == 0 and tcp.flags == 0x010)`,
    `not (icmp and ip.addr == ${FP.r1Wan} and ip.addr == ${FP.srv})`,
  ].join(' and ');
  const argv = [
    'tshark',
    '-r',
    capture.file,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'separator=|',
    '-E',
    'occurrence=a',
  ];
  for (const p of ['ip', 'tcp', 'udp']) argv.push('-o', `${p}.check_checksum:TRUE`);
  for (const f of FIELDS) argv.push('-e', f);
  void lab;
  const { stdout } = await run(argv);
  return stdout.split('\n').filter((l) => l.length > 0);
}

/**
 * r1's conntrack table without timers, ids and the WLB health pings, sorted. With `flows`, each
 * entry's counters also count the packets the fast path carried for it (conntrack's own counters
 * see only the normal path): the sum must be what the normal path alone counts.
 */
export async function normalizedConntrack(
  lab: Lab,
  flows: readonly FastPathFlowRow[] = [],
): Promise<string[]> {
  const { stdout } = await lab.exec('r1', ['conntrack', '-L', '-o', 'extended'], { allowFailure: true });
  const carried = new Map<string, FastPathFlowRow>(
    flows.map((f) => [`${f.source} ${f.destination} ${f.sourcePort} ${f.destinationPort}`, f] as const),
  );
  return stdout
    .split('\n')
    .filter((l) => l.trim() && !(l.includes(`dst=${FP.srv}`) && l.includes(' icmp ')))
    .map((l) => {
      const orig = /src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)/.exec(l);
      const f = orig && carried.get(orig.slice(1).join(' '));
      let n = 0;
      const line = f
        ? l.replace(/packets=(\d+) bytes=(\d+)/g, (_, p: string, b: string) => {
            const dir = n++ === 0 ? 0 : 1;
            return `packets=${Number(p) + f.packets[dir]} bytes=${Number(b) + f.bytes[dir]}`;
          })
        : l;
      // A bulk flow's packet count follows its segmentation and ACK timing: state only.
      const bulk = orig && BULK_PORTS.includes(Number(orig[3]));
      return (bulk ? line.replace(/packets=\d+ bytes=\d+/g, 'packets=* bytes=*') : line)
        .replace(/^(\S+\s+\d+\s+\S+\s+\d+\s+)\d+\s+/, '$1')
        .replace(/\s(id|mark|use|zone)=\d+/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    })
    .sort();
}
