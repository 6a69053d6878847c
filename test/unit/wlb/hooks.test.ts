import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HookQueue } from '../../../src/features/wlb/hooks.js';
import { runUserTest } from '../../../src/features/wlb/userTest.js';

let dir = '';
const lines: { msg: string }[] = [];
const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s) as { msg: string }) });

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wlb-hooks-'));
  lines.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('WLB hook queue (W-61…W-64)', () => {
  it('runs hooks one at a time in order with the interface and state in the environment', async () => {
    const out = join(dir, 'out');
    const hook = await script(
      'hook',
      `sleep 0.05; echo "$WLB_INTERFACE_NAME $WLB_INTERFACE_STATE" >> ${out}`,
    );
    const q = new HookQueue({ log });
    for (const [i, s] of [
      ['eth0', 'ACTIVE'],
      ['eth1', 'ACTIVE'],
      ['eth0', 'FAILED'],
    ])
      q.enqueue(hook, { WLB_INTERFACE_NAME: i!, WLB_INTERFACE_STATE: s! });
    await q.idle();
    expect((await readFile(out, 'utf8')).trim().split('\n')).toEqual([
      'eth0 ACTIVE',
      'eth1 ACTIVE',
      'eth0 FAILED',
    ]);
    expect(lines.filter((l) => l.msg === `executing script: ${hook}`)).toHaveLength(3);
  });

  it('never blocks the caller, stops a hook that runs too long (TERM, then KILL) and goes on', async () => {
    const out = join(dir, 'out');
    const stubborn = await script('stubborn', "trap '' TERM; echo started; sleep 30");
    const next = await script('next', `echo ran >> ${out}`);
    const q = new HookQueue({ log, timeoutMs: 200, killAfterMs: 200 });
    const t0 = Date.now();
    q.enqueue(stubborn, {});
    q.enqueue(next, {});
    expect(Date.now() - t0).toBeLessThan(100);
    await q.idle();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await readFile(out, 'utf8')).toBe('ran\n');
    expect(lines.map((l) => l.msg)).toContain('started');
    expect(lines.some((l) => /ran too long/.test(l.msg))).toBe(true);
  });

  it('logs a non-zero exit and a script that cannot start', async () => {
    const q = new HookQueue({ log });
    q.enqueue(await script('fails', 'exit 3'), {});
    q.enqueue(join(dir, 'missing'), {});
    await q.idle();
    expect(lines.some((l) => /exited 3/.test(l.msg))).toBe(true);
    expect(lines.some((l) => /could not run/.test(l.msg))).toBe(true);
  });
});

describe('WLB user-defined test (W-31)', () => {
  const env = { WLB_SCRIPT_IFACE: 'eth0', WLB_SCRIPT_NEXTHOP: '192.0.2.1', WLB_SCRIPT_TEST: '10' };

  it('passes on exit 0 and sees its interface, nexthop and test number', async () => {
    const out = join(dir, 'env');
    const probe = await script(
      'probe',
      `echo "$WLB_SCRIPT_IFACE $WLB_SCRIPT_NEXTHOP $WLB_SCRIPT_TEST" > ${out}`,
    );
    expect(await runUserTest(probe, env, 5000, log)).toEqual({ ok: true, rttMs: null, reason: 'ok' });
    expect(await readFile(out, 'utf8')).toBe('eth0 192.0.2.1 10\n');
  });

  it('fails on another exit status and on its time limit', async () => {
    expect(await runUserTest(await script('no', 'exit 1'), env, 5000, log)).toMatchObject({
      ok: false,
      reason: 'exit 1',
    });
    const t0 = Date.now();
    expect(await runUserTest(await script('hang', 'sleep 30'), env, 200, log)).toMatchObject({
      ok: false,
      reason: 'timeout',
    });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
