import { describe, expect, it } from 'vitest';
import { parseConntrackLine } from '../../../src/platform/conntrack.js';

describe('conntrack -L lines', () => {
  it('reads a TCP entry: original tuple, state, counters and mark', () => {
    const e = parseConntrackLine(
      'tcp      6 431999 ESTABLISHED src=198.51.100.130 dst=203.0.113.80 sport=40000 dport=80 packets=5 bytes=300 src=203.0.113.80 dst=192.0.2.2 sport=80 dport=40000 packets=4 bytes=250 [ASSURED] mark=201 use=1',
    );
    expect(e).toEqual({
      protocol: 'tcp',
      protocolNumber: 6,
      state: 'ESTABLISHED',
      source: '198.51.100.130',
      destination: '203.0.113.80',
      sourcePort: 40000,
      destinationPort: 80,
      packets: 5,
      bytes: 300,
      mark: 201,
    });
  });

  it('reads ICMP and unreplied UDP entries without a state', () => {
    const icmp = parseConntrackLine(
      'icmp     1 29 src=198.51.100.130 dst=203.0.113.80 type=8 code=0 id=7 packets=1 bytes=84 src=203.0.113.80 dst=198.51.100.130 type=0 code=0 id=7 packets=1 bytes=84 mark=202 use=1',
    );
    expect(icmp).toMatchObject({ protocol: 'icmp', state: null, sourcePort: null, mark: 202, packets: 1 });
    const udp = parseConntrackLine(
      'udp      17 29 src=198.51.100.130 dst=203.0.113.80 sport=5000 dport=9 [UNREPLIED] src=203.0.113.80 dst=192.0.2.2 sport=9 dport=5000 mark=0 use=1',
    );
    expect(udp).toMatchObject({
      protocol: 'udp',
      state: null,
      sourcePort: 5000,
      destinationPort: 9,
      mark: 0,
    });
  });

  it('ignores lines that are not entries', () => {
    expect(parseConntrackLine('')).toBeUndefined();
    expect(
      parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.'),
    ).toBeUndefined();
  });
});
