import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compareAddresses, isLinkLocalV6, notUnicastHost, parsePrefix } from '../../../src/net/ipAddress.js';

describe('parsePrefix', () => {
  it('reads IPv4 and IPv6 with and without prefix length', () => {
    expect(parsePrefix('192.0.2.1/24')).toMatchObject({ family: 4, length: 24, address: '192.0.2.1' });
    expect(Array.from(parsePrefix('192.0.2.1')!.bytes)).toEqual([192, 0, 2, 1]);
    expect(parsePrefix('2001:DB8:0:0:0:0:0:1/64')).toMatchObject({
      family: 6,
      length: 64,
      address: '2001:db8::1',
    });
    expect(parsePrefix('::ffff:192.0.2.1')!.address).toBe('::ffff:c000:201');
    for (const bad of ['192.0.2.1/33', '2001:db8::1/129', 'x', '192.0.2.1/24/1', '192.0.2.256']) {
      expect(parsePrefix(bad)).toBeUndefined();
    }
  });

  it('prints IPv6 canonically (RFC 5952) and reads its own output back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const groups = Array.from({ length: 8 }, (_, i) =>
          ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16),
        );
        const p = parsePrefix(groups.join(':'))!;
        expect(isIPv6(p.address)).toBe(true);
        expect(Array.from(parsePrefix(p.address)!.bytes)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('classifies and orders addresses', () => {
    expect(notUnicastHost(parsePrefix('127.0.0.1')!)).toMatch(/loopback/);
    expect(notUnicastHost(parsePrefix('192.0.2.255/24')!)).toMatch(/broadcast/);
    expect(notUnicastHost(parsePrefix('192.0.2.255/31')!)).toBeUndefined();
    expect(notUnicastHost(parsePrefix('ff02::1')!)).toMatch(/multicast/);
    expect(isLinkLocalV6(parsePrefix('fe80::1')!)).toBe(true);
    expect(
      compareAddresses(parsePrefix('192.0.2.10')!.bytes, parsePrefix('192.0.2.9')!.bytes),
    ).toBeGreaterThan(0);
  });
});
