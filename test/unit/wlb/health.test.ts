import { describe, expect, it } from 'vitest';
import { type Clock, HealthMonitor, type StateChange } from '../../../src/features/wlb/health.js';
import type { WlbInterface, WlbTest } from '../../../src/features/wlb/model.js';

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements Clock {
  now = 0;
  timers: { at: number; fn: () => void; live: boolean }[] = [];
  monotonicMs = () => this.now;
  wallMs = () => 1_700_000_000_000 + this.now;
  setTimer(ms: number, fn: () => void) {
    const t = { at: this.now + ms, fn, live: true };
    this.timers.push(t);
    return { cancel: () => (t.live = false) };
  }
  async advance(ms: number) {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const next = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.now = next.at;
      next.live = false;
      next.fn();
    }
    this.now = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const test = (n: number): WlbTest => ({
  test: n,
  type: 'ping',
  target: `203.0.113.${n}`,
  respTime: 5,
  respTimeSet: false,
  ttlLimit: 1,
  scriptName: null,
  script: null,
  implicit: false,
});
const iface = (
  name: string,
  failureCount = 1,
  successCount = 1,
  tests = [test(10), test(20)],
): WlbInterface => ({
  interface: name,
  nexthop: '192.0.2.1',
  failureCount,
  successCount,
  tests,
});

/** Targets that answer, switchable per test; every run is recorded. */
function setup(opts: { durationMs?: number } = {}) {
  const clock = new FakeClock();
  const up = new Set<string>(['203.0.113.10', '203.0.113.20']);
  const runs: string[] = [];
  const changes: StateChange[] = [];
  const m = new HealthMonitor({
    clock,
    onChange: (c) => changes.push(c),
    runTest: async (i, t) => {
      runs.push(`${i.interface}:${t.test}`);
      if (opts.durationMs) await new Promise<void>((r) => clock.setTimer(opts.durationMs!, r));
      const ok = up.has(t.target!);
      return { ok, rttMs: ok ? 1 : null, reason: ok ? 'ok' : 'timeout' };
    },
  });
  return { clock, up, runs, changes, m };
}

describe('WLB health (spec §4.5-4.6)', () => {
  it('starts ACTIVE, stops a cycle at the first passing test, and reports the start-up change', async () => {
    const { m, runs, changes, clock } = setup();
    m.configure([iface('eth0')]);
    await clock.advance(0);
    expect(runs).toEqual(['eth0:10']);
    expect(changes).toMatchObject([{ interface: 'eth0', from: 'ACTIVE', to: 'ACTIVE', startup: true }]);
    expect(m.snapshot()[0]!.tests.map((t) => t.result)).toEqual(['success', 'none']);
    await clock.advance(5000);
    expect(runs).toEqual(['eth0:10', 'eth0:10']);
    expect(changes).toHaveLength(1);
  });

  it('turns FAILED after exactly failure-count failed cycles and ACTIVE after success-count passes', async () => {
    const { m, up, changes, clock } = setup();
    m.configure([iface('eth0', 3, 2)]);
    await clock.advance(0);
    up.clear();
    await clock.advance(5000 * 2);
    expect(m.state('eth0')).toBe('ACTIVE');
    expect(m.snapshot()[0]!.consecutiveFailures).toBe(2);
    expect(m.snapshot()[0]!.tests.map((t) => t.result)).toEqual(['failure', 'failure']);
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('FAILED');
    expect(changes.at(-1)).toMatchObject({
      from: 'ACTIVE',
      to: 'FAILED',
      startup: false,
      consecutiveFailures: 3,
    });
    up.add('203.0.113.20');
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('FAILED');
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('ACTIVE');
    expect(m.snapshot()[0]!.consecutiveFailures).toBe(0);
  });

  it('a passing cycle resets the failure run', async () => {
    const { m, up, clock } = setup();
    m.configure([iface('eth0', 2)]);
    await clock.advance(0);
    up.clear();
    await clock.advance(5000);
    up.add('203.0.113.10');
    await clock.advance(5000);
    up.clear();
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('ACTIVE');
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('FAILED');
  });

  it('starts the next cycle at the end of a cycle longer than the period, never overlapping', async () => {
    const { m, up, runs, clock } = setup({ durationMs: 4000 });
    up.clear();
    m.configure([iface('eth0', 5)]);
    await clock.advance(7999); // two tests of 4 s: one cycle of 8 s
    expect(runs).toEqual(['eth0:10', 'eth0:20']);
    await clock.advance(1);
    expect(runs).toEqual(['eth0:10', 'eth0:20', 'eth0:10']);
  });

  it('keeps state across an incremental configure, forgets removed interfaces and ignores their late results', async () => {
    const { m, up, changes, clock } = setup({ durationMs: 1000 });
    m.configure([iface('eth0'), iface('eth1')]);
    await clock.advance(1000);
    up.clear();
    await clock.advance(5000 + 2000);
    expect(m.state('eth0')).toBe('FAILED');
    const before = changes.length;
    m.configure([iface('eth0', 4)]);
    expect(m.state('eth0')).toBe('FAILED');
    expect(m.state('eth1')).toBeUndefined();
    await clock.advance(20_000);
    expect(changes.slice(before).some((c) => c.interface === 'eth1')).toBe(false);
    expect(m.snapshot().map((h) => h.interface)).toEqual(['eth0']);
  });

  it('restart resets every interface to ACTIVE with a new start-up change', async () => {
    const { m, up, changes, clock } = setup();
    m.configure([iface('eth0')]);
    await clock.advance(0);
    up.clear();
    await clock.advance(5000);
    expect(m.state('eth0')).toBe('FAILED');
    m.restart();
    expect(m.state('eth0')).toBe('ACTIVE');
    await clock.advance(0);
    expect(changes.at(-1)).toMatchObject({ startup: true, from: 'ACTIVE', to: 'FAILED' });
  });

  it('a runner that throws fails the test with its message', async () => {
    const clock = new FakeClock();
    const m = new HealthMonitor({
      clock,
      onChange: () => undefined,
      runTest: () => Promise.reject(new Error('boom')),
    });
    m.configure([iface('eth0')]);
    await clock.advance(0);
    expect(m.state('eth0')).toBe('FAILED');
    expect(m.snapshot()[0]!.tests[0]!.reason).toBe('boom');
  });
});
