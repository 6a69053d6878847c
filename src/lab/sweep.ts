// Removes what crashed test runs left behind: labs whose owning process is gone.
import { readdir } from 'node:fs/promises';
import * as ip from '../platform/ip.js';
import { processAlive } from '../platform/process.js';
import { labDown } from './lab.js';
import { LAB_RUN_DIR, labOfNs, testLabOwner } from './labPaths.js';

/** Tears down every per-run test lab whose owner process no longer exists; returns their names. */
export async function sweepStaleLabs(): Promise<string[]> {
  const candidates = new Set<string>();
  for (const ns of await ip.netnsList()) {
    const lab = labOfNs(ns);
    if (lab !== undefined) candidates.add(lab);
  }
  for (const entry of await readdir(LAB_RUN_DIR).catch(() => [] as string[])) candidates.add(entry);
  const stale = [...candidates].filter((lab) => {
    const owner = testLabOwner(lab);
    return owner !== undefined && !processAlive(owner);
  });
  for (const lab of stale) await labDown(lab);
  return stale;
}
