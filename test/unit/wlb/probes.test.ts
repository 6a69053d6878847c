// How a health probe's answer becomes a test result (W-29, W-30).
import { describe, expect, it } from 'vitest';
import { pingOutcome, ttlOutcome } from '../../../src/features/wlb/probes.js';

const answer = (over: Partial<Parameters<typeof ttlOutcome>[0]>) => ({
  answer: 'icmp' as const,
  icmpType: 11,
  icmpCode: 0,
  from: '192.0.2.1',
  rttMs: 0.4321,
  error: null,
  ...over,
});

describe('ttl test outcome', () => {
  it('passes only on Time Exceeded from a hop', () => {
    expect(ttlOutcome(answer({}), '203.0.113.44')).toEqual({
      ok: true,
      rttMs: 0.432,
      reason: 'time exceeded from 192.0.2.1',
    });
    // Time Exceeded in reassembly (code 1) is not a hop's answer.
    expect(ttlOutcome(answer({ icmpCode: 1 }), '203.0.113.44').ok).toBe(false);
  });

  it('fails when the target answers within ttl-limit hops, on other errors, silence and local errors', () => {
    const target = '203.0.113.44';
    expect(ttlOutcome(answer({ icmpType: 3, icmpCode: 3, from: target }), target).reason).toBe(
      'the target answered within ttl-limit hops',
    );
    expect(ttlOutcome(answer({ icmpType: 3, icmpCode: 1 }), target)).toMatchObject({
      ok: false,
      reason: 'ICMP type 3 code 1 from 192.0.2.1',
    });
    expect(ttlOutcome(answer({ answer: 'reply' }), target).ok).toBe(false);
    expect(ttlOutcome(answer({ answer: 'timeout' }), target).reason).toBe('timeout');
    expect(
      ttlOutcome(
        answer({ answer: 'local-error', error: 'routing the ttl probe out eth0: Network is unreachable' }),
        target,
      ).reason,
    ).toMatch(/unreachable/);
  });
});

describe('ping test outcome', () => {
  it('reads the round trip of a reply, and the reason of a failure', () => {
    expect(pingOutcome(0, '64 bytes from 203.0.113.44: icmp_seq=1 ttl=63 time=0.088 ms')).toEqual({
      ok: true,
      rttMs: 0.088,
      reason: 'ok',
    });
    expect(pingOutcome(1, 'From 192.0.2.1 icmp_seq=1 Destination Host Unreachable').reason).toBe(
      'destination host unreachable from 192.0.2.1',
    );
    expect(pingOutcome(1, '1 packets transmitted, 0 received').reason).toBe('timeout');
  });
});
