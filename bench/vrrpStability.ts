// Stability of a VRRP pair at 10 ms adverts (VRRPv3) on a loaded machine: 8 CPU-hog processes
// on the 2 cores and a garbage-collection-heavy JavaScript load inside the backup's tandemd, for
// TANDEM_VRRP_STABILITY_SECONDS (default 300). Counted on the wire at the switch: false
// transitions (the backup advertising while the master lives) and the master's longest gap
// between adverts. Baseline in the same run: the same pair made of keepalived, with the same
// hogs and the same JavaScript load as a process of its own beside it.
import { join } from 'node:path';
import { Lab, type LabProcess } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import { packageRoot } from '../src/packageRoot.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import {
  type Advert,
  captureAdverts,
  type GroupTiming,
  hasVip,
  pairTopology,
  type Starter,
  startKeepalived,
  startTandem,
  until,
} from './vrrpPair.js';

const SECONDS = Number(process.env.TANDEM_VRRP_STABILITY_SECONDS ?? 300);
const HOGS = 8;
const TIMING: GroupTiming = { version: 3, intervalMs: 10 };

interface Outcome {
  falseTransitions: number;
  longestGapMs: number;
  adverts: number;
}

/** Runs of backup adverts between master adverts: each is one false takeover. */
export function summarize(adverts: readonly Advert[]): Outcome {
  let falseTransitions = 0;
  let longestGapMs = 0;
  let lastMaster: number | undefined;
  let previous: Advert['from'] | undefined;
  for (const a of adverts) {
    if (a.from === 'r2' && a.priority > 0 && previous !== 'r2') falseTransitions++;
    if (a.from === 'r1') {
      if (lastMaster !== undefined) longestGapMs = Math.max(longestGapMs, (a.t - lastMaster) * 1000);
      lastMaster = a.t;
    }
    previous = a.from;
  }
  return { falseTransitions, longestGapMs, adverts: adverts.filter((a) => a.from === 'r1').length };
}

async function underLoad(start: Starter, jsLoadInDaemon: boolean): Promise<Outcome> {
  const gcLoad = join(packageRoot(), 'bench', 'gcLoad.mjs');
  const lab = await Lab.up(testLabName(process.pid, 201), pairTopology);
  const load: LabProcess[] = [];
  try {
    const r2 = await start(lab, 'r2', 100, TIMING, jsLoadInDaemon ? ['--import', gcLoad] : []);
    if (!jsLoadInDaemon) load.push(lab.spawn('r2', [process.execPath, gcLoad], { logName: 'gc-load' }));
    const r1 = await start(lab, 'r1', 200, TIMING);
    await until(() => hasVip(lab, 'r1'), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const wire = await captureAdverts(lab);
    for (let i = 0; i < HOGS; i++)
      load.push(lab.spawn('r2', ['sh', '-c', 'while :; do :; done'], { logName: 'hog' }));
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    for (const p of load.splice(0)) await p.stop();
    const adverts = await wire.stop();
    await r1.stop();
    await r2.stop();
    return summarize(adverts);
  } finally {
    for (const p of load) await p.stop();
    await lab.down();
  }
}

export const vrrpStability: Benchmark = {
  name: 'vrrp stability',
  async run(): Promise<BenchResult[]> {
    const tandem = await underLoad(startTandem, true);
    const keepalived = await underLoad(startKeepalived, false);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const detail = { seconds: SECONDS, hogs: HOGS, intervalMs: TIMING.intervalMs, tandem, keepalived };
    return [
      {
        name: 'vrrp_stability_10ms_false_transitions',
        value: tandem.falseTransitions,
        unit: 'transitions',
        baseline: { name: 'keepalived_stability_10ms_false_transitions', value: keepalived.falseTransitions },
        // Plus one on each side, so that zero against zero compares as 1.
        ratio: (tandem.falseTransitions + 1) / (keepalived.falseTransitions + 1),
        detail,
      },
      {
        name: 'vrrp_stability_10ms_longest_advert_gap_ms',
        value: round(tandem.longestGapMs),
        unit: 'ms',
        baseline: {
          name: 'keepalived_stability_10ms_longest_advert_gap_ms',
          value: round(keepalived.longestGapMs),
        },
        ratio: tandem.longestGapMs / keepalived.longestGapMs,
        detail,
      },
    ];
  },
};
