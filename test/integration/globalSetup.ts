// Before the integration suite: root is required, stale labs of crashed runs are swept, the root
// namespace is photographed. After it: the root namespace must look exactly the same.
import { sweepStaleLabs } from '../../src/lab/sweep.js';
import { rootNamespaceSnapshot } from './support/rootSnapshot.js';

export default async function setup() {
  if (process.getuid?.() !== 0) throw new Error('the integration suite needs root (network namespaces, BPF)');
  const swept = await sweepStaleLabs();
  if (swept.length) console.warn(`swept stale labs of crashed runs: ${swept.join(', ')}`);
  const before = await rootNamespaceSnapshot();
  return async () => {
    const after = await rootNamespaceSnapshot();
    if (after !== before)
      throw new Error(
        `the integration suite changed the root namespace:\n--- before\n${before}\n--- after\n${after}`,
      );
  };
}
