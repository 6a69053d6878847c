// `show conntrack-sync internal-cache | external-cache [main | expect]` (spec §3.4) and its JSON
// (§3.7): one row per connection, original direction, in a stable order.
import type { CtsyncEntry } from '../../native/ctsyncCodec.js';
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

const endpoint = (e: CtsyncEntry, addr: string, port: number | undefined) =>
  PORTED.has(e.l4proto) && port !== undefined ? `|${addr}|:${port}` : `|${addr}|`;

const row = (a: string, b: string, c: string) => `${a.padEnd(30)} ${b.padEnd(30)} ${c.padEnd(18)}`.trimEnd();

export function renderCacheTable(entries: readonly CtsyncEntry[], tables: CacheTables): string {
  const rows = [...entries]
    .sort(compare)
    .map((e) =>
      row(
        endpoint(e, e.source, e.sourcePort),
        endpoint(e, e.destination, e.destinationPort),
        `${protocolName(e.l4proto) ?? 'unknown'} [${e.l4proto}]`,
      ),
    );
  const heading = row('Source', 'Destination', 'Protocol');
  // Expectations are not synced yet (expect-sync): the expect table has no rows.
  if (tables === 'main') return [heading, ...rows].join('\n');
  if (tables === 'expect') return heading;
  return [heading, '', 'Main Table Entries:', '', ...rows, '', 'Expect Table Entries:', ''].join('\n');
}

/** One connection on one line, for the log: `tcp 192.0.2.10:40000 > 198.51.100.20:80 snat 203.0.113.1`. */
export function describeEntry(e: CtsyncEntry): string {
  const at = (addr: string, port: number | undefined) =>
    PORTED.has(e.l4proto) && port !== undefined ? `${addr}:${port}` : addr;
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
  };
}
