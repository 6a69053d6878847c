import { describe, expect, it } from 'vitest';
import { labOfNs, nsName, testLabName, testLabOwner } from '../../../src/lab/labPaths.js';
import { standardTopology } from '../../../src/lab/standardTopology.js';
import { checkTopology } from '../../../src/lab/topology.js';

describe('lab names', () => {
  it('round-trips a namespace name to its lab and a test lab to its owner', () => {
    const lab = testLabName(4242, 3);
    expect(labOfNs(nsName(lab, 'r1'))).toBe(lab);
    expect(testLabOwner(lab)).toBe(4242);
    expect(testLabOwner('lab')).toBeUndefined();
    expect(labOfNs('other-ns')).toBeUndefined();
  });
});

describe('topology check', () => {
  it('accepts the standard topology', () => {
    expect(() => checkTopology(standardTopology())).not.toThrow();
  });
  it('rejects names the kernel would refuse and dangling links', () => {
    expect(() => checkTopology({ nodes: [{ name: 'Router1', kind: 'router' }], links: [] })).toThrow(
      /Router1/,
    );
    expect(() =>
      checkTopology({
        nodes: [{ name: 'a', kind: 'host' }],
        links: [{ a: { node: 'a', ifname: 'eth0' }, b: { node: 'b', ifname: 'eth0' } }],
      }),
    ).toThrow(/unknown node 'b'/);
    expect(() =>
      checkTopology({
        nodes: [
          { name: 'a', kind: 'host' },
          { name: 'b', kind: 'host' },
        ],
        links: [
          { a: { node: 'a', ifname: 'eth0' }, b: { node: 'b', ifname: 'eth0' } },
          { a: { node: 'a', ifname: 'eth0' }, b: { node: 'b', ifname: 'eth1' } },
        ],
      }),
    ).toThrow(/a\/eth0 used twice/);
  });
});
