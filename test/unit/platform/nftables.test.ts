// nftables writes are serialized in the platform: whoever asks, they run one at a time in order.
import { describe, expect, it, vi } from 'vitest';

const { calls } = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('../../../src/platform/run.js', () => ({
  run: async (argv: readonly string[], opts?: { input?: string }) => {
    const what = opts?.input ?? argv.slice(1).join(' ');
    calls.push(`start ${what}`);
    await new Promise((r) => setTimeout(r, what.includes('slow') ? 30 : 1));
    calls.push(`end ${what}`);
    if (what.includes('bad')) throw new Error('nft: syntax error');
    return { stdout: '', stderr: '', code: 0 };
  },
}));

const { nftApply, nftDeleteTable } = await import('../../../src/platform/nftables.js');

describe('nftables writes', () => {
  it('run one at a time in call order; a failed one rejects its caller only', async () => {
    const results = await Promise.allSettled([
      nftApply('slow'),
      nftDeleteTable('ip', 't'),
      nftApply('bad'),
      nftApply('after'),
    ]);
    expect(calls).toEqual([
      'start slow',
      'end slow',
      'start list table ip t',
      'end list table ip t',
      'start delete table ip t',
      'end delete table ip t',
      'start bad',
      'end bad',
      'start after',
      'end after',
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
