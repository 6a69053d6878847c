// The forwarding fast path (bpf/fastpath.bpf.c): load, attach to interfaces, configure, read its
// counters and per-connection table. Layouts: bpf/include/fastpath.h.
import { join } from 'node:path';
import { NativeError } from '../errors.js';
import { addressText } from '../net/ipAddress.js';
import { ensurePinDir, pinDir } from '../platform/bpffs.js';
import { BpfMap } from './bpfMap.js';
import { BpfObject, detachTc, ifIndex, type TcLink, tcProgramId } from './bpfObject.js';

const OBJECT = 'fastpath';
const PROGRAM = 'fp_ingress';
/** After the counters (1) and the WAN balancer (2), whose mark the route lookup needs. */
const TC_HANDLE = 0x6670;
const TC_PRIORITY = 3;

/** enum fp_reason, in order: index 0 is forwarded, the rest why a packet went to the stack. */
export const FAST_PATH_REASONS = [
  'forwarded',
  'not-ip',
  'not-for-us',
  'malformed',
  'fragment',
  'ip-options',
  'ttl',
  'protocol',
  'tcp-flags',
  'no-connection',
  'not-established',
  'helper',
  'no-route',
  'no-neighbour',
  'mtu',
  'checksum',
] as const;
export type FastPathReason = (typeof FAST_PATH_REASONS)[number];

export interface FastPathCounter {
  packets: number;
  bytes: number;
}

export interface FastPathTimeouts {
  tcpEstablishedMs: number;
  udpMs: number;
  udpStreamMs: number;
  /** Refresh a connection's conntrack timeout at most this often. */
  refreshMs: number;
  /** Ask conntrack and routing again about a direction after this long. */
  recheckMs: number;
}

/** One connection's fast-path packets, by its original-direction tuple. */
export interface FastPathFlow {
  family: 4 | 6;
  protocol: number;
  source: string;
  sourcePort: number;
  destination: string;
  destinationPort: number;
  packets: [number, number];
  bytes: [number, number];
  /** Monotonic ns of the last packet (bpf_ktime_get_ns). */
  lastNs: bigint;
}

function link(ifname: string): TcLink {
  return { ifindex: ifIndex(ifname), direction: 'ingress', handle: TC_HANDLE, priority: TC_PRIORITY };
}

function openMap(instance: string, name: string): BpfMap {
  return BpfMap.openPinned(join(pinDir(instance), name));
}

/** Writes fp_config of a loaded fast-path object (struct fp_config). */
export function writeFastPathConfig(obj: BpfObject, timeouts: FastPathTimeouts): void {
  const config = obj.map('fp_config');
  try {
    const v = Buffer.alloc(24);
    v.writeUInt32LE(timeouts.tcpEstablishedMs, 0);
    v.writeUInt32LE(timeouts.udpMs, 4);
    v.writeUInt32LE(timeouts.udpStreamMs, 8);
    v.writeUInt32LE(timeouts.refreshMs, 12);
    v.writeUInt32LE(timeouts.recheckMs, 16);
    config.update(Buffer.alloc(4), v);
  } finally {
    config.close();
  }
}

/**
 * Loads the program (the verifier checks it here: a rejection throws with the verifier's log),
 * writes the timeouts and attaches it on each interface. Maps are pinned per instance.
 */
export async function attachFastPath(
  instance: string,
  ifnames: readonly string[],
  timeouts: FastPathTimeouts,
): Promise<void> {
  const pinRoot = await ensurePinDir(instance);
  const obj = BpfObject.load(OBJECT, { pinRoot });
  try {
    writeFastPathConfig(obj, timeouts);
    for (const ifname of ifnames)
      obj.attachTc(ifname, 'ingress', PROGRAM, { handle: TC_HANDLE, priority: TC_PRIORITY });
  } finally {
    obj.close();
  }
}

/** errno of "nothing attached there": no filter, no clsact qdisc, no such interface. */
const NOT_THERE = new Set([2, 19, 22]);

export function fastPathAttached(ifname: string): boolean {
  try {
    return tcProgramId(link(ifname)) > 0;
  } catch (e) {
    if (e instanceof NativeError && NOT_THERE.has(e.errno)) return false;
    throw e;
  }
}

/** Removes the program from each interface where it is attached. */
export function detachFastPath(ifnames: readonly string[]): void {
  for (const ifname of ifnames) if (fastPathAttached(ifname)) detachTc(link(ifname));
}

/** Packets and bytes per reason, all CPUs summed; zeros when nothing is pinned yet. */
export function readFastPathCounters(instance: string): Record<FastPathReason, FastPathCounter> {
  const out = Object.fromEntries(FAST_PATH_REASONS.map((r) => [r, { packets: 0, bytes: 0 }])) as Record<
    FastPathReason,
    FastPathCounter
  >;
  let map: BpfMap;
  try {
    map = openMap(instance, 'fp_stats');
  } catch {
    return out;
  }
  try {
    FAST_PATH_REASONS.forEach((reason, i) => {
      const key = Buffer.alloc(4);
      key.writeUInt32LE(i);
      for (const v of map.lookupPerCpu(key) ?? []) {
        out[reason].packets += Number(v.readBigUInt64LE(0));
        out[reason].bytes += Number(v.readBigUInt64LE(8));
      }
    });
  } finally {
    map.close();
  }
  return out;
}

const address = (family: 4 | 6, raw: Buffer) => addressText(raw.subarray(0, family === 4 ? 4 : 16));

/** The connections the fast path has carried, from its per-direction records (an LRU table:
 * the least recently used fall out). Layout: struct fp_path_key / fp_path in fastpath.h. */
export function readFastPathFlows(instance: string): FastPathFlow[] {
  let map: BpfMap;
  try {
    map = openMap(instance, 'fp_paths');
  } catch {
    return [];
  }
  try {
    const flows = new Map<string, FastPathFlow>();
    for (const [, v] of map.entries()) {
      const packets = Number(v.readBigUInt64LE(136));
      if (packets === 0) continue;
      const conn = v.subarray(0, 40);
      const id = conn.toString('hex');
      const family = conn.readUInt8(0) === 6 ? 6 : 4;
      const flow = flows.get(id) ?? {
        family,
        protocol: conn.readUInt8(1),
        sourcePort: conn.readUInt16BE(2),
        destinationPort: conn.readUInt16BE(4),
        source: address(family, conn.subarray(8, 24)),
        destination: address(family, conn.subarray(24, 40)),
        packets: [0, 0],
        bytes: [0, 0],
        lastNs: 0n,
      };
      const dir = v.readUInt8(96) ? 1 : 0;
      flow.packets[dir] += packets;
      flow.bytes[dir] += Number(v.readBigUInt64LE(144));
      const last = v.readBigUInt64LE(128);
      if (last > flow.lastNs) flow.lastNs = last;
      flows.set(id, flow);
    }
    return [...flows.values()];
  } finally {
    map.close();
  }
}
