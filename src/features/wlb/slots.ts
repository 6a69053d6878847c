// Stable per-interface slots: slot i gives the interface mark 0xc9+i, routing table 201+i and policy
// rule priority 1000+i (spec W-42, W-72). Kept in the state directory so a restart or an unrelated
// commit never renumbers an interface — flows pinned to its mark stay on it.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../platform/atomicFile.js';

export const MAX_SLOTS = 55;
export const MARK_BASE = 0xc9;
export const TABLE_BASE = 201;
export const RULE_PRIORITY_BASE = 1000;

export interface Slot {
  slot: number;
  mark: number;
  table: number;
  priority: number;
}

export function slotInfo(slot: number): Slot {
  return { slot, mark: MARK_BASE + slot, table: TABLE_BASE + slot, priority: RULE_PRIORITY_BASE + slot };
}

/** Keeps the slots of interfaces still configured; new ones take the lowest free slot. */
export function allocateSlots(
  previous: ReadonlyMap<string, number>,
  interfaces: readonly string[],
): Map<string, number> {
  const next = new Map<string, number>();
  for (const name of interfaces) {
    const s = previous.get(name);
    if (s !== undefined && s < MAX_SLOTS) next.set(name, s);
  }
  const used = new Set(next.values());
  let free = 0;
  for (const name of interfaces) {
    if (next.has(name)) continue;
    while (used.has(free)) free++;
    if (free >= MAX_SLOTS) throw new Error(`WAN load balancing supports at most ${MAX_SLOTS} interfaces`);
    next.set(name, free);
    used.add(free);
  }
  return next;
}

export async function loadSlots(path: string): Promise<Map<string, number>> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
    return new Map(Object.entries(data).filter(([, v]) => Number.isInteger(v) && v >= 0 && v < MAX_SLOTS));
  } catch {
    return new Map();
  }
}

export async function saveSlots(path: string, slots: ReadonlyMap<string, number>): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(Object.fromEntries(slots), null, 2)}\n`, 0o600);
}
