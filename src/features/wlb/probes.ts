// ping and ttl health probes (W-29, W-30), sent with iputils ping bound to the interface and
// carrying its mark, so they leave through the interface's own table (W-35) even while it is
// FAILED. A ttl probe passes only when a hop answers Time Exceeded; an answer from the target
// itself means the target is within ttl-limit hops, and fails (as the spec's Port Unreachable does).
import { run } from '../../platform/run.js';
import type { TestOutcome } from './health.js';

export interface ProbeRequest {
  kind: 'ping' | 'ttl';
  ifname: string;
  mark: number;
  target: string;
  ttl: number;
  timeoutSeconds: number;
}

export function pingArgv(r: ProbeRequest): string[] {
  return [
    'ping',
    '-n',
    '-c',
    '1',
    '-W',
    String(r.timeoutSeconds),
    '-I',
    r.ifname,
    '-m',
    String(r.mark),
    ...(r.kind === 'ttl' ? ['-t', String(r.ttl)] : []),
    r.target,
  ];
}

/** Reads ping's report of one probe. */
export function probeOutcome(kind: ProbeRequest['kind'], code: number, output: string): TestOutcome {
  const rtt = /time=([\d.]+) ms/.exec(output);
  const exceeded = /From (\S+) .*Time to live exceeded/.exec(output);
  if (kind === 'ttl') {
    if (exceeded) return { ok: true, rttMs: null, reason: `time exceeded from ${exceeded[1]}` };
    if (code === 0) return { ok: false, rttMs: null, reason: 'the target answered within ttl-limit hops' };
  } else if (code === 0 && rtt) {
    return { ok: true, rttMs: Number(rtt[1]), reason: 'ok' };
  }
  const from = /From (\S+) .*(Destination \S+ Unreachable|Time to live exceeded)/.exec(output);
  if (from) return { ok: false, rttMs: null, reason: `${from[2]!.toLowerCase()} from ${from[1]}` };
  return {
    ok: false,
    rttMs: null,
    reason: code === 1 ? 'timeout' : (output.trim().split('\n').at(-1) ?? `exit ${code}`),
  };
}

export async function probe(r: ProbeRequest): Promise<TestOutcome> {
  const res = await run(pingArgv(r), { allowFailure: true, timeoutMs: (r.timeoutSeconds + 5) * 1000 });
  return probeOutcome(r.kind, res.code, `${res.stdout}\n${res.stderr}`);
}
