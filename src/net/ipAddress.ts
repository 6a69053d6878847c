// IP addresses as values: parsing "a.b.c.d[/len]" and IPv6 text into bytes, classification,
// comparison. Pure; used by validation and by the native engine's configuration.
import { isIPv4, isIPv6 } from 'node:net';

export interface IpPrefix {
  family: 4 | 6;
  /** Network-order bytes (4 or 16). */
  bytes: Uint8Array;
  /** Prefix length as written, or undefined when none was given. */
  length: number | undefined;
  /** The address without prefix, in canonical text. */
  address: string;
}

function v6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const b = g.split('.').map(Number);
        return [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
      }
      return [Number.parseInt(g, 16)];
    });
  };
  const h = parse(head);
  const t = parse(tail);
  const groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function v6Text(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16));
  // RFC 5952: the longest run (≥2) of zero groups becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Text form of a 4- or 16-byte address (IPv6 shortest form, RFC 5952). */
export function addressText(bytes: Uint8Array): string {
  return bytes.length === 4 ? Array.from(bytes).join('.') : v6Text(bytes);
}

/** Parses an address with an optional prefix length; undefined when it is not one. */
export function parsePrefix(text: string): IpPrefix | undefined {
  const [addr, len, extra] = text.split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const length = len === undefined ? undefined : /^[0-9]{1,3}$/.test(len) ? Number(len) : NaN;
  if (isIPv4(addr)) {
    if (length !== undefined && !(length >= 0 && length <= 32)) return undefined;
    return { family: 4, bytes: Uint8Array.from(addr.split('.').map(Number)), length, address: addr };
  }
  if (isIPv6(addr) && !addr.includes('%')) {
    if (length !== undefined && !(length >= 0 && length <= 128)) return undefined;
    const bytes = v6Bytes(addr.toLowerCase());
    return { family: 6, bytes, length, address: v6Text(bytes) };
  }
  return undefined;
}

export function isLinkLocalV6(p: IpPrefix): boolean {
  return p.family === 6 && p.bytes[0] === 0xfe && (p.bytes[1]! & 0xc0) === 0x80;
}

/** Why an address cannot be a unicast host address, or undefined when it can. */
export function notUnicastHost(p: IpPrefix): string | undefined {
  if (p.family === 4) {
    const [a] = p.bytes;
    if (a === 0) return 'is in 0.0.0.0/8';
    if (a === 127) return 'is a loopback address';
    if (a! >= 224 && a! <= 239) return 'is a multicast address';
    if (a! >= 240) return 'is a reserved or broadcast address';
    if (p.length !== undefined && p.length <= 30) {
      const host = hostBits(p);
      if (host.every((b) => b === 0)) return `is the network address of its /${p.length}`;
      if (host.every((b, i) => b === maxHostByte(p, i)))
        return `is the broadcast address of its /${p.length}`;
    }
    return undefined;
  }
  if (p.bytes.every((b) => b === 0)) return 'is the unspecified address';
  if (p.bytes[0] === 0xff) return 'is a multicast address';
  if (p.bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return 'is the loopback address';
  return undefined;
}

/** The host part of each byte (prefix bits cleared). */
function hostBits(p: IpPrefix): number[] {
  return Array.from(p.bytes, (b, i) => b & maxHostByte(p, i));
}

function maxHostByte(p: IpPrefix, i: number): number {
  const bitsBefore = i * 8;
  const len = p.length ?? p.bytes.length * 8;
  if (len >= bitsBefore + 8) return 0;
  if (len <= bitsBefore) return 0xff;
  return 0xff >> (len - bitsBefore);
}

/** Whether `address` lies in the prefix `net`/`length` (same family). */
export function prefixContains(net: IpPrefix, length: number, address: IpPrefix): boolean {
  if (net.family !== address.family) return false;
  for (let bit = 0; bit < length; bit += 8) {
    const mask = length - bit >= 8 ? 0xff : (0xff << (8 - (length - bit))) & 0xff;
    if ((net.bytes[bit / 8]! & mask) !== (address.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** Numeric comparison of two addresses of one family (the VRRP tie-break order). */
export function compareAddresses(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
