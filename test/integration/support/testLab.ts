// A per-run lab for one test file: named after this process so a crash is swept by the next run.
import { Lab } from '../../../src/lab/lab.js';
import { testLabName } from '../../../src/lab/labPaths.js';
import type { Topology } from '../../../src/lab/topology.js';

let seq = 0;

export function upTestLab(topology: Topology): Promise<Lab> {
  return Lab.up(testLabName(process.pid, seq++), topology);
}
