// Cluster lab helpers: status, waiting for a holder, addresses. The lab itself: src/lab/clusterTopology.ts.
export { CL, clusterLines, clusterTopology } from '../../../src/lab/clusterTopology.js';
import type { Lab } from '../../../src/lab/lab.js';
import type { ClusterStatus } from '../../../src/features/cluster/status.js';
import { tandem } from './tandemd.js';

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
