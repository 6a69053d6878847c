// Human layouts of `show wan-load-balance` (spec §3.2-3.4). Pure: status records in, text out.
import { ctimeLayout } from '../ctime.js';
import type { WlbConnection, WlbInterfaceStatus, WlbRuleStatus, WlbRulesStatus } from './status.js';

export const NOT_CONFIGURED = 'WAN load balancing is not configured';

/** `0s`, `16s`, `1m20s`, `2h5s`, `3d4h0s`: largest unit first, seconds always (spec §3.2). */
export function formatDuration(totalSeconds: number): string {
  let s = Math.max(0, Math.floor(totalSeconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s}s`;
}

/** C ctime layout in local time: `Tue Mar  6 16:58:21 2012`. */
export function ctime(d: Date): string {
  return ctimeLayout(d);
}

function testLine(t: WlbInterfaceStatus['tests'][number]): string {
  const mark = t.result === 'success' ? '+' : t.result === 'failure' ? '-' : ' ';
  const what = t.type === 'user-defined' ? `Script: ${t.script ?? ''}` : `Target: ${t.target ?? ''}`;
  return `  ${mark}Test:  ${t.type === 'user-defined' ? 'user' : t.type}  ${what}`;
}

export function renderWlbInterfaces(interfaces: readonly WlbInterfaceStatus[]): string {
  const ordered = [...interfaces].sort((a, b) =>
    a.interface < b.interface ? -1 : a.interface > b.interface ? 1 : 0,
  );
  return ordered
    .map((i) =>
      [
        `Interface:  ${i.interface}`,
        `  Status:  ${i.status}`,
        `  Last Status Change:  ${i.lastStatusChange ? ctime(new Date(i.lastStatusChange)) : 'n/a'}`,
        ...i.tests.map(testLine),
        `    Last Interface Success:  ${i.lastSuccessSeconds === null ? 'n/a' : formatDuration(i.lastSuccessSeconds)}`,
        `    Last Interface Failure:  ${i.lastFailureSeconds === null ? 'n/a' : formatDuration(i.lastFailureSeconds)}`,
        `    # Interface Failure(s):  ${i.consecutiveFailures}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

const TCP_STATES: Record<string, string> = {
  SYN_SENT: 'syn_sent',
  SYN_RECV: 'syn_recv',
  ESTABLISHED: 'estab',
  FIN_WAIT: 'fin_wait',
  CLOSE_WAIT: 'close_wait',
  LAST_ACK: 'last_ack',
  TIME_WAIT: 'time_wait',
  CLOSE: 'close',
  SYN_SENT2: 'syn_sent2',
};

const endpoint = (addr: string, port: number | null) => (port === null ? addr : `${addr}:${port}`);

/** Fixed widths Type 8, State 14, Src 24, Dst 24, Packets 9 (spec §3.3); no trailing spaces. */
export function renderWlbConnections(rows: readonly WlbConnection[]): string {
  const line = (cols: string[]) =>
    `${cols[0]!.padEnd(8)}${cols[1]!.padEnd(14)}${cols[2]!.padEnd(24)}${cols[3]!.padEnd(24)}${cols[4]!.padEnd(9)}${cols[5]}`.trimEnd();
  return [
    line(['Type', 'State', 'Src', 'Dst', 'Packets', 'Bytes']),
    ...rows.map((r) =>
      line([
        r.protocol,
        r.protocol === 'tcp' && r.state ? (TCP_STATES[r.state] ?? r.state.toLowerCase()) : '',
        endpoint(r.source, r.sourcePort),
        endpoint(r.destination, r.destinationPort),
        String(r.packets),
        String(r.bytes),
      ]),
    ),
  ].join('\n');
}

export interface Names {
  address?(a: string): string | undefined;
  port?(p: string): string | undefined;
}

/** The address column and the match text of a rule's address spec. */
function addressParts(spec: string | null, side: 'source' | 'destination', names: Names | undefined) {
  if (!spec) return { column: names ? 'anywhere' : '0.0.0.0/0', match: '' };
  const neg = spec.startsWith('!') ? '! ' : '';
  const body = spec.replace(/^!/, '');
  if (body.includes('-')) {
    return { column: names ? 'anywhere' : '0.0.0.0/0', match: `${neg}${side} IP range ${body}` };
  }
  const [addr, len] = body.split('/');
  const shown = (names?.address?.(addr!) ?? addr!) + (len !== undefined && len !== '32' ? `/${len}` : '');
  return { column: `${neg ? '!' : ''}${shown}`, match: '' };
}

function portsMatch(spec: string | null, dir: 'sports' | 'dports', names: Names | undefined): string {
  if (!spec) return '';
  const neg = spec.startsWith('!') ? '! ' : '';
  const list = spec
    .replace(/^!/, '')
    .split(',')
    .map((p) => names?.port?.(p) ?? p)
    .join(',');
  return `multiport ${neg}${dir} ${list}`;
}

const PERIOD = { second: 'sec', minute: 'min', hour: 'hour' } as Record<string, string>;

function ruleRows(r: WlbRuleStatus, names: Names | undefined): string[][] {
  const src = addressParts(r.source, 'source', names);
  const dst = addressParts(r.destination, 'destination', names);
  const base = [
    src.match,
    dst.match,
    portsMatch(r.sourcePorts, 'sports', names),
    portsMatch(r.destinationPorts, 'dports', names),
  ]
    .filter(Boolean)
    .join(' ');
  const row = (pkts: number, bytes: number, target: string, extra: string) => [
    String(pkts),
    String(bytes),
    target,
    r.protocol,
    '--',
    r.inboundInterface,
    'any',
    src.column,
    dst.column,
    [base, extra].filter(Boolean).join(' '),
  ];
  const rows: string[][] = [];
  if (r.limit && r.entries.length) {
    const admitted = r.limit.threshold === 'above' ? r.limit.excess : r.limit.conforming;
    const neg = r.limit.threshold === 'above' ? '! ' : '';
    rows.push(
      row(
        admitted,
        0,
        `WANLOADBALANCE_PRE_LIMIT_${r.rule}`,
        `${neg}limit: avg ${r.limit.rate}/${PERIOD[r.limit.period]} burst ${r.limit.burst}`,
      ),
    );
  }
  for (const e of r.entries) {
    if (e.target === 'CONNMARK') {
      rows.push(row(e.packets, e.bytes, 'CONNMARK', 'CONNMARK restore'));
      continue;
    }
    if (e.target === 'ACCEPT') {
      rows.push(row(e.packets, e.bytes, 'ACCEPT', ''));
      continue;
    }
    const state = r.perPacket ? '' : 'state NEW';
    const stat =
      e.probability === null ? '' : `statistic mode random probability ${e.probability.toFixed(6)}`;
    rows.push(row(e.packets, e.bytes, e.target, [state, stat].filter(Boolean).join(' ')));
  }
  return rows;
}

/** The iptables-like listing of the compiled decisions (spec §3.4). */
export function renderWlbStatus(s: WlbRulesStatus, names?: Names): string {
  const fwd = s.forward ?? { packets: 0, bytes: 0, rules: [] };
  const header = ['pkts', 'bytes', 'target', 'prot', 'opt', 'in', 'out', 'source', 'destination', ''];
  const rows = fwd.rules.flatMap((r) => ruleRows(r, names));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 9 ? r[i]!.length : 0))));
  const fmt = (cols: string[]) =>
    `  ${cols.map((c, i) => (i < 9 ? c.padEnd(widths[i]!) : c)).join(' ')}`.trimEnd();
  return [
    `Chain PREROUTING (policy ACCEPT ${fwd.packets} packets, ${fwd.bytes} bytes)`,
    fmt(header),
    ...rows.map(fmt),
  ].join('\n');
}
