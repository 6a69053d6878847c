// Value grammars of WLB rules (spec §2.3): address-spec, port-spec, protocol-spec, inbound wildcard.
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_SPEC_PATTERN,
  INBOUND_PATTERN,
  ipv4ToNumber,
  MAX_PORT_ITEMS,
  numberToIpv4,
  PORT_SPEC_PATTERN,
  parseAddressSpec,
  parseInboundInterface,
  parsePortSpec,
  parseProtocols,
  parseProtocolSpec,
  parseServices,
  portProtocol,
  protocolDatabase,
  serviceDatabase,
} from '../../../src/features/wlb/grammar.js';

const SERVICES = parseServices(`
# comment
ssh		22/tcp				# SSH Remote Login Protocol
telnet		23/tcp
domain		53/tcp
domain		53/udp
http		80/tcp		www		# WorldWideWeb HTTP
ntp		123/udp
sip		5060/tcp
sip		5060/udp
ddp-thing	9/ddp
`);
const PROTOCOLS = parseProtocols(`
ip	0	IP		# internet protocol, pseudo protocol number
icmp	1	ICMP
tcp	6	TCP
udp	17	UDP
gre	47	GRE
esp	50	IPSEC-ESP
ipv6-icmp 58	IPv6-ICMP
`);

const whole = (pattern: string) => new RegExp(`^${pattern}$`, 'u');

describe('address-spec', () => {
  it('converts dotted quads to host-order u32 and back', () => {
    expect(ipv4ToNumber('192.0.2.1')).toBe(0xc0000201);
    expect(ipv4ToNumber('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToNumber('1.2.3')).toBeUndefined();
    expect(ipv4ToNumber('1.2.3.256')).toBeUndefined();
    expect(numberToIpv4(0xc6336402)).toBe('198.51.100.2');
  });

  it('reads a host, a prefix (/0 = everything) and an inclusive range', () => {
    expect(parseAddressSpec('192.168.1.1')).toEqual({
      ok: { from: 0xc0a80101, to: 0xc0a80101, negate: false },
    });
    expect(parseAddressSpec('10.0.0.0/8')).toEqual({
      ok: { from: 0x0a000000, to: 0x0affffff, negate: false },
    });
    expect(parseAddressSpec('0.0.0.0/0')).toEqual({ ok: { from: 0, to: 0xffffffff, negate: false } });
    expect(parseAddressSpec('198.18.3.10/32')).toEqual({
      ok: { from: 0xc612030a, to: 0xc612030a, negate: false },
    });
    expect(parseAddressSpec('192.168.1.1-192.168.1.150')).toEqual({
      ok: { from: 0xc0a80101, to: 0xc0a80196, negate: false },
    });
    expect(parseAddressSpec('192.0.2.7-192.0.2.7')).toEqual({
      ok: { from: 0xc0000207, to: 0xc0000207, negate: false },
    });
  });

  it('negates any form with one leading !', () => {
    expect(parseAddressSpec('!10.0.0.0/8')).toEqual({
      ok: { from: 0x0a000000, to: 0x0affffff, negate: true },
    });
    expect(parseAddressSpec('!192.0.2.1')).toMatchObject({ ok: { negate: true } });
    expect(parseAddressSpec('!192.0.2.1-192.0.2.9')).toMatchObject({
      ok: { from: 0xc0000201, to: 0xc0000209, negate: true },
    });
  });

  it('masks host bits with a warning', () => {
    expect(parseAddressSpec('198.18.3.9/15')).toEqual({
      ok: { from: 0xc6120000, to: 0xc613ffff, negate: false },
      warning: "host bits set in '198.18.3.9/15': matching 198.18.0.0/15",
    });
    expect(parseAddressSpec('10.0.0.0/8')).not.toHaveProperty('warning');
  });

  it('refuses other forms, a reversed range and the en dash', () => {
    for (const bad of [
      '192.0.2.300',
      '192.0.2.0/33',
      '192.0.2.0/',
      '!',
      '!!10.0.0.1',
      'host',
      '10.0.0.1-10.0.0.2-10.0.0.3',
      '10.0.0.1–10.0.0.2',
      '::1',
    ])
      expect(parseAddressSpec(bad)).toHaveProperty('error');
    expect(parseAddressSpec('192.0.2.9-192.0.2.1')).toEqual({
      error: "range '192.0.2.9-192.0.2.1': the first address is above the last",
    });
  });

  it("the schema's pattern accepts exactly the parsable forms", () => {
    const re = whole(ADDRESS_SPEC_PATTERN);
    for (const ok of ['192.0.2.1', '!10.0.0.0/8', '0.0.0.0/0', '192.0.2.1-192.0.2.9', '!192.0.2.9-192.0.2.1'])
      expect(re.test(ok)).toBe(true);
    for (const bad of ['192.0.2.300', '10.0.0.0/33', '!!10.0.0.1', '10.0.0.0/8-10.0.0.9', 'any', ''])
      expect(re.test(bad)).toBe(false);
  });
});

describe('port-spec', () => {
  it('reads numbers, ranges and service names of the protocol, keeping list order', () => {
    expect(parsePortSpec('!22,telnet,http,123,1001-1005', 'tcp', SERVICES)).toEqual({
      ok: {
        ranges: [
          [22, 22],
          [23, 23],
          [80, 80],
          [123, 123],
          [1001, 1005],
        ],
        negate: true,
      },
    });
    expect(parsePortSpec('sip', 'udp', SERVICES)).toEqual({ ok: { ranges: [[5060, 5060]], negate: false } });
    expect(parsePortSpec('WWW,1,65535', 'tcp', SERVICES)).toEqual({
      ok: {
        ranges: [
          [80, 80],
          [1, 1],
          [65535, 65535],
        ],
        negate: false,
      },
    });
    expect(parsePortSpec('1000-1000', 'udp', SERVICES)).toEqual({
      ok: { ranges: [[1000, 1000]], negate: false },
    });
  });

  it('knows service names per protocol', () => {
    expect(parsePortSpec('ntp', 'udp', SERVICES)).toEqual({ ok: { ranges: [[123, 123]], negate: false } });
    expect(parsePortSpec('ntp', 'tcp', SERVICES)).toEqual({ error: "'ntp' is not a known tcp service" });
    expect(parsePortSpec('http', 'udp', SERVICES)).toEqual({ error: "'http' is not a known udp service" });
  });

  it('refuses bad numbers, reversed ranges, inner negation, empty items and long lists', () => {
    expect(parsePortSpec('0', 'tcp', SERVICES)).toEqual({ error: "port '0' must be 1-65535" });
    expect(parsePortSpec('65536', 'tcp', SERVICES)).toEqual({ error: "port '65536' must be 1-65535" });
    expect(parsePortSpec('2000-1000', 'tcp', SERVICES)).toHaveProperty('error');
    expect(parsePortSpec('0-10', 'tcp', SERVICES)).toHaveProperty('error');
    expect(parsePortSpec('80,!22', 'tcp', SERVICES)).toEqual({
      error: "'80,!22': only the whole list can be negated (one leading !)",
    });
    expect(parsePortSpec('80,,81', 'tcp', SERVICES)).toEqual({ error: "'80,,81' has an empty item" });
    const list = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');
    expect(parsePortSpec(list(MAX_PORT_ITEMS), 'tcp', SERVICES)).toHaveProperty('ok');
    expect(parsePortSpec(list(MAX_PORT_ITEMS + 1), 'tcp', SERVICES)).toHaveProperty('error');
  });

  it("reads the system's services database", () => {
    const db = serviceDatabase();
    expect(db.get('tcp')!.get('http')).toBe(80);
    expect(db.get('udp')!.get('sip')).toBe(5060);
    expect(parsePortSpec('http', 'tcp')).toEqual({ ok: { ranges: [[80, 80]], negate: false } });
    expect(serviceDatabase()).toBe(db); // read once
  });

  it("the schema's pattern admits one leading ! and non-empty items only", () => {
    const re = whole(PORT_SPEC_PATTERN);
    for (const ok of ['80', '!22,telnet,http,123,1001-1005', 'sip']) expect(re.test(ok)).toBe(true);
    for (const bad of ['80,!22', '!!80', '80,', ',80', '80 81', '']) expect(re.test(bad)).toBe(false);
  });
});

describe('protocol-spec', () => {
  it('reads names (case-insensitive), numbers 0-255, all and negation', () => {
    expect(parseProtocolSpec('tcp', PROTOCOLS)).toEqual({ ok: { number: 6, negate: false, name: 'tcp' } });
    expect(parseProtocolSpec('!GRE', PROTOCOLS)).toEqual({ ok: { number: 47, negate: true, name: 'gre' } });
    expect(parseProtocolSpec('ipsec-esp', PROTOCOLS)).toEqual({
      ok: { number: 50, negate: false, name: 'ipsec-esp' },
    });
    expect(parseProtocolSpec('all', PROTOCOLS)).toEqual({ ok: { number: null, negate: false, name: 'all' } });
    expect(parseProtocolSpec('ALL', PROTOCOLS)).toEqual({ ok: { number: null, negate: false, name: 'all' } });
    expect(parseProtocolSpec('0', PROTOCOLS)).toEqual({ ok: { number: 0, negate: false, name: '0' } });
    expect(parseProtocolSpec('47', PROTOCOLS)).toEqual({ ok: { number: 47, negate: false, name: '47' } });
    expect(parseProtocolSpec('!255', PROTOCOLS)).toEqual({ ok: { number: 255, negate: true, name: '255' } });
  });

  it('refuses !all, numbers above 255 and unknown names', () => {
    expect(parseProtocolSpec('!all', PROTOCOLS)).toEqual({ error: "'!all' would match nothing" });
    expect(parseProtocolSpec('256', PROTOCOLS)).toEqual({ error: 'protocol number 256 must be 0-255' });
    expect(parseProtocolSpec('sctp', PROTOCOLS)).toEqual({ error: "'sctp' is not a known protocol" });
  });

  it("reads the system's protocols database", () => {
    expect(protocolDatabase().get('icmp')).toBe(1);
    expect(parseProtocolSpec('udp')).toEqual({ ok: { number: 17, negate: false, name: 'udp' } });
  });

  it('allows ports with tcp, udp, 6 and 17 only, never negated', () => {
    const proto = (t: string) => {
      const p = parseProtocolSpec(t, PROTOCOLS);
      if (!('ok' in p)) throw new Error(p.error);
      return portProtocol(p.ok);
    };
    expect(['tcp', 'udp', '6', '17', 'TCP'].map(proto)).toEqual(['tcp', 'udp', 'tcp', 'udp', 'tcp']);
    expect(['all', 'icmp', '!tcp', '!udp', 'gre'].map(proto)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('inbound-interface', () => {
  it('reads a name or a prefix with a trailing + or its alias *', () => {
    expect(parseInboundInterface('eth3')).toEqual({ ok: { name: 'eth3', wildcard: false } });
    expect(parseInboundInterface('eth3.100')).toEqual({ ok: { name: 'eth3.100', wildcard: false } });
    expect(parseInboundInterface('eth+')).toEqual({ ok: { name: 'eth', wildcard: true } });
    expect(parseInboundInterface('eth*')).toEqual({ ok: { name: 'eth', wildcard: true } });
  });

  it('refuses wildcards elsewhere, an empty prefix and over-long names', () => {
    for (const bad of [
      '+',
      '*',
      'eth+0',
      'e*th',
      'eth++',
      'eth+*',
      'abcdefghijklmnop',
      'abcdefghijklmno+',
      '',
    ])
      expect(parseInboundInterface(bad)).toHaveProperty('error');
    expect(whole(INBOUND_PATTERN).test('abcdefghijklmno')).toBe(true);
    expect(whole(INBOUND_PATTERN).test('abcdefghijklmn+')).toBe(true);
  });
});
