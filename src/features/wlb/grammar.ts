// Value grammars of WLB rules (spec §2.3): address specs, port lists and protocols, parsed into
// the ranges the classifier matches on. Errors are sentences for the commit report.
import { readFileSync } from 'node:fs';

export interface AddressRange {
  /** Host-order inclusive bounds. */
  from: number;
  to: number;
  negate: boolean;
}

export interface PortSet {
  ranges: [number, number][];
  negate: boolean;
}

export interface ProtocolSpec {
  /** null: every protocol (`all`). */
  number: number | null;
  negate: boolean;
  name: string;
}

type Parsed<T> = { ok: T; warning?: string } | { error: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

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
  const bad = { error: `'${text}' is not an address, prefix (a.b.c.d/len) or range (a.b.c.d-e.f.g.h)` };
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
  const warning =
    from !== base ? `host bits set in '${body}': matching ${numberToIpv4(from)}/${bits}` : undefined;
  return { ok: { from, to, negate }, ...(warning ? { warning } : {}) };
}

let services: Map<string, Map<string, number>> | undefined;

/** Service name → port per protocol, from the services database (aliases included). */
export function serviceDatabase(text?: string): Map<string, Map<string, number>> {
  if (!text && services) return services;
  const db = new Map<string, Map<string, number>>([
    ['tcp', new Map()],
    ['udp', new Map()],
  ]);
  const source = text ?? readFileSync('/etc/services', 'utf8');
  for (const line of source.split('\n')) {
    const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/(tcp|udp)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    for (const n of [name, ...aliases]) db.get(m[2]!)!.set(n.toLowerCase(), Number(m[1]));
  }
  if (!text) services = db;
  return db;
}

export const MAX_PORT_ITEMS = 256;

/** Comma-separated ports, ranges and service names; one leading `!` negates the whole list. */
export function parsePortSpec(text: string, protocol: 'tcp' | 'udp'): Parsed<PortSet> {
  const negate = text.startsWith('!');
  const items = (negate ? text.slice(1) : text).split(',');
  if (items.length > MAX_PORT_ITEMS) return { error: `more than ${MAX_PORT_ITEMS} ports in '${text}'` };
  const ranges: [number, number][] = [];
  const db = serviceDatabase().get(protocol)!;
  for (const item of items) {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo < 1 || hi > 65535 || lo > hi)
        return { error: `port range '${item}' must be start-end within 1-65535` };
      ranges.push([lo, hi]);
    } else if (/^\d+$/.test(item)) {
      const p = Number(item);
      if (p < 1 || p > 65535) return { error: `port '${item}' must be 1-65535` };
      ranges.push([p, p]);
    } else if (item.startsWith('!')) {
      return { error: `'${text}': only the whole list can be negated (one leading !)` };
    } else {
      const p = db.get(item.toLowerCase());
      if (p === undefined) return { error: `'${item}' is not a known ${protocol} service` };
      ranges.push([p, p]);
    }
  }
  return { ok: { ranges, negate } };
}

let protocols: Map<string, number> | undefined;

export function protocolDatabase(text?: string): Map<string, number> {
  if (!text && protocols) return protocols;
  const db = new Map<string, number>();
  const source = text ?? readFileSync('/etc/protocols', 'utf8');
  for (const line of source.split('\n')) {
    const [name, num, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!name || !/^\d+$/.test(num ?? '')) continue;
    for (const n of [name, ...aliases]) db.set(n.toLowerCase(), Number(num));
  }
  if (!text) protocols = db;
  return db;
}

/** A protocol name or number 0-255, or `all`; one leading `!` negates (not `!all`). */
export function parseProtocolSpec(text: string): Parsed<ProtocolSpec> {
  const negate = text.startsWith('!');
  const name = (negate ? text.slice(1) : text).toLowerCase();
  if (name === 'all')
    return negate ? { error: "'!all' would match nothing" } : { ok: { number: null, negate, name } };
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    if (n > 255) return { error: `protocol number ${name} must be 0-255` };
    return { ok: { number: n, negate, name } };
  }
  const n = protocolDatabase().get(name);
  if (n === undefined) return { error: `'${name}' is not a known protocol` };
  return { ok: { number: n, negate, name } };
}

/** tcp or udp by number, for port criteria (WV-7). */
export function portProtocol(p: ProtocolSpec): 'tcp' | 'udp' | undefined {
  if (p.negate) return undefined;
  return p.number === 6 ? 'tcp' : p.number === 17 ? 'udp' : undefined;
}
