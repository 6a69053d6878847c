import { describe, expect, it } from 'vitest';
import {
  cacheEntryJson,
  describeEntry,
  describeExpectation,
  expectationJson,
  renderCacheTable,
} from '../../../src/features/conntrack-sync/cacheTable.js';
import type { CtsyncExpectation } from '../../../src/native/ctsyncEngine.js';
import type { CtsyncEntry } from '../../../src/native/ctsyncCodec.js';

const e = (l4proto: number, source: string, destination: string, sp?: number, dp?: number): CtsyncEntry => ({
  family: 4,
  l4proto,
  source,
  destination,
  ...(sp === undefined ? {} : { sourcePort: sp, destinationPort: dp }),
});

// Rows of the guide's capture (spec §3.4), in Tandem's order: source, source port, destination…
const entries = [
  e(1, '172.16.139.131', '172.16.117.133'),
  e(6, '172.16.139.131', '172.16.117.133', 55776, 21),
  e(17, '10.0.1.4', '199.4.29.166', 123, 123),
  e(2, '192.168.74.128', '224.0.0.22'),
  e(6, '10.0.1.5', '10.0.1.4', 64449, 22),
  e(6, '172.16.139.131', '172.16.117.133', 55757, 21),
  e(1, '172.16.117.128', '172.16.117.133'),
];

describe('show conntrack-sync internal-cache (spec §3.4)', () => {
  it('prints both tables under their headings, rows sorted, |address|:port and protocol [number]', () => {
    expect(renderCacheTable(entries, [], 'both')).toBe(
      [
        'Source                         Destination                    Protocol',
        '',
        'Main Table Entries:',
        '',
        '|10.0.1.4|:123                 |199.4.29.166|:123             udp [17]',
        '|10.0.1.5|:64449               |10.0.1.4|:22                  tcp [6]',
        '|172.16.117.128|               |172.16.117.133|               icmp [1]',
        '|172.16.139.131|               |172.16.117.133|               icmp [1]',
        '|172.16.139.131|:55757         |172.16.117.133|:21            tcp [6]',
        '|172.16.139.131|:55776         |172.16.117.133|:21            tcp [6]',
        '|192.168.74.128|               |224.0.0.22|                   igmp [2]',
        '',
        'Expect Table Entries:',
        '',
      ].join('\n'),
    );
  });

  it('main prints the rows under the column heading only; expect without expectations; unknown numbers', () => {
    const main = renderCacheTable([e(250, '203.0.113.9', '198.51.100.7')], [], 'main').split('\n');
    expect(main).toEqual([
      'Source                         Destination                    Protocol',
      '|203.0.113.9|                  |198.51.100.7|                 unknown [250]',
    ]);
    expect(renderCacheTable(entries, [], 'expect')).toBe(
      'Source                         Destination                    Protocol',
    );
  });

  it('JSON carries names, the reply tuple with the NAT translation, and the TCP state', () => {
    expect(
      cacheEntryJson({
        ...e(6, '192.0.2.100', '203.0.113.100', 40000, 80),
        snatIpv4: '198.51.100.4',
        spatPort: 40000,
        tcpState: 3,
        mark: 201,
        timeout: 431999,
        helper: 'ftp',
      }),
    ).toEqual({
      protocol: 'tcp',
      protocolNumber: 6,
      source: '192.0.2.100',
      sourcePort: 40000,
      destination: '203.0.113.100',
      destinationPort: 80,
      reply: { source: '203.0.113.100', sourcePort: 80, destination: '198.51.100.4', destinationPort: 40000 },
      state: 'ESTABLISHED',
      mark: 201,
      timeout: 431999,
      helper: 'ftp',
    });
  });

  it('JSON of a DNAT entry: the reply comes from the translated destination', () => {
    const j = cacheEntryJson({
      ...e(6, '203.0.113.50', '198.51.100.4', 50000, 443),
      dnatIpv4: '192.0.2.80',
      dpatPort: 8443,
    });
    expect(j.reply).toEqual({
      source: '192.0.2.80',
      sourcePort: 8443,
      destination: '203.0.113.50',
      destinationPort: 50000,
    });
  });

  it('describes one entry on one line for the log, with its translations', () => {
    expect(
      describeEntry({
        ...e(6, '192.0.2.10', '198.51.100.20', 40000, 80),
        snatIpv4: '203.0.113.1',
        spatPort: 41000,
      }),
    ).toBe('tcp 192.0.2.10:40000 > 198.51.100.20:80 snat 203.0.113.1:41000');
    expect(
      describeEntry({ ...e(17, '203.0.113.50', '198.51.100.4', 5000, 53), dnatIpv4: '192.0.2.53' }),
    ).toBe('udp 203.0.113.50:5000 > 198.51.100.4:53 dnat 192.0.2.53');
    expect(describeEntry({ family: 4, l4proto: 1, source: '192.0.2.10', destination: '198.51.100.20' })).toBe(
      'icmp 192.0.2.10 > 198.51.100.20',
    );
  });

  // The guide's expect row (spec §3.4): a passive FTP data connection, any source port.
  const ftp: CtsyncExpectation = {
    master: {
      family: 4,
      l4proto: 6,
      source: '172.16.139.131',
      destination: '172.16.117.133',
      sourcePort: 55757,
      destinationPort: 21,
    },
    expected: {
      family: 4,
      l4proto: 6,
      source: '172.16.139.131',
      destination: '172.16.117.133',
      sourcePort: 0,
      destinationPort: 54249,
    },
    mask: {
      family: 4,
      l4proto: 6,
      source: '255.255.255.255',
      destination: '255.255.255.255',
      sourcePort: 0,
      destinationPort: 65535,
    },
    timeout: 297,
    helper: 'ftp',
  };

  it('prints expectations as the expected connection, a wildcarded source port as any', () => {
    expect(renderCacheTable(entries.slice(0, 1), [ftp], 'both').split('\n').slice(-3)).toEqual([
      'Expect Table Entries:',
      '',
      '|172.16.139.131|:any           |172.16.117.133|:54249         tcp [6]',
    ]);
    expect(renderCacheTable([], [ftp], 'expect').split('\n')).toEqual([
      'Source                         Destination                    Protocol',
      '|172.16.139.131|:any           |172.16.117.133|:54249         tcp [6]',
    ]);
    const exact = {
      ...ftp,
      mask: { ...ftp.mask!, sourcePort: 65535 },
      expected: { ...ftp.expected, sourcePort: 20 },
    };
    expect(renderCacheTable([], [exact], 'expect')).toContain('|172.16.139.131|:20 ');
  });

  it('expectation JSON and log line name the helper, the expected connection and its master', () => {
    expect(expectationJson(ftp)).toEqual({
      protocol: 'tcp',
      protocolNumber: 6,
      source: '172.16.139.131',
      sourcePort: null,
      destination: '172.16.117.133',
      destinationPort: 54249,
      helper: 'ftp',
      timeout: 297,
      master: {
        protocol: 'tcp',
        source: '172.16.139.131',
        sourcePort: 55757,
        destination: '172.16.117.133',
        destinationPort: 21,
      },
    });
    expect(describeExpectation(ftp)).toBe('ftp tcp 172.16.139.131:any > 172.16.117.133:54249');
  });
});
