import { describe, expect, it } from 'vitest';
import { checkTopology, switchedTopology } from '../../../src/lab/topology.js';

describe('switchedTopology', () => {
  it('puts each member on switch sw through a port named after it, with its /24 address', () => {
    const t = switchedTopology([
      { name: 'src', address: '192.0.2.1' },
      { name: 'r2', address: '192.0.2.3', kind: 'router', ifname: 'eth1' },
    ]);
    expect(() => checkTopology(t)).not.toThrow();
    expect(t.nodes).toEqual([
      { name: 'sw', kind: 'switch' },
      { name: 'src', kind: 'host' },
      { name: 'r2', kind: 'router' },
    ]);
    expect(t.links[1]).toEqual({
      a: { node: 'r2', ifname: 'eth1', addresses: ['192.0.2.3/24'] },
      b: { node: 'sw', ifname: 'r2' },
    });
  });
});
