// `show interfaces vrrp` (spec §3.8): the VRRP interfaces of RFC 3768 groups as the kernel has them.
import { atColumns } from '../../cli/table.js';
import { run } from '../../platform/run.js';
import type { VrrpGroup } from './groups.js';

export interface VrrpInterfaceStatus {
  name: string;
  parent: string;
  group: number;
  mac: string;
  addresses: string[];
  adminUp: boolean;
  linkUp: boolean;
  description: string | null;
  state: string;
  flags: string[];
  mtu: number;
  rx: { bytes: number; packets: number; errors: number; dropped: number; overrun: number; mcast: number };
  tx: {
    bytes: number;
    packets: number;
    errors: number;
    dropped: number;
    carrier: number;
    collisions: number;
  };
}

interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  address: string;
  stats64?: {
    rx: {
      bytes: number;
      packets: number;
      errors: number;
      dropped: number;
      over_errors: number;
      multicast: number;
    };
    tx: {
      bytes: number;
      packets: number;
      errors: number;
      dropped: number;
      carrier_errors: number;
      collisions: number;
    };
  };
  addr_info?: { local: string; prefixlen: number }[];
}

export async function vrrpInterfaces(
  groups: VrrpGroup[],
  states: Map<string, string>,
): Promise<VrrpInterfaceStatus[]> {
  const out: VrrpInterfaceStatus[] = [];
  for (const g of groups) {
    if (!g.vrrpInterface) continue;
    const link = await run(['ip', '-j', '-s', 'link', 'show', 'dev', g.vrrpInterface], {
      allowFailure: true,
    });
    const addr = await run(['ip', '-j', 'addr', 'show', 'dev', g.vrrpInterface], { allowFailure: true });
    if (link.code !== 0) continue; // not created (yet): nothing to show
    const l = (JSON.parse(link.stdout) as IpLink[])[0]!;
    const a = addr.code === 0 ? ((JSON.parse(addr.stdout) as IpLink[])[0]?.addr_info ?? []) : [];
    const s = l.stats64;
    out.push({
      name: g.vrrpInterface,
      parent: g.interface,
      group: g.vrid,
      mac: l.address,
      addresses: a.map((i) => `${i.local}/${i.prefixlen}`),
      adminUp: l.flags.includes('UP'),
      linkUp: l.flags.includes('LOWER_UP'),
      description: g.interfaceDescription ?? null,
      state: states.get(g.instance) ?? 'INIT',
      flags: l.flags,
      mtu: l.mtu,
      rx: {
        bytes: s?.rx.bytes ?? 0,
        packets: s?.rx.packets ?? 0,
        errors: s?.rx.errors ?? 0,
        dropped: s?.rx.dropped ?? 0,
        overrun: s?.rx.over_errors ?? 0,
        mcast: s?.rx.multicast ?? 0,
      },
      tx: {
        bytes: s?.tx.bytes ?? 0,
        packets: s?.tx.packets ?? 0,
        errors: s?.tx.errors ?? 0,
        dropped: s?.tx.dropped ?? 0,
        carrier: s?.tx.carrier_errors ?? 0,
        collisions: s?.tx.collisions ?? 0,
      },
    });
  }
  return out;
}

/** The table of §3.8; one line per address. */
export function renderVrrpInterfaces(list: VrrpInterfaceStatus[]): string {
  const lines = [
    'Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down',
    atColumns([
      [0, 'Interface'],
      [15, 'IP Address'],
      [31, 'S/L'],
      [36, 'Description'],
    ]),
    atColumns([
      [0, '---------'],
      [15, '----------'],
      [31, '---'],
      [36, '-----------'],
    ]),
  ];
  for (const i of list) {
    const sl = `${i.adminUp ? 'u' : 'A'}/${i.linkUp ? 'u' : 'D'}`;
    const addrs = i.addresses.length ? i.addresses : [''];
    addrs.forEach((a, k) =>
      lines.push(
        atColumns([
          [0, k ? '' : i.name],
          [15, a],
          [31, k ? '' : sl],
          [36, k ? '' : (i.description ?? '')],
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/** The interface-detail form of §3.8 (a name or `detail`). */
export function renderVrrpInterfaceDetail(list: VrrpInterfaceStatus[]): string {
  const n = (v: number, w: number) => String(v).padStart(w);
  return list
    .map((i) =>
      [
        `${i.name}@${i.parent}: <${i.flags.join(',')}> mtu ${i.mtu} state ${i.linkUp && i.adminUp ? 'UP' : 'DOWN'}`,
        `    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff`,
        ...i.addresses.map((a) => `    inet${a.includes(':') ? '6' : ''} ${a} scope global ${i.name}`),
        ...(i.description ? [`    Description: ${i.description}`] : []),
        `    VRRP: group ${i.group} on ${i.parent}, state ${i.state}`,
        '',
        '    RX:  bytes    packets     errors    dropped    overrun      mcast',
        `    ${n(i.rx.bytes, 10)} ${n(i.rx.packets, 10)} ${n(i.rx.errors, 10)} ${n(i.rx.dropped, 10)} ${n(i.rx.overrun, 10)} ${n(i.rx.mcast, 10)}`,
        '    TX:  bytes    packets     errors    dropped    carrier collisions',
        `    ${n(i.tx.bytes, 10)} ${n(i.tx.packets, 10)} ${n(i.tx.errors, 10)} ${n(i.tx.dropped, 10)} ${n(i.tx.carrier, 10)} ${n(i.tx.collisions, 10)}`,
      ].join('\n'),
    )
    .join('\n\n');
}
