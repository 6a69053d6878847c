// `show conntrack-sync internal-cache | external-cache [main | expect]` (spec §3.4) and its JSON
// (§3.7): one row per connection, original direction, in a stable order.
import type { CtsyncEntry } from '../../native/ctsyncCodec.js';
import type { CtsyncExpectation } from '../../native/ctsyncEngine.js';
import { parsePrefix } from '../../net/ipAddress.js';
import { protocolDatabase } from '../wlb/grammar.js';

export type CacheTables = 'both' | 'main' | 'expect';

/** Protocols whose connections have ports. */
const PORTED = new Set([6, 17, 33, 132, 136]);
const TCP_STATES = [
  'NONE',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSE',
  'SYN_SENT2',
];

let names: Map<number, string> | undefined;

/** The IANA keyword of a protocol number (/etc/protocols' first name), or undefined. */
export function protocolName(n: number): string | undefined {
  if (!names) {
    names = new Map();
    for (const [name, num] of protocolDatabase()) if (!names.has(num)) names.set(num, name);
  }
  return names.get(n);
}

/** An address as sortable text: its bytes in hex, IPv4 (8 digits) before IPv6 (32). */
function addressKey(a: string): string {
  const bytes = parsePrefix(a)?.bytes ?? new Uint8Array();
  return `${bytes.length}${Buffer.from(bytes).toString('hex')}`;
}

function compare(a: CtsyncEntry, b: CtsyncEntry): number {
  const keys = (e: CtsyncEntry): [string, number, string, number, number] => [
    addressKey(e.source),
    e.sourcePort ?? 0,
    addressKey(e.destination),
    e.destinationPort ?? 0,
    e.l4proto,
  ];
  const x = keys(a);
  const y = keys(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

type Port = number | 'any' | undefined;

/** `:port` where the protocol has ports and the port is known, else nothing. */
const portSuffix = (l4proto: number, port: Port) =>
  PORTED.has(l4proto) && port !== undefined ? `:${port}` : '';
/** A table cell: `|address|:port`. */
const endpoint = (l4proto: number, addr: string, port: Port) => `|${addr}|${portSuffix(l4proto, port)}`;
/** A log word: `address:port`. */
const hostPort = (l4proto: number, addr: string, port: Port) => `${addr}${portSuffix(l4proto, port)}`;
const protocolColumn = (l4proto: number) => `${protocolName(l4proto) ?? 'unknown'} [${l4proto}]`;

const row = (a: string, b: string, c: string) => `${a.padEnd(30)} ${b.padEnd(30)} ${c.padEnd(18)}`.trimEnd();

/** The expected connection's source port, `any` where the mask leaves it open. */
function expectedSourcePort(x: CtsyncExpectation): Port {
  if (x.expected.sourcePort === undefined) return undefined;
  return x.mask?.sourcePort === 0 ? 'any' : x.expected.sourcePort;
}

function expectCompare(a: CtsyncExpectation, b: CtsyncExpectation): number {
  const t = (x: CtsyncExpectation): CtsyncEntry => ({
    family: x.expected.family === 6 ? 6 : 4,
    l4proto: x.expected.l4proto,
    source: x.expected.source,
    destination: x.expected.destination,
    sourcePort: x.expected.sourcePort,
    destinationPort: x.expected.destinationPort,
  });
  return compare(t(a), t(b));
}

export function renderCacheTable(
  entries: readonly CtsyncEntry[],
  expectations: readonly CtsyncExpectation[],
  tables: CacheTables,
): string {
  const rows = [...entries]
    .sort(compare)
    .map((e) =>
      row(
        endpoint(e.l4proto, e.source, e.sourcePort),
        endpoint(e.l4proto, e.destination, e.destinationPort),
        protocolColumn(e.l4proto),
      ),
    );
  const expectRows = [...expectations].sort(expectCompare).map((x) => {
    const t = x.expected;
    return row(
      endpoint(t.l4proto, t.source, expectedSourcePort(x)),
      endpoint(t.l4proto, t.destination, t.destinationPort),
      protocolColumn(t.l4proto),
    );
  });
  const heading = row('Source', 'Destination', 'Protocol');
  if (tables === 'main') return [heading, ...rows].join('\n');
  if (tables === 'expect') return [heading, ...expectRows].join('\n');
  return [
    heading,
    '',
    'Main Table Entries:',
    '',
    ...rows,
    '',
    'Expect Table Entries:',
    '',
    ...expectRows,
  ].join('\n');
}

/** One expectation on one line, for the log: `ftp tcp 192.0.2.100:any > 203.0.113.100:50000`. */
export function describeExpectation(x: CtsyncExpectation): string {
  const t = x.expected;
  return [
    x.helper ?? 'no helper',
    protocolName(t.l4proto) ?? String(t.l4proto),
    hostPort(t.l4proto, t.source, expectedSourcePort(x)),
    '>',
    hostPort(t.l4proto, t.destination, t.destinationPort),
  ].join(' ');
}

/** §3.7 JSON of one expectation: the expected connection, its helper, and its master. */
export function expectationJson(x: CtsyncExpectation) {
  const sport = expectedSourcePort(x);
  return {
    protocol: protocolName(x.expected.l4proto) ?? 'unknown',
    protocolNumber: x.expected.l4proto,
    source: x.expected.source,
    sourcePort: sport === 'any' ? null : (sport ?? null),
    destination: x.expected.destination,
    destinationPort: x.expected.destinationPort ?? null,
    helper: x.helper ?? null,
    timeout: x.timeout ?? null,
    master: {
      protocol: protocolName(x.master.l4proto) ?? 'unknown',
      source: x.master.source,
      sourcePort: x.master.sourcePort ?? null,
      destination: x.master.destination,
      destinationPort: x.master.destinationPort ?? null,
    },
  };
}

/** One connection on one line, for the log: `tcp 192.0.2.10:40000 > 198.51.100.20:80 snat 203.0.113.1`. */
export function describeEntry(e: CtsyncEntry): string {
  const at = (addr: string, port: number | undefined) => hostPort(e.l4proto, addr, port);
  const nat = [
    e.snatIpv4 !== undefined || e.spatPort !== undefined
      ? `snat ${at(e.snatIpv4 ?? e.source, e.spatPort)}`
      : '',
    e.dnatIpv4 !== undefined || e.dpatPort !== undefined
      ? `dnat ${at(e.dnatIpv4 ?? e.destination, e.dpatPort)}`
      : '',
  ].filter(Boolean);
  const proto = protocolName(e.l4proto) ?? String(e.l4proto);
  return [proto, at(e.source, e.sourcePort), '>', at(e.destination, e.destinationPort), ...nat].join(' ');
}

/** §3.7 JSON of one connection: names, the reply tuple (the NAT translation), TCP state. */
export function cacheEntryJson(e: CtsyncEntry) {
  const snat = e.snatIpv4;
  return {
    protocol: protocolName(e.l4proto) ?? 'unknown',
    protocolNumber: e.l4proto,
    source: e.source,
    sourcePort: e.sourcePort ?? null,
    destination: e.destination,
    destinationPort: e.destinationPort ?? null,
    reply: {
      source: e.dnatIpv4 ?? e.destination,
      sourcePort: e.dpatPort ?? e.destinationPort ?? null,
      destination: snat ?? e.source,
      destinationPort: e.spatPort ?? e.sourcePort ?? null,
    },
    state: e.l4proto === 6 && e.tcpState !== undefined ? (TCP_STATES[e.tcpState] ?? null) : null,
    mark: e.mark ?? 0,
    timeout: e.timeout ?? null,
    helper: e.helper || null,
  };
}
