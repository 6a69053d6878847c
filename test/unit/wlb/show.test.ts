import { describe, expect, it } from 'vitest';
import {
  ctime,
  formatDuration,
  NOT_CONFIGURED,
  renderWlbConnections,
  renderWlbInterfaces,
  renderWlbStatus,
} from '../../../src/features/wlb/show.js';
import type {
  WlbConnection,
  WlbInterfaceStatus,
  WlbRuleEntry,
  WlbRuleStatus,
  WlbRulesStatus,
} from '../../../src/features/wlb/status.js';

function iface(name: string, over: Partial<WlbInterfaceStatus> = {}): WlbInterfaceStatus {
  return {
    interface: name,
    status: 'active',
    lastStatusChange: new Date(2012, 2, 6, 16, 58, 21).toISOString(),
    nexthop: '192.0.2.1',
    nexthopSource: 'static',
    address: '192.0.2.2',
    routeTable: 201,
    mark: '0xc9',
    failureCount: 1,
    successCount: 1,
    consecutiveFailures: 0,
    consecutiveSuccesses: 3,
    lastSuccessSeconds: 0,
    lastFailureSeconds: null,
    tests: [
      { test: 10, type: 'ping', target: '203.0.113.8', script: null, result: 'success', rttMs: 1 },
      { test: 20, type: 'ping', target: '203.0.113.4', script: null, result: 'none', rttMs: null },
    ],
    ...over,
  };
}

describe('show wan-load-balance layouts (spec §3.2-3.4)', () => {
  it('formats durations and ctime as the spec shows', () => {
    expect(['0s', '16s', '1m20s', '2h5s', '3d4h0s']).toEqual(
      [0, 16, 80, 7205, 3 * 86400 + 4 * 3600].map(formatDuration),
    );
    expect(ctime(new Date(2012, 2, 6, 16, 58, 21))).toBe('Tue Mar  6 16:58:21 2012');
  });

  it('prints Example 1-9 in the indented layout, interfaces in byte order', () => {
    const text = renderWlbInterfaces([iface('eth3', { lastFailureSeconds: 80 }), iface('eth0')]);
    expect(text).toBe(
      [
        'Interface:  eth0',
        '  Status:  active',
        '  Last Status Change:  Tue Mar  6 16:58:21 2012',
        '  +Test:  ping  Target: 203.0.113.8',
        '   Test:  ping  Target: 203.0.113.4',
        '    Last Interface Success:  0s',
        '    Last Interface Failure:  n/a',
        '    # Interface Failure(s):  0',
        '',
        'Interface:  eth3',
        '  Status:  active',
        '  Last Status Change:  Tue Mar  6 16:58:21 2012',
        '  +Test:  ping  Target: 203.0.113.8',
        '   Test:  ping  Target: 203.0.113.4',
        '    Last Interface Success:  0s',
        '    Last Interface Failure:  1m20s',
        '    # Interface Failure(s):  0',
        '',
      ].join('\n'),
    );
  });

  it('marks failed tests and user scripts (Example 1-10, WS-20)', () => {
    const text = renderWlbInterfaces([
      iface('eth0', {
        status: 'failed',
        consecutiveFailures: 1,
        lastFailureSeconds: 0,
        lastSuccessSeconds: 16,
        tests: [
          { test: 10, type: 'ping', target: '203.0.113.8', script: null, result: 'failure', rttMs: null },
          { test: 20, type: 'user-defined', target: null, script: 'probe', result: 'failure', rttMs: null },
        ],
      }),
    ]);
    expect(text).toContain('  Status:  failed\n');
    expect(text).toContain('  -Test:  ping  Target: 203.0.113.8\n  -Test:  user  Script: probe\n');
    expect(text).toContain(
      '    Last Interface Success:  16s\n    Last Interface Failure:  0s\n    # Interface Failure(s):  1',
    );
  });

  it('lays connections out in fixed columns with short TCP states (Example 1-11)', () => {
    expect(
      renderWlbConnections([
        {
          protocol: 'tcp',
          state: 'ESTABLISHED',
          source: '198.51.100.130',
          sourcePort: 123,
          destination: '203.0.113.80',
          destinationPort: 123,
          packets: 1,
          bytes: 11,
          interface: 'eth0',
          rule: 10,
        },
        {
          protocol: 'icmp',
          state: null,
          source: '198.51.100.130',
          sourcePort: null,
          destination: '203.0.113.80',
          destinationPort: null,
          packets: 1,
          bytes: 11,
          interface: 'eth1',
          rule: 10,
        },
      ]),
    ).toBe(
      [
        'Type    State         Src                     Dst                     Packets  Bytes',
        'tcp     estab         198.51.100.130:123      203.0.113.80:123        1        11',
        'icmp                  198.51.100.130          203.0.113.80            1        11',
      ].join('\n'),
    );
  });

  it('lists rules as Example 1-12 does: conditional probabilities, CONNMARK row, ports in the match text', () => {
    const status: WlbRulesStatus = {
      configured: true,
      local: null,
      forward: {
        packets: 1415,
        bytes: 96338,
        rules: [
          {
            rule: 10,
            exclude: false,
            failover: false,
            perPacket: false,
            protocol: 'tcp',
            inboundInterface: 'eth3',
            source: null,
            destination: null,
            sourcePorts: null,
            destinationPorts: '223',
            limit: null,
            entries: [
              { target: 'ISP_eth0', interface: 'eth0', probability: 0.5, packets: 0, bytes: 0 },
              { target: 'ISP_eth1', interface: 'eth1', probability: null, packets: 0, bytes: 0 },
              { target: 'CONNMARK', interface: null, probability: null, packets: 0, bytes: 0 },
            ],
          },
        ],
      },
    };
    const lines = renderWlbStatus(status).split('\n');
    expect(lines[0]).toBe('Chain PREROUTING (policy ACCEPT 1415 packets, 96338 bytes)');
    expect(lines[1]!.trim().split(/\s+/)).toEqual([
      'pkts',
      'bytes',
      'target',
      'prot',
      'opt',
      'in',
      'out',
      'source',
      'destination',
    ]);
    expect(lines[2]!.trim().split(/\s+/).join(' ')).toBe(
      '0 0 ISP_eth0 tcp -- eth3 any 0.0.0.0/0 0.0.0.0/0 multiport dports 223 state NEW statistic mode random probability 0.500000',
    );
    expect(lines[3]!.trim().split(/\s+/).join(' ')).toBe(
      '0 0 ISP_eth1 tcp -- eth3 any 0.0.0.0/0 0.0.0.0/0 multiport dports 223 state NEW',
    );
    expect(lines[4]).toContain('CONNMARK restore');
    // with-dns: 0.0.0.0/0 reads anywhere, ports by name.
    const named = renderWlbStatus(status, {
      address: () => undefined,
      port: (p) => (p === '223' ? 'cdc' : undefined),
    });
    expect(named).toContain('anywhere anywhere');
    expect(named).toContain('multiport dports cdc');
  });
});

const conn = (over: Partial<WlbConnection>): WlbConnection => ({
  protocol: 'tcp',
  state: 'ESTABLISHED',
  source: '198.18.3.10',
  sourcePort: 123,
  destination: '203.0.113.80',
  destinationPort: 123,
  packets: 1,
  bytes: 11,
  interface: 'eth0',
  rule: 10,
  ...over,
});

function rule(over: Partial<WlbRuleStatus>): WlbRuleStatus {
  return {
    rule: 10,
    exclude: false,
    failover: false,
    perPacket: false,
    protocol: 'all',
    inboundInterface: 'eth3',
    source: null,
    destination: null,
    sourcePorts: null,
    destinationPorts: null,
    limit: null,
    entries: [],
    ...over,
  };
}

const chain = (...rules: WlbRuleStatus[]) => ({ packets: 10, bytes: 840, rules });
const isp = (name: string, probability: number | null, packets = 0, bytes = 0): WlbRuleEntry => ({
  target: `ISP_${name}`,
  interface: name,
  probability,
  packets,
  bytes,
});
const connmark = (packets = 0, bytes = 0): WlbRuleEntry => ({
  target: 'CONNMARK',
  interface: null,
  probability: null,
  packets,
  bytes,
});
/** Rows after the two header lines, with runs of spaces folded (column widths are tested apart). */
const rowsOf = (text: string) =>
  text
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/).join(' '));

describe('show wan-load-balance: edge cases (spec §3.1, §3.2)', () => {
  it('prints the not-configured line for every command', () => {
    expect(NOT_CONFIGURED).toBe('WAN load balancing is not configured');
    expect(renderWlbInterfaces({ configured: false, interfaces: [] })).toBe(NOT_CONFIGURED);
    expect(renderWlbStatus({ configured: false, forward: null, local: null })).toBe(NOT_CONFIGURED);
    expect(renderWlbInterfaces({ configured: true, interfaces: [iface('eth0')] })).toBe(
      renderWlbInterfaces([iface('eth0')]),
    );
  });

  it('formats every duration part, largest first, seconds always', () => {
    expect([59, 60, 3600, 86400, 90061, 3 * 86400 + 4 * 3600 + 5, 16.9, -3].map(formatDuration)).toEqual([
      '59s',
      '1m0s',
      '1h0s',
      '1d0s',
      '1d1h1m1s',
      '3d4h5s',
      '16s',
      '0s',
    ]);
  });

  it('right-aligns the day of month in two columns only when needed', () => {
    expect(ctime(new Date(2012, 2, 16, 7, 5, 9))).toBe('Fri Mar 16 07:05:09 2012');
    expect(ctime(new Date(2026, 10, 1, 0, 0, 0))).toBe('Sun Nov  1 00:00:00 2026');
  });

  it('prints Example 1-10 exactly: eth0 failed on both tests, eth3 still active (WS-10)', () => {
    const text = renderWlbInterfaces([
      iface('eth3', {
        lastStatusChange: new Date(2012, 2, 6, 17, 27, 5).toISOString(),
        lastSuccessSeconds: 6,
        lastFailureSeconds: 96,
      }),
      iface('eth0', {
        status: 'failed',
        lastStatusChange: new Date(2012, 2, 6, 17, 28, 31).toISOString(),
        consecutiveFailures: 1,
        consecutiveSuccesses: 0,
        lastSuccessSeconds: 16,
        lastFailureSeconds: 0,
        tests: [
          { test: 10, type: 'ping', target: '203.0.113.8', script: null, result: 'failure', rttMs: null },
          { test: 20, type: 'ping', target: '203.0.113.4', script: null, result: 'failure', rttMs: null },
        ],
      }),
    ]);
    expect(text).toBe(
      [
        'Interface:  eth0',
        '  Status:  failed',
        '  Last Status Change:  Tue Mar  6 17:28:31 2012',
        '  -Test:  ping  Target: 203.0.113.8',
        '  -Test:  ping  Target: 203.0.113.4',
        '    Last Interface Success:  16s',
        '    Last Interface Failure:  0s',
        '    # Interface Failure(s):  1',
        '',
        'Interface:  eth3',
        '  Status:  active',
        '  Last Status Change:  Tue Mar  6 17:27:05 2012',
        '  +Test:  ping  Target: 203.0.113.8',
        '   Test:  ping  Target: 203.0.113.4',
        '    Last Interface Success:  6s',
        '    Last Interface Failure:  1m36s',
        '    # Interface Failure(s):  0',
        '',
      ].join('\n'),
    );
  });

  it('shows the implicit test, ttl tests, and n/a before anything happened (W-27, WS-19, WS-21)', () => {
    const text = renderWlbInterfaces([
      iface('eth0', {
        lastStatusChange: null,
        lastSuccessSeconds: null,
        tests: [{ test: 0, type: 'ping', target: '192.0.2.1', script: null, result: 'none', rttMs: null }],
      }),
      iface('eth1', {
        tests: [{ test: 10, type: 'ttl', target: '203.0.113.44', script: null, result: 'success', rttMs: 3 }],
      }),
    ]);
    expect(text).toContain(
      'Interface:  eth0\n  Status:  active\n  Last Status Change:  n/a\n   Test:  ping  Target: 192.0.2.1\n    Last Interface Success:  n/a\n',
    );
    expect(text).toContain('  +Test:  ttl  Target: 203.0.113.44\n');
  });

  it('leaves no trailing space while a dhcp nexthop is unknown', () => {
    const text = renderWlbInterfaces([
      iface('eth0', {
        nexthop: null,
        nexthopSource: 'dhcp',
        tests: [{ test: 0, type: 'ping', target: null, script: null, result: 'failure', rttMs: null }],
      }),
    ]);
    expect(text).toContain('\n  -Test:  ping  Target:\n');
    expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });
});

describe('show wan-load-balance connection (spec §3.3)', () => {
  it('prints Example 1-11 with lab values in the fixed widths', () => {
    const text = renderWlbConnections([
      conn({ packets: 42, bytes: 4711 }),
      conn({ protocol: 'icmp', state: null, sourcePort: null, destinationPort: null }),
    ]);
    expect(text).toBe(
      [
        'Type    State         Src                     Dst                     Packets  Bytes',
        'tcp     estab         198.18.3.10:123         203.0.113.80:123        42       4711',
        'icmp                  198.18.3.10             203.0.113.80            1        11',
      ].join('\n'),
    );
    const [header, row] = text.split('\n');
    expect([
      header!.indexOf('State'),
      header!.indexOf('Src'),
      header!.indexOf('Dst'),
      header!.indexOf('Packets'),
      header!.indexOf('Bytes'),
    ]).toEqual([8, 22, 46, 70, 79]);
    expect(row!.indexOf('42')).toBe(70);
  });

  it('prints the header alone when nothing is assigned', () => {
    expect(renderWlbConnections([])).toBe(
      'Type    State         Src                     Dst                     Packets  Bytes',
    );
  });

  it('uses the short lower-case TCP states and leaves State blank for other protocols', () => {
    const states = [
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
    const text = renderWlbConnections(states.map((state) => conn({ state })));
    expect(
      text
        .split('\n')
        .slice(1)
        .map((l) => l.slice(8, 22).trim()),
    ).toEqual([
      'syn_sent',
      'syn_recv',
      'estab',
      'fin_wait',
      'close_wait',
      'last_ack',
      'time_wait',
      'close',
      'syn_sent2',
    ]);
    const udp = renderWlbConnections([
      conn({ protocol: 'udp', state: null, sourcePort: 5060, destinationPort: 5060 }),
    ]);
    expect(udp.split('\n')[1]).toBe(
      'udp                   198.18.3.10:5060        203.0.113.80:5060       1        11',
    );
  });

  it('keeps a space between columns when a value fills its column', () => {
    const text = renderWlbConnections([
      conn({
        protocol: 'ipv6-icmp',
        state: null,
        source: '255.255.255.255',
        sourcePort: null,
        packets: 123456789,
      }),
    ]);
    expect(text.split('\n')[1]).toBe(
      'ipv6-icmp             255.255.255.255         203.0.113.80:123        123456789 11',
    );
  });
});

describe('show wan-load-balance status (spec §3.4)', () => {
  it('prints Example 1-12 (WS-12) column by column', () => {
    const text = renderWlbStatus({
      configured: true,
      local: null,
      forward: {
        packets: 1415,
        bytes: 96338,
        rules: [
          rule({
            protocol: 'tcp',
            destinationPorts: '223',
            entries: [isp('eth0', 0.5, 51, 3060), isp('eth1', null, 49, 2940), connmark(700, 42000)],
          }),
        ],
      },
    });
    expect(text).toBe(
      [
        'Chain PREROUTING (policy ACCEPT 1415 packets, 96338 bytes)',
        '  pkts bytes target   prot opt in   out source    destination',
        '  51   3060  ISP_eth0 tcp  --  eth3 any 0.0.0.0/0 0.0.0.0/0   multiport dports 223 state NEW statistic mode random probability 0.500000',
        '  49   2940  ISP_eth1 tcp  --  eth3 any 0.0.0.0/0 0.0.0.0/0   multiport dports 223 state NEW',
        '  700  42000 CONNMARK tcp  --  eth3 any 0.0.0.0/0 0.0.0.0/0   multiport dports 223 CONNMARK restore',
      ].join('\n'),
    );
  });

  it('prints conditional probabilities with six decimals, the last row unconditional', () => {
    // weights 3, 2, 1: p1 = 3/6, p2 = 2/3, last unconditional.
    const text = renderWlbStatus({
      configured: true,
      local: null,
      forward: chain(
        rule({ entries: [isp('eth0', 0.5), isp('eth1', 2 / 3), isp('eth2', null), connmark()] }),
      ),
    });
    expect(rowsOf(text)).toEqual([
      '0 0 ISP_eth0 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW statistic mode random probability 0.500000',
      '0 0 ISP_eth1 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW statistic mode random probability 0.666667',
      '0 0 ISP_eth2 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW',
      '0 0 CONNMARK all -- eth3 any 0.0.0.0/0 0.0.0.0/0 CONNMARK restore',
    ]);
  });

  it('prints exclude, failover, per-packet, limit rows, and nothing for a rule without ACTIVE members', () => {
    const text = renderWlbStatus({
      configured: true,
      local: null,
      forward: chain(
        rule({
          rule: 5,
          exclude: true,
          inboundInterface: 'eth+',
          destination: '198.18.0.0/15',
          entries: [{ target: 'ACCEPT', interface: null, probability: null, packets: 7, bytes: 588 }],
        }),
        rule({ rule: 10, failover: true, entries: [isp('eth0', null, 3, 180), connmark()] }),
        rule({ rule: 15, perPacket: true, protocol: 'udp', entries: [isp('eth0', 0.5), isp('eth1', null)] }),
        rule({
          rule: 20,
          limit: {
            rate: 100,
            period: 'second',
            burst: 5,
            threshold: 'below',
            conforming: 1005,
            excess: 1995,
          },
          entries: [isp('eth0', null, 1005, 60300), connmark()],
        }),
        rule({
          rule: 25,
          limit: { rate: 6, period: 'minute', burst: 2, threshold: 'above', conforming: 8, excess: 92 },
          entries: [isp('eth1', null, 92, 5520), connmark()],
        }),
        rule({
          rule: 30,
          limit: { rate: 1, period: 'hour', burst: 1, threshold: 'below', conforming: 0, excess: 0 },
          entries: [],
        }),
        rule({ rule: 40, entries: [] }),
      ),
    });
    expect(rowsOf(text)).toEqual([
      '7 588 ACCEPT all -- eth+ any 0.0.0.0/0 198.18.0.0/15',
      '3 180 ISP_eth0 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW',
      '0 0 CONNMARK all -- eth3 any 0.0.0.0/0 0.0.0.0/0 CONNMARK restore',
      '0 0 ISP_eth0 udp -- eth3 any 0.0.0.0/0 0.0.0.0/0 statistic mode random probability 0.500000',
      '0 0 ISP_eth1 udp -- eth3 any 0.0.0.0/0 0.0.0.0/0',
      '1005 0 WANLOADBALANCE_PRE_LIMIT_20 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 limit: avg 100/sec burst 5',
      '1005 60300 ISP_eth0 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW',
      '0 0 CONNMARK all -- eth3 any 0.0.0.0/0 0.0.0.0/0 CONNMARK restore',
      '92 0 WANLOADBALANCE_PRE_LIMIT_25 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 ! limit: avg 6/min burst 2',
      '92 5520 ISP_eth1 all -- eth3 any 0.0.0.0/0 0.0.0.0/0 state NEW',
      '0 0 CONNMARK all -- eth3 any 0.0.0.0/0 0.0.0.0/0 CONNMARK restore',
    ]);
  });

  it('puts prefixes (masked, ! before) in the columns and ranges and ports in the match text', () => {
    const text = renderWlbStatus({
      configured: true,
      local: null,
      forward: chain(
        rule({
          protocol: '!tcp',
          source: '!10.1.2.3/8',
          destination: '192.0.2.1-192.0.2.150',
          entries: [isp('eth0', null)],
        }),
        rule({
          rule: 20,
          protocol: 'tcp',
          source: '198.18.3.10/32',
          destination: '!203.0.113.9-203.0.113.20',
          sourcePorts: '1024-65535',
          destinationPorts: '!22,telnet',
          entries: [isp('eth1', null)],
        }),
      ),
    });
    expect(rowsOf(text)).toEqual([
      '0 0 ISP_eth0 !tcp -- eth3 any !10.0.0.0/8 0.0.0.0/0 destination IP range 192.0.2.1-192.0.2.150 state NEW',
      '0 0 ISP_eth1 tcp -- eth3 any 198.18.3.10 0.0.0.0/0 ! destination IP range 203.0.113.9-203.0.113.20 multiport sports 1024-65535 multiport ! dports 22,telnet state NEW',
    ]);
  });

  it('adds the OUTPUT chain for local traffic, with in = any', () => {
    const r = rule({ entries: [isp('eth0', null), connmark()] });
    const text = renderWlbStatus({
      configured: true,
      forward: chain(r),
      local: { packets: 2, bytes: 120, rules: [r] },
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Chain PREROUTING (policy ACCEPT 10 packets, 840 bytes)');
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('Chain OUTPUT (policy ACCEPT 2 packets, 120 bytes)');
    expect(rowsOf(lines.slice(5).join('\n'))[0]).toBe(
      '0 0 ISP_eth0 all -- any any 0.0.0.0/0 0.0.0.0/0 state NEW',
    );
  });

  it('with-dns: anywhere for any address, names where the resolver knows them', () => {
    const text = renderWlbStatus(
      {
        configured: true,
        local: null,
        forward: chain(
          rule({
            protocol: 'tcp',
            destination: '203.0.113.80',
            source: '0.0.0.0/0',
            destinationPorts: '80,5060',
            entries: [isp('eth0', null)],
          }),
        ),
      },
      {
        address: (a) => (a === '203.0.113.80' ? 's.example' : undefined),
        port: (p) => ({ '80': 'http' })[p],
      },
    );
    expect(rowsOf(text)).toEqual([
      '0 0 ISP_eth0 tcp -- eth3 any anywhere s.example multiport dports http,5060 state NEW',
    ]);
  });
});
