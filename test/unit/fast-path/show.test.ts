import { describe, expect, it } from 'vitest';
import { renderFastPathFlows, renderFastPathStatus } from '../../../src/features/fast-path/show.js';
import type { FastPathStatus } from '../../../src/features/fast-path/status.js';
import { FAST_PATH_REASONS } from '../../../src/native/fastPath.js';

function status(over: Partial<FastPathStatus> = {}): FastPathStatus {
  const counters = Object.fromEntries(
    FAST_PATH_REASONS.map((r) => [r, { packets: 0, bytes: 0 }]),
  ) as FastPathStatus['counters'];
  counters.forwarded = { packets: 1200, bytes: 96000 };
  counters['tcp-flags'] = { packets: 7, bytes: 364 };
  return {
    state: 'active',
    reason: null,
    interfaces: [
      { name: 'eth0', attached: true },
      { name: 'eth3', attached: true },
    ],
    tcpBeLiberal: true,
    counters,
    ...over,
  };
}

describe('show system fast-path', () => {
  it('prints the state, the interfaces and a row per reason with right-aligned numbers', () => {
    const lines = renderFastPathStatus(status()).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Fast path: active',
      '  Interfaces: eth0, eth3',
      '  TCP window tracking: liberal',
    ]);
    expect(lines).toContain('forwarded                   1200  96000');
    expect(lines).toContain('to stack: tcp-flags            7    364');
    expect(lines.filter((l) => l.startsWith('to stack: '))).toHaveLength(FAST_PATH_REASONS.length - 1);
  });

  it('says why the fast path is unavailable (first line of the loader message) and which interfaces lack it', () => {
    const text = renderFastPathStatus(
      status({
        state: 'unavailable',
        reason: 'load: load BPF object fastpath: Invalid argument\nlibbpf: verifier log…',
        interfaces: [{ name: 'eth0', attached: false }],
      }),
    );
    expect(text.split('\n')[0]).toBe(
      'Fast path: unavailable (load: load BPF object fastpath: Invalid argument)',
    );
    expect(text.split('\n')[1]).toBe('  Interfaces: none');
    const partial = renderFastPathStatus(
      status({
        interfaces: [
          { name: 'eth0', attached: true },
          { name: 'eth1', attached: false },
        ],
      }),
    );
    expect(partial.split('\n')[1]).toBe('  Interfaces: eth0 (not attached: eth1)');
  });

  it('lists connections by their original tuple, most recently active first, IPv6 in brackets', () => {
    const text = renderFastPathFlows([
      {
        family: 4,
        protocol: 17,
        source: '198.51.100.130',
        sourcePort: 40003,
        destination: '203.0.113.80',
        destinationPort: 7,
        packets: [4, 4],
        bytes: [3244, 3244],
        idleSeconds: 9.6,
      },
      {
        family: 6,
        protocol: 6,
        source: '2001:db8:1::2',
        sourcePort: 42002,
        destination: '2001:db8:2::2',
        destinationPort: 7,
        packets: [9, 9],
        bytes: [14175, 14175],
        idleSeconds: 0.2,
      },
    ]).split('\n');
    expect(lines(text)).toEqual([
      [
        'Proto',
        'Source',
        'Destination',
        'Packets',
        'Bytes',
        'Reply',
        'packets',
        'Reply',
        'bytes',
        'Idle',
        '(s)',
      ],
      ['tcp', '[2001:db8:1::2]:42002', '[2001:db8:2::2]:7', '9', '14175', '9', '14175', '0'],
      ['udp', '198.51.100.130:40003', '203.0.113.80:7', '4', '3244', '4', '3244', '10'],
    ]);
  });
});

function lines(text: string[]): string[][] {
  return text.filter((l) => !l.startsWith('-')).map((l) => l.trim().split(/\s+/));
}
