// Health of the WAN interfaces (spec §4.5-4.6): each interface runs its tests in cycles — one test
// at a time in ascending number, stopping at the first that passes — and a run of failed or
// passed cycles flips it between ACTIVE and FAILED. Probing is injected (`runTest`) and so is the
// clock, so the rules are unit-tested without waiting.
import type { WlbInterface, WlbTest } from './model.js';

export type HealthState = 'ACTIVE' | 'FAILED';
export type TestResult = 'success' | 'failure' | 'none';

export interface TestOutcome {
  ok: boolean;
  rttMs: number | null;
  reason: string;
}

export type TestRunner = (iface: WlbInterface, test: WlbTest) => Promise<TestOutcome>;

export interface Clock {
  monotonicMs(): number;
  wallMs(): number;
  setTimer(ms: number, fn: () => void): { cancel(): void };
}

export const realClock: Clock = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export interface StateChange {
  interface: string;
  from: HealthState;
  to: HealthState;
  /** The start-up pseudo-change after an interface's first cycle (W-3). */
  startup: boolean;
  at: number;
  consecutiveFailures: number;
}

export interface TestSnapshot {
  test: number;
  type: WlbTest['type'];
  target: string | null;
  script: string | null;
  implicit: boolean;
  result: TestResult;
  rttMs: number | null;
  reason: string | null;
}

export interface InterfaceHealth {
  interface: string;
  state: HealthState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Monotonic ms at the end of the last passing / failing cycle (null: none yet). */
  lastSuccessMono: number | null;
  lastFailureMono: number | null;
  /** Wall-clock ms of the last state change (or of the start-up pseudo-change); null before it. */
  lastStatusChangeWall: number | null;
  cycles: number;
  tests: TestSnapshot[];
}

interface Tracked {
  def: WlbInterface;
  health: InterfaceHealth;
  /** Bumped on removal and restart: results of an older epoch are dropped. */
  epoch: number;
  timer: { cancel(): void } | undefined;
  running: boolean;
}

export const CYCLE_MS = 5000;

export class HealthMonitor {
  readonly #runTest: TestRunner;
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #onChange: (c: StateChange) => void;
  readonly #tracked = new Map<string, Tracked>();
  #epoch = 0;
  #stopped = false;

  constructor(opts: {
    runTest: TestRunner;
    onChange: (c: StateChange) => void;
    clock?: Clock;
    periodMs?: number;
  }) {
    this.#runTest = opts.runTest;
    this.#onChange = opts.onChange;
    this.#clock = opts.clock ?? realClock;
    this.#periodMs = opts.periodMs ?? CYCLE_MS;
  }

  /**
   * Applies a configuration incrementally (W-2, W-41): interfaces that stay keep their state, runs
   * and results (new test definitions take effect from the next cycle); new ones start ACTIVE and
   * probe at once; removed ones stop.
   */
  configure(defs: readonly WlbInterface[]): void {
    const names = new Set(defs.map((d) => d.interface));
    for (const [name, t] of this.#tracked) {
      if (!names.has(name)) {
        t.timer?.cancel();
        t.epoch = -1;
        this.#tracked.delete(name);
      }
    }
    for (const def of defs) {
      const t = this.#tracked.get(def.interface);
      if (t) {
        t.def = def;
        t.health.tests = mergeTests(def.tests, t.health.tests);
      } else {
        const fresh = this.#fresh(def);
        this.#tracked.set(def.interface, fresh);
        this.#cycle(fresh);
      }
    }
  }

  /** Spec §3.6: every interface back to its initial state; the first cycles count as changes. */
  restart(): void {
    const defs = [...this.#tracked.values()].map((t) => t.def);
    for (const t of this.#tracked.values()) {
      t.timer?.cancel();
      t.epoch = -1;
    }
    this.#tracked.clear();
    this.configure(defs);
  }

  state(iface: string): HealthState | undefined {
    return this.#tracked.get(iface)?.health.state;
  }

  snapshot(): InterfaceHealth[] {
    return [...this.#tracked.values()].map((t) => ({
      ...t.health,
      tests: t.health.tests.map((x) => ({ ...x })),
    }));
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#tracked.values()) {
      t.timer?.cancel();
      t.epoch = -1;
    }
    this.#tracked.clear();
  }

  #fresh(def: WlbInterface): Tracked {
    return {
      def,
      epoch: ++this.#epoch,
      timer: undefined,
      running: false,
      health: {
        interface: def.interface,
        state: 'ACTIVE',
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
        lastSuccessMono: null,
        lastFailureMono: null,
        lastStatusChangeWall: null,
        cycles: 0,
        tests: mergeTests(def.tests, []),
      },
    };
  }

  /** One cycle (W-25/W-26/W-28), then the next one period after this one started. */
  #cycle(t: Tracked): void {
    if (this.#stopped || t.running) return;
    const epoch = t.epoch;
    const started = this.#clock.monotonicMs();
    t.running = true;
    void (async () => {
      const h = t.health;
      h.tests = mergeTests(t.def.tests, []);
      let passed = false;
      for (const test of t.def.tests) {
        let outcome: TestOutcome;
        try {
          outcome = await this.#runTest(t.def, test);
        } catch (e) {
          outcome = { ok: false, rttMs: null, reason: e instanceof Error ? e.message : String(e) };
        }
        if (t.epoch !== epoch) return; // removed or restarted meanwhile
        const snap = h.tests.find((x) => x.test === test.test);
        if (snap) {
          snap.result = outcome.ok ? 'success' : 'failure';
          snap.rttMs = outcome.rttMs;
          snap.reason = outcome.reason;
        }
        if (outcome.ok) {
          passed = true;
          break;
        }
      }
      this.#conclude(t, passed);
      t.running = false;
      const wait = Math.max(0, started + this.#periodMs - this.#clock.monotonicMs());
      t.timer = this.#clock.setTimer(wait, () => this.#cycle(t));
    })();
  }

  /** The state machine of W-37 and the start-up pseudo-change of W-3. */
  #conclude(t: Tracked, passed: boolean): void {
    const h = t.health;
    const now = this.#clock.monotonicMs();
    if (passed) {
      h.consecutiveSuccesses++;
      h.consecutiveFailures = 0;
      h.lastSuccessMono = now;
    } else {
      h.consecutiveFailures++;
      h.consecutiveSuccesses = 0;
      h.lastFailureMono = now;
    }
    const from = h.state;
    if (from === 'ACTIVE' && h.consecutiveFailures >= t.def.failureCount) h.state = 'FAILED';
    else if (from === 'FAILED' && h.consecutiveSuccesses >= t.def.successCount) h.state = 'ACTIVE';
    const startup = h.cycles === 0;
    h.cycles++;
    if (startup || h.state !== from) {
      h.lastStatusChangeWall = this.#clock.wallMs();
      this.#onChange({
        interface: h.interface,
        from,
        to: h.state,
        startup,
        at: h.lastStatusChangeWall,
        consecutiveFailures: h.consecutiveFailures,
      });
    }
  }
}

/** Test snapshots for `defs`, keeping the latest results of tests that already existed. */
function mergeTests(defs: readonly WlbTest[], previous: readonly TestSnapshot[]): TestSnapshot[] {
  return defs.map((d) => {
    const old = previous.find((p) => p.test === d.test && p.type === d.type);
    return {
      test: d.test,
      type: d.type,
      target: d.target,
      script: d.scriptName,
      implicit: d.implicit,
      result: old?.result ?? 'none',
      rttMs: old?.rttMs ?? null,
      reason: old?.reason ?? null,
    };
  });
}
