// ping and ttl health probes (W-29, W-30), bound to the interface and carrying its mark, so they
// leave through the interface's own table (W-35) even while it is FAILED. ping is iputils ping;
// ttl is one UDP datagram to a traceroute port sent by the addon, which reads the ICMP error that
// quotes it: it passes only on Time Exceeded from a hop; Port Unreachable (the target is within
// ttl-limit hops), any other answer or silence fails it.
import type { RawTtlProbeResult } from '../../native/addon.js';
import { nativeAddon } from '../../native/addon.js';
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
    r.target,
  ];
}

/** Reads ping's report of one probe. */
export function pingOutcome(code: number, output: string): TestOutcome {
  const rtt = /time=([\d.]+) ms/.exec(output);
  if (code === 0 && rtt) return { ok: true, rttMs: Number(rtt[1]), reason: 'ok' };
  const from = /From (\S+) .*(Destination \S+ Unreachable|Time to live exceeded)/.exec(output);
  if (from) return { ok: false, rttMs: null, reason: `${from[2]!.toLowerCase()} from ${from[1]}` };
  return {
    ok: false,
    rttMs: null,
    reason: code === 1 ? 'timeout' : (output.trim().split('\n').at(-1) ?? `exit ${code}`),
  };
}

const ICMP_TIME_EXCEEDED = 11;
const ICMP_UNREACHABLE = 3;
const PORT_UNREACHABLE = 3;

/** Reads what the ttl probe's datagram met. */
export function ttlOutcome(r: RawTtlProbeResult, target: string): TestOutcome {
  const rttMs = Math.round(r.rttMs * 1000) / 1000;
  switch (r.answer) {
    case 'icmp':
      if (r.icmpType === ICMP_TIME_EXCEEDED && r.icmpCode === 0)
        return { ok: true, rttMs, reason: `time exceeded from ${r.from ?? '?'}` };
      if (r.icmpType === ICMP_UNREACHABLE && r.icmpCode === PORT_UNREACHABLE && r.from === target)
        return { ok: false, rttMs: null, reason: 'the target answered within ttl-limit hops' };
      return {
        ok: false,
        rttMs: null,
        reason: `ICMP type ${r.icmpType} code ${r.icmpCode} from ${r.from ?? '?'}`,
      };
    case 'reply':
      return { ok: false, rttMs: null, reason: 'the target answered within ttl-limit hops' };
    case 'local-error':
      return { ok: false, rttMs: null, reason: r.error ?? 'not sent' };
    default:
      return { ok: false, rttMs: null, reason: 'timeout' };
  }
}

/** The traceroute ports, one after the other (W-30). */
const TRACEROUTE_PORTS = { first: 33434, count: 101 };
let nextPort = 0;

export async function probe(r: ProbeRequest): Promise<TestOutcome> {
  if (r.kind === 'ttl') {
    const port = TRACEROUTE_PORTS.first + (nextPort++ % TRACEROUTE_PORTS.count);
    const res = await nativeAddon().wlbTtlProbe(
      r.ifname,
      r.mark,
      r.target,
      r.ttl,
      port,
      r.timeoutSeconds * 1000,
    );
    return ttlOutcome(res, r.target);
  }
  const res = await run(pingArgv(r), { allowFailure: true, timeoutMs: (r.timeoutSeconds + 5) * 1000 });
  return pingOutcome(res.code, `${res.stdout}\n${res.stderr}`);
}
