// Failover time of a VRRP pair after the master's power loss (every process SIGKILLed, links
// down), read off the wire at the switch: from the last advert of the old master to the first
// advert of the new one. Priorities 200/100. Baseline in the same run: the same pair made of
// keepalived (the Debian package), rounds interleaved.
import { Lab } from '../src/lab/lab.js';
import { testLabName } from '../src/lab/labPaths.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { median } from './benchResult.js';
import {
  captureAdverts,
  type GroupTiming,
  hasVip,
  masterDownMs,
  pairTopology,
  type Starter,
  startKeepalived,
  startTandem,
  until,
} from './vrrpPair.js';

const BACKUP_PRIORITY = 100;

async function failoverMs(start: Starter, timing: GroupTiming): Promise<number> {
  const lab = await Lab.up(testLabName(process.pid, 200), pairTopology);
  try {
    const r2 = await start(lab, 'r2', BACKUP_PRIORITY, timing);
    await start(lab, 'r1', 200, timing);
    await until(() => hasVip(lab, 'r1'), 20_000);
    // Steady state: r2 has heard r1 and is a listening backup.
    await new Promise((r) =>
      setTimeout(r, Math.max(1000, 2 * masterDownMs(BACKUP_PRIORITY, timing.intervalMs))),
    );
    if (await hasVip(lab, 'r2')) throw new Error('bench: both routers hold the VIP');
    const wire = await captureAdverts(lab);
    await new Promise((r) => setTimeout(r, 5 * timing.intervalMs + 100));
    await lab.kill('r1');
    await until(() => hasVip(lab, 'r2'), 20_000);
    await new Promise((r) => setTimeout(r, 2 * timing.intervalMs + 100));
    const adverts = await wire.stop();
    await r2.stop();
    const first = adverts.findIndex((a) => a.from === 'r2' && a.priority > 0);
    const last = adverts.slice(0, first).findLast((a) => a.from === 'r1');
    if (first < 0 || !last) throw new Error('bench: the takeover is not on the wire');
    return (adverts[first]!.t - last.t) * 1000;
  } finally {
    await lab.down();
  }
}

const scenarios: { name: string; timing: GroupTiming; rounds: number }[] = [
  {
    name: 'v3_10ms',
    timing: { version: 3, intervalMs: 10 },
    rounds: Number(process.env.TANDEM_VRRP_ROUNDS ?? 20),
  },
  { name: 'v2_1s', timing: { version: 2, intervalMs: 1000 }, rounds: 3 },
];

export const vrrpFailover: Benchmark = {
  name: 'vrrp failover',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const s of scenarios) {
      const tandem: number[] = [];
      const keepalived: number[] = [];
      for (let i = 0; i < s.rounds; i++) {
        tandem.push(await failoverMs(startTandem, s.timing));
        keepalived.push(await failoverMs(startKeepalived, s.timing));
      }
      const value = median(tandem);
      const baseline = median(keepalived);
      const round = (ms: number) => Math.round(ms * 100) / 100;
      results.push({
        name: `vrrp_failover_${s.name}_wire_ms`,
        value: round(value),
        unit: 'ms',
        baseline: { name: `keepalived_failover_${s.name}_wire_ms`, value: round(baseline) },
        ratio: value / baseline,
        detail: {
          masterDownIntervalMs: round(masterDownMs(BACKUP_PRIORITY, s.timing.intervalMs)),
          tandem: tandem.map(round),
          keepalived: keepalived.map(round),
        },
      });
    }
    return results;
  },
};
