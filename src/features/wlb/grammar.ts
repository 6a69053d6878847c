// Value grammars of WLB rules (spec §2.3): address specs, port lists, protocols and the inbound
// interface wildcard, parsed into what the classifier matches on. The schema checks the *form* of
// each value (its patterns are exported here) so `set` refuses garbage at once; what needs a
// database or another node (service names per protocol, range order, host bits) is checked by
// these parsers at commit time. Errors are sentences that read after the node's path.
import { readFileSync } from 'node:fs';

export interface AddressRange {
  /** Host-order inclusive bounds (u32). */
  from: number;
  to: number;
  /** `!`: matches every address outside [from, to]. */
  negate: boolean;
}

export interface PortSet {
  /** Inclusive [lo, hi] ranges in list order; a single port is [p, p]. */
  ranges: [number, number][];
  /** `!`: matches every port in none of the ranges. */
  negate: boolean;
}

export interface ProtocolSpec {
  /** IP protocol number; null: every protocol (`all`). */
  number: number | null;
  negate: boolean;
  /** Lower-case name or number as written (without `!`), `all` for the default. */
  name: string;
}

export interface InboundSpec {
  /** The interface name, or the prefix before the wildcard. */
  name: string;
  /** `eth+` / `eth*`: every interface whose name starts with `name`. */
  wildcard: boolean;
}

/** A parse result: the value (with an optional warning), or why the text is not valid. */
export type Parsed<T> = { ok: T; warning?: string } | { error: string };

// ---- patterns the schema checks (anchored by the schema node constructors) --------------------

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_RE = `${OCTET}(?:\\.${OCTET}){3}`;

/** `a.b.c.d`, `a.b.c.d/len`, `a.b.c.d-e.f.g.h`, optionally after one `!`. */
export const ADDRESS_SPEC_PATTERN = `!?${IPV4_RE}(?:/(?:3[0-2]|[12]?[0-9])|-${IPV4_RE})?`;
const PORT_ITEM = '[A-Za-z0-9._+-]+';
/** A comma-separated list of port numbers, ranges and service names, optionally after one `!`. */
export const PORT_SPEC_PATTERN = `!?${PORT_ITEM}(?:,${PORT_ITEM})*`;
/** A protocol name or number, or `all`, optionally after one `!`. */
export const PROTOCOL_SPEC_PATTERN = '!?[A-Za-z0-9._+-]+';
/** An interface name (as InterfaceName), or a prefix of one followed by `+` or `*`. */
export const INBOUND_PATTERN = '(?:[a-z][a-z0-9._-]{0,14}|[a-z][a-z0-9._-]{0,13}[+*])';

// ---- addresses ---------------------------------------------------------------------------------

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted quad → host-order u32; undefined when the text is not one. */
export function ipv4ToNumber(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `a.b.c.d`, `a.b.c.d/len`, `a.b.c.d-e.f.g.h`, each optionally after `!`. */
export function parseAddressSpec(text: string): Parsed<AddressRange> {
  const negate = text.startsWith('!');
  const body = negate ? text.slice(1) : text;
  const bad = {
    error: `'${text}' is not an IPv4 address, prefix (a.b.c.d/len) or range (a.b.c.d-e.f.g.h)`,
  };
  if (body.includes('-')) {
    const [a, b, ...rest] = body.split('-');
    const from = ipv4ToNumber(a ?? '');
    const to = ipv4ToNumber(b ?? '');
    if (rest.length || from === undefined || to === undefined) return bad;
    if (from > to) return { error: `range '${body}': the first address is above the last` };
    return { ok: { from, to, negate } };
  }
  const [addr, len, ...rest] = body.split('/');
  const base = ipv4ToNumber(addr ?? '');
  if (rest.length || base === undefined) return bad;
  if (len === undefined) return { ok: { from: base, to: base, negate } };
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return bad;
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const from = (base & mask) >>> 0;
  const to = (from | (~mask >>> 0)) >>> 0;
  if (from === base) return { ok: { from, to, negate } };
  return {
    ok: { from, to, negate },
    warning: `host bits set in '${body}': matching ${numberToIpv4(from)}/${bits}`,
  };
}

// ---- databases ---------------------------------------------------------------------------------

/** Service name (lower case, aliases included) → port, per protocol. */
export type ServiceDatabase = Map<'tcp' | 'udp', Map<string, number>>;

function readOptional(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // no database: only numbers are understood
  }
}

/** Parses services(5) text; the first entry of a name wins, as getservbyname does. */
export function parseServices(text: string): ServiceDatabase {
  const db: ServiceDatabase = new Map([
    ['tcp', new Map()],
    ['udp', new Map()],
  ]);
  for (const line of text.split('\n')) {
    const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/(tcp|udp)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const byName = db.get(m[2] as 'tcp' | 'udp')!;
    for (const n of [name, ...aliases]) {
      if (!byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), Number(m[1]));
    }
  }
  return db;
}

let services: ServiceDatabase | undefined;

/** The system's services database (/etc/services), read once; or `text` parsed. */
export function serviceDatabase(text?: string): ServiceDatabase {
  if (text !== undefined) return parseServices(text);
  services ??= parseServices(readOptional('/etc/services'));
  return services;
}

/** Protocol name (lower case, aliases included) → number. */
export type ProtocolDatabase = Map<string, number>;

/** Parses protocols(5) text. */
export function parseProtocols(text: string): ProtocolDatabase {
  const db: ProtocolDatabase = new Map();
  for (const line of text.split('\n')) {
    const [name, num, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!name || !/^\d+$/.test(num ?? '') || Number(num) > 255) continue;
    for (const n of [name, ...aliases]) {
      if (!db.has(n.toLowerCase())) db.set(n.toLowerCase(), Number(num));
    }
  }
  return db;
}

let protocols: ProtocolDatabase | undefined;

/** The system's protocols database (/etc/protocols), read once; or `text` parsed. */
export function protocolDatabase(text?: string): ProtocolDatabase {
  if (text !== undefined) return parseProtocols(text);
  protocols ??= parseProtocols(readOptional('/etc/protocols'));
  return protocols;
}

// ---- ports -------------------------------------------------------------------------------------

export const MAX_PORT_ITEMS = 256;

/**
 * Comma-separated ports (1-65535), ranges `start-end` (start ≤ end) and service names valid for
 * `protocol`; one leading `!` negates the whole list. At most 256 items.
 */
export function parsePortSpec(
  text: string,
  protocol: 'tcp' | 'udp',
  db: ServiceDatabase = serviceDatabase(),
): Parsed<PortSet> {
  const negate = text.startsWith('!');
  const items = (negate ? text.slice(1) : text).split(',');
  if (items.length > MAX_PORT_ITEMS) {
    return { error: `'${text}' has ${items.length} items: a port list takes at most ${MAX_PORT_ITEMS}` };
  }
  const names = db.get(protocol) ?? new Map<string, number>();
  const ranges: [number, number][] = [];
  for (const item of items) {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo < 1 || hi > 65535 || lo > hi) {
        return { error: `port range '${item}' must be start-end with 1 <= start <= end <= 65535` };
      }
      ranges.push([lo, hi]);
    } else if (/^\d+$/.test(item)) {
      const p = Number(item);
      if (p < 1 || p > 65535) return { error: `port '${item}' must be 1-65535` };
      ranges.push([p, p]);
    } else if (item === '') {
      return { error: `'${text}' has an empty item` };
    } else if (item.startsWith('!')) {
      return { error: `'${text}': only the whole list can be negated (one leading !)` };
    } else {
      const p = names.get(item.toLowerCase());
      if (p === undefined) return { error: `'${item}' is not a known ${protocol} service` };
      ranges.push([p, p]);
    }
  }
  return { ok: { ranges, negate } };
}

// ---- protocols ---------------------------------------------------------------------------------

/** A protocol name or number 0-255, or `all`, case-insensitive; one leading `!` negates (not `!all`). */
export function parseProtocolSpec(
  text: string,
  db: ProtocolDatabase = protocolDatabase(),
): Parsed<ProtocolSpec> {
  const negate = text.startsWith('!');
  const name = (negate ? text.slice(1) : text).toLowerCase();
  if (name === 'all') {
    return negate ? { error: "'!all' would match nothing" } : { ok: { number: null, negate, name } };
  }
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    if (n > 255) return { error: `protocol number ${name} must be 0-255` };
    return { ok: { number: n, negate, name: String(n) } };
  }
  const n = db.get(name);
  if (n === undefined) return { error: `'${name}' is not a known protocol` };
  return { ok: { number: n, negate, name } };
}

/** tcp or udp when a rule's protocol allows port criteria (WV-7): `tcp`, `udp`, `6`, `17`. */
export function portProtocol(p: ProtocolSpec): 'tcp' | 'udp' | undefined {
  if (p.negate) return undefined;
  return p.number === 6 ? 'tcp' : p.number === 17 ? 'udp' : undefined;
}

// ---- inbound interface -------------------------------------------------------------------------

/** An interface name, or a prefix with a trailing `+` (or its alias `*`). */
export function parseInboundInterface(text: string): Parsed<InboundSpec> {
  if (!new RegExp(`^${INBOUND_PATTERN}$`).test(text)) {
    return {
      error: `'${text}' is not an interface name or a prefix followed by one + or * (eth+)`,
    };
  }
  const last = text.at(-1);
  return last === '+' || last === '*'
    ? { ok: { name: text.slice(0, -1), wildcard: true } }
    : { ok: { name: text, wildcard: false } };
}
