import { describe, expect, it } from 'vitest';
import { diffTrees, renderCompare } from '../../../src/config/diff.js';
import { setPath } from '../../../src/config/edit.js';
import { splitWords } from '../../../src/config/pathWords.js';
import type { ConfigTree } from '../../../src/config/tree.js';
import { vrrpRegistry } from './fixtures.js';

const registry = vrrpRegistry();
const build = (...lines: string[]) =>
  lines.reduce<ConfigTree>((tree, line) => setPath(tree, registry, splitWords(line).slice(1)), {});

const running = build(
  'set interfaces ethernet eth0 address 192.0.2.1/24',
  'set interfaces ethernet eth0 address 2001:db8::1/64',
  'set interfaces ethernet eth0 description WAN',
  'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150',
  'set interfaces ethernet eth1 disable',
  'set system host-name R1',
  'set system login user alice level admin',
);

describe('diffTrees', () => {
  it('finds nothing between equal trees', () => {
    expect(diffTrees(running, structuredClone(running))).toEqual([]);
  });

  it('reports added and removed subtrees once, with their content', () => {
    const candidate = setPath(
      running,
      registry,
      splitWords('interfaces ethernet eth0 vrrp vrrp-group 20 priority 5'),
    );
    expect(diffTrees(running, candidate)).toEqual([
      {
        path: ['interfaces', 'ethernet', 'eth0', 'vrrp', 'vrrp-group', '20'],
        kind: 'added',
        after: { priority: 5 },
      },
    ]);
    expect(diffTrees(candidate, running)).toEqual([
      {
        path: ['interfaces', 'ethernet', 'eth0', 'vrrp', 'vrrp-group', '20'],
        kind: 'removed',
        before: { priority: 5 },
      },
    ]);
  });

  it('reports changed leaves, flags and value-by-value multi-value changes in tree order', () => {
    const candidate = build(
      'set interfaces ethernet eth0 address 2001:db8::1/64',
      'set interfaces ethernet eth0 address 198.51.100.1/24',
      'set interfaces ethernet eth0 description LAN',
      'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150',
      'set system host-name R1',
      'set system login user alice level operator',
    );
    expect(diffTrees(running, candidate)).toEqual([
      {
        path: ['interfaces', 'ethernet', 'eth0', 'address', '192.0.2.1/24'],
        kind: 'removed',
        before: '192.0.2.1/24',
      },
      {
        path: ['interfaces', 'ethernet', 'eth0', 'address', '198.51.100.1/24'],
        kind: 'added',
        after: '198.51.100.1/24',
      },
      {
        path: ['interfaces', 'ethernet', 'eth0', 'description'],
        kind: 'changed',
        before: 'WAN',
        after: 'LAN',
      },
      { path: ['interfaces', 'ethernet', 'eth1'], kind: 'removed', before: { disable: true } },
      {
        path: ['system', 'login', 'user', 'alice', 'level'],
        kind: 'changed',
        before: 'admin',
        after: 'operator',
      },
    ]);
  });

  it('reports a reordered multi-value leaf as one change', () => {
    const a: ConfigTree = { x: ['1', '2', '3'] };
    expect(diffTrees(a, { x: ['2', '1', '3'] })).toEqual([
      { path: ['x'], kind: 'changed', before: ['1', '2', '3'], after: ['2', '1', '3'] },
    ]);
  });

  it('orders numeric keys numerically and reports shape changes', () => {
    expect(diffTrees({}, { r: { '10': {}, '9': {} } })).toEqual([
      { path: ['r'], kind: 'added', after: { '10': {}, '9': {} } },
    ]);
    expect(
      diffTrees({ r: { '10': 'a', '9': 'b' } }, { r: { '10': 'c', '9': 'd' } }).map((c) => c.path[1]),
    ).toEqual(['9', '10']);
    expect(diffTrees({ a: 'x' }, { a: { b: 'x' } })).toEqual([
      { path: ['a'], kind: 'changed', before: 'x', after: { b: 'x' } },
    ]);
    expect(diffTrees({ a: 1 }, { a: '1' })).toEqual([
      { path: ['a'], kind: 'changed', before: 1, after: '1' },
    ]);
  });
});

describe('renderCompare', () => {
  it('is empty when nothing changed', () => {
    expect(renderCompare(running, running, registry)).toBe('');
  });

  it('marks added, deleted and changed lines with their ancestors as context', () => {
    const candidate = build(
      'set interfaces ethernet eth0 address 2001:db8::1/64',
      'set interfaces ethernet eth0 address 198.51.100.1/24',
      'set interfaces ethernet eth0 description "WAN link"',
      'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150',
      'set interfaces ethernet eth0 vrrp vrrp-group 5 virtual-address 198.51.100.254',
      'set interfaces ethernet eth0 vrrp vrrp-group 5 rfc3768-compatibility',
      'set system host-name R1',
      'set system login user alice level admin',
    );
    expect(renderCompare(running, candidate, registry)).toBe(
      [
        ' interfaces {',
        '     ethernet eth0 {',
        '+        address 198.51.100.1/24',
        '-        address 192.0.2.1/24',
        '>        description "WAN link"',
        '         vrrp {',
        '+            vrrp-group 5 {',
        '+                rfc3768-compatibility',
        '+                virtual-address 198.51.100.254',
        '+            }',
        '         }',
        '     }',
        '-    ethernet eth1 {',
        '-        disable',
        '-    }',
        ' }',
        '',
      ].join('\n'),
    );
  });

  it('shows whole new top-level branches and removed leaves', () => {
    const candidate = build('set interfaces ethernet eth3 address 198.51.100.7/24');
    expect(renderCompare(running, candidate, registry)).toBe(
      [
        ' interfaces {',
        '-    ethernet eth0 {',
        '-        address 192.0.2.1/24',
        '-        address 2001:db8::1/64',
        '-        description WAN',
        '-        vrrp {',
        '-            vrrp-group 10 {',
        '-                priority 150',
        '-            }',
        '-        }',
        '-    }',
        '-    ethernet eth1 {',
        '-        disable',
        '-    }',
        '+    ethernet eth3 {',
        '+        address 198.51.100.7/24',
        '+    }',
        ' }',
        '-system {',
        '-    host-name R1',
        '-    login {',
        '-        user alice {',
        '-            level admin',
        '-        }',
        '-    }',
        '-}',
        '',
      ].join('\n'),
    );
    expect(renderCompare({}, build('set system host-name R2'), registry)).toBe(
      '+system {\n+    host-name R2\n+}\n',
    );
  });

  it('marks reordered values and flag changes, and new empty nodes', () => {
    const before = build(
      'set interfaces ethernet eth0 address 10.0.0.1/8',
      'set interfaces ethernet eth0 address 10.0.0.2/8',
    );
    const after = build(
      'set interfaces ethernet eth0 address 10.0.0.2/8',
      'set interfaces ethernet eth0 address 10.0.0.1/8',
      'set interfaces ethernet eth0 disable',
      'set interfaces ethernet eth0 vrrp',
    );
    expect(renderCompare(before, after, registry)).toBe(
      [
        ' interfaces {',
        '     ethernet eth0 {',
        '>        address 10.0.0.2/8',
        '>        address 10.0.0.1/8',
        '+        disable',
        '+        vrrp {',
        '+        }',
        '     }',
        ' }',
        '',
      ].join('\n'),
    );
  });

  it('orders numeric tag instances numerically', () => {
    const after = build(
      'set interfaces ethernet eth0 vrrp vrrp-group 100',
      'set interfaces ethernet eth0 vrrp vrrp-group 9',
    );
    const lines = renderCompare({}, after, registry)
      .split('\n')
      .filter((l) => l.includes('vrrp-group'));
    expect(lines).toEqual(['+            vrrp-group 9 {', '+            vrrp-group 100 {']);
  });
});
