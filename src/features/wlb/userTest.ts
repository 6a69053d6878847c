// A user-defined health test (W-31): the operator's script decides, exit 0 passes. Terminated
// after its time limit (TERM, KILL 2 s later), which fails the test.
import type { Logger } from 'pino';
import { runScript } from '../../platform/script.js';
import type { TestOutcome } from './health.js';

export async function runUserTest(
  script: string,
  env: { WLB_SCRIPT_IFACE: string; WLB_SCRIPT_NEXTHOP: string; WLB_SCRIPT_TEST: string },
  timeoutMs: number,
  log: Logger,
): Promise<TestOutcome> {
  const r = await runScript(script, {
    env,
    timeoutMs,
    killAfterMs: 2000,
    log,
    fields: { interface: env.WLB_SCRIPT_IFACE },
  });
  if (r.error) return { ok: false, rttMs: null, reason: r.error };
  if (r.timedOut) return { ok: false, rttMs: null, reason: 'timeout' };
  return r.code === 0
    ? { ok: true, rttMs: null, reason: 'ok' }
    : { ok: false, rttMs: null, reason: r.code === null ? `killed by ${r.signal}` : `exit ${r.code}` };
}
