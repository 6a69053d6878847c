import { describe, expect, it } from 'vitest';
import {
  ctime,
  formatDuration,
  renderWlbConnections,
  renderWlbInterfaces,
  renderWlbStatus,
} from '../../../src/features/wlb/show.js';
import type { WlbInterfaceStatus, WlbRulesStatus } from '../../../src/features/wlb/status.js';

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
