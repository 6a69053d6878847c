// The per-interface counter program (bpf/if_counters.bpf.c): attach it to interfaces, read the
// totals from its pinned per-CPU map. Layout: struct tandem_if_counters in bpf/include/if_counters.h.
import { join } from 'node:path';
import { NativeError } from '../errors.js';
import { ensurePinDir, pinDir } from '../platform/bpffs.js';
import { BpfMap } from './bpfMap.js';
import { BpfObject, detachTc, ifIndex, type TcDirection, type TcLink, tcProgramId } from './bpfObject.js';

const PROGRAM = 'if_counters';
const MAP = 'if_counters';
/** Fixed tc handle and the first priority: re-attaching replaces, later filters run after it. */
const TC_HANDLE = 0x7464;
const TC_PRIORITY = 1;
const DIRECTIONS: Record<TcDirection, string> = { ingress: 'tc_count_ingress', egress: 'tc_count_egress' };

export interface InterfaceCounters {
  ifname: string;
  ifindex: number;
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
}

function link(ifname: string, direction: TcDirection): TcLink {
  return { ifindex: ifIndex(ifname), direction, handle: TC_HANDLE, priority: TC_PRIORITY };
}

/** Attaches the counters on ingress and egress of each interface; the map is pinned per instance. */
export async function attachInterfaceCounters(instance: string, ifnames: readonly string[]): Promise<void> {
  const pinRoot = await ensurePinDir(instance);
  const obj = BpfObject.load(PROGRAM, { pinRoot });
  try {
    for (const ifname of ifnames) {
      for (const [direction, program] of Object.entries(DIRECTIONS) as [TcDirection, string][]) {
        obj.attachTc(ifname, direction, program, { handle: TC_HANDLE, priority: TC_PRIORITY });
      }
    }
  } finally {
    obj.close();
  }
}

export function detachInterfaceCounters(ifnames: readonly string[]): void {
  for (const ifname of ifnames) {
    for (const direction of Object.keys(DIRECTIONS) as TcDirection[]) {
      try {
        detachTc(link(ifname, direction));
      } catch (e) {
        if (!(e instanceof NativeError && e.errno === 2)) throw e; // ENOENT: was not attached
      }
    }
  }
}

/** True when the counter program is attached on both directions of the interface. */
export function interfaceCountersAttached(ifname: string): boolean {
  return (Object.keys(DIRECTIONS) as TcDirection[]).every((d) => tcProgramId(link(ifname, d)) > 0);
}

/** Totals (all CPUs) for each interface, from the instance's pinned map. */
export function readInterfaceCounters(
  instance: string,
  interfaces: readonly { ifname: string; ifindex: number }[],
): InterfaceCounters[] {
  const map = BpfMap.openPinned(join(pinDir(instance), MAP));
  try {
    return interfaces.map(({ ifname, ifindex }) => {
      const key = Buffer.alloc(4);
      key.writeUInt32LE(ifindex);
      const total = { ifname, ifindex, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 };
      for (const v of map.lookupPerCpu(key) ?? []) {
        total.rxPackets += Number(v.readBigUInt64LE(0));
        total.rxBytes += Number(v.readBigUInt64LE(8));
        total.txPackets += Number(v.readBigUInt64LE(16));
        total.txBytes += Number(v.readBigUInt64LE(24));
      }
      return total;
    });
  } finally {
    map.close();
  }
}
