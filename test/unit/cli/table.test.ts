import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/cli/table.js';

describe('renderTable', () => {
  it('aligns text left and numbers right under a dashed rule', () => {
    expect(
      renderTable(
        ['Interface', 'RX packets'],
        [
          ['eth0', 5],
          ['eth10', 12345],
        ],
      ),
    ).toBe(
      [
        'Interface  RX packets',
        '---------  ----------',
        'eth0                5',
        'eth10           12345',
      ].join('\n'),
    );
  });
});
