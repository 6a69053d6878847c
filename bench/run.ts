// `npm run bench`: runs every benchmark, prints `name value unit ratio` lines, and writes
// bench/results/latest.json and latest.md. A benchmark name on the command line selects it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { applianceBoot } from './applianceBoot.js';
import { clusterFailover } from './clusterFailover.js';
import { commitLatency } from './commitLatency.js';
import { ctsyncCommit } from './ctsyncCommit.js';
import { ctsyncReplication } from './ctsyncReplication.js';
import { fastPathForwarding } from './fastPathForwarding.js';
import { forwardingCounters } from './forwardingCounters.js';
import { vrrpFailover } from './vrrpFailover.js';
import { vrrpScale } from './vrrpScale.js';
import { vrrpStability } from './vrrpStability.js';
import { wlbClassifier } from './wlbClassifier.js';
import { wlbForwarding } from './wlbForwarding.js';

const benchmarks: Benchmark[] = [
  forwardingCounters,
  commitLatency,
  vrrpFailover,
  vrrpScale,
  vrrpStability,
  wlbClassifier,
  wlbForwarding,
  fastPathForwarding,
  ctsyncCommit,
  ctsyncReplication,
  clusterFailover,
  applianceBoot,
];

function markdown(results: BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.value} ${r.unit} | ${r.baseline.name} = ${r.baseline.value} ${r.unit} | ${r.ratio.toFixed(3)} |`,
  );
  return ['| benchmark | value | baseline (same run) | ratio |', '|---|---|---|---|', ...rows, ''].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const results: BenchResult[] = [];
  for (const b of benchmarks) {
    if (wanted.length && !wanted.some((w) => b.name.includes(w))) continue;
    for (const r of await b.run()) {
      results.push(r);
      console.log(`${r.name} ${r.value} ${r.unit} ${r.ratio.toFixed(3)}`);
    }
  }
  const dir = join(packageRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'latest.md'), markdown(results));
}

await main();
