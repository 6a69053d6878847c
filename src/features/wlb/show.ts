// Human layouts of `show wan-load-balance` (spec §3.2-3.4). Pure: status records in, text out.
import { ctimeLayout } from '../ctime.js';
import { numberToIpv4, parseAddressSpec } from './grammar.js';
import type {
  WlbChainStatus,
  WlbConnection,
  WlbInterfaceStatus,
  WlbRuleStatus,
  WlbRulesStatus,
  WlbStatus,
} from './status.js';

/** What every WLB operational command prints while `load-balancing wan` is not running (§3.1). */
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
  return `  ${mark}Test:  ${t.type === 'user-defined' ? 'user' : t.type}  ${what}`.trimEnd();
}

/**
 * `show wan-load-balance` (spec §3.2): one block per interface in byte-wise name order, each
 * followed by a blank line. Given a whole WlbStatus that is not configured: the §3.1 line.
 */
export function renderWlbInterfaces(status: WlbStatus | readonly WlbInterfaceStatus[]): string {
  if (!Array.isArray(status) && !(status as WlbStatus).configured) return NOT_CONFIGURED;
  const interfaces = Array.isArray(status)
    ? (status as readonly WlbInterfaceStatus[])
    : (status as WlbStatus).interfaces;
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

/** Start columns of Type, State, Src, Dst, Packets, Bytes: widths 8, 14, 24, 24, 9 (spec §3.3). */
const CONNECTION_COLUMNS = [0, 8, 22, 46, 70, 79];

/**
 * Cells at fixed columns; a value that runs into the next column pushes that one cell right by
 * one space, and later cells return to their columns when there is room. No trailing spaces.
 */
function atFixedColumns(cells: readonly string[]): string {
  let line = '';
  cells.forEach((text, i) => {
    const col = CONNECTION_COLUMNS[i]!;
    line = line.length < col ? line.padEnd(col) : line === '' ? line : `${line} `;
    line += text;
  });
  return line.trimEnd();
}

/**
 * `show wan-load-balance connection` (spec §3.3): fixed widths Type 8, State 14, Src 24, Dst 24,
 * Packets 9, then Bytes; rows in the order given (the daemon sorts them); no trailing spaces.
 */
export function renderWlbConnections(rows: readonly WlbConnection[]): string {
  const line = atFixedColumns;
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

/**
 * The address column and the match text of a rule's address spec: prefixes (masked) go into the
 * column, ranges into the match text with `0.0.0.0/0` in the column; `!` as iptables prints it.
 */
function addressParts(spec: string | null, side: 'source' | 'destination', names: Names | undefined) {
  const any = names ? 'anywhere' : '0.0.0.0/0';
  if (!spec) return { column: any, match: '' };
  const neg = spec.startsWith('!');
  const body = neg ? spec.slice(1) : spec;
  if (body.includes('-')) return { column: any, match: `${neg ? '! ' : ''}${side} IP range ${body}` };
  const parsed = parseAddressSpec(body);
  const [addr, len] = body.split('/');
  const base = 'ok' in parsed ? numberToIpv4(parsed.ok.from) : addr!;
  const shown =
    len === '0'
      ? any
      : (names?.address?.(base) ?? base) + (len !== undefined && len !== '32' ? `/${len}` : '');
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

function ruleRows(r: WlbRuleStatus, names: Names | undefined, local: boolean): string[][] {
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
    local ? 'any' : r.inboundInterface,
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

function renderChain(
  name: string,
  chain: WlbChainStatus,
  names: Names | undefined,
  local: boolean,
): string[] {
  const header = ['pkts', 'bytes', 'target', 'prot', 'opt', 'in', 'out', 'source', 'destination', ''];
  const rows = chain.rules.flatMap((r) => ruleRows(r, names, local));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 9 ? r[i]!.length : 0))));
  const fmt = (cols: string[]) =>
    `  ${cols.map((c, i) => (i < 9 ? c.padEnd(widths[i]!) : c)).join(' ')}`.trimEnd();
  return [
    `Chain ${name} (policy ACCEPT ${chain.packets} packets, ${chain.bytes} bytes)`,
    fmt(header),
    ...rows.map(fmt),
  ];
}

/**
 * `show wan-load-balance status [with-dns]` (spec §3.4): the iptables-like listing of the compiled
 * decisions — PREROUTING for forwarded traffic, then OUTPUT (after a blank line) when local
 * traffic is balanced. `names` (with-dns) maps addresses and ports to names, `anywhere` for any.
 */
export function renderWlbStatus(s: WlbRulesStatus, names?: Names): string {
  if (!s.configured) return NOT_CONFIGURED;
  const forward = renderChain('PREROUTING', s.forward ?? { packets: 0, bytes: 0, rules: [] }, names, false);
  if (!s.local) return forward.join('\n');
  return [...forward, '', ...renderChain('OUTPUT', s.local, names, true)].join('\n');
}
