import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BootNode } from '../../../src/config/bootSyntax.js';
import { deletePath, setPath } from '../../../src/config/edit.js';
import { splitWords } from '../../../src/config/pathWords.js';
import { type ConfigTree, treeToBoot } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { ConfigPathError } from '../../../src/errors.js';
import { containerArbitrary, vrrpRegistry } from './fixtures.js';

const registry = vrrpRegistry();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Applies CLI lines (`set …` / `delete …`) to a frozen tree, proving no input is mutated. */
function run(tree: ConfigTree, ...lines: string[]): ConfigTree {
  let current = deepFreeze(tree);
  for (const line of lines) {
    const [command, ...words] = splitWords(line);
    current = deepFreeze(
      command === 'set' ? setPath(current, registry, words) : deletePath(current, registry, words),
    );
  }
  return current;
}

function pathError(tree: ConfigTree, line: string): ConfigPathError {
  try {
    run(tree, line);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigPathError);
    return error as ConfigPathError;
  }
  throw new Error(`expected ${line} to fail`);
}

function valueAt(tree: ConfigTree, path: string[]): unknown {
  return path.reduce<unknown>((node, word) => (node as ConfigTree | undefined)?.[word], tree);
}

const eth0 = (body: ConfigTree): ConfigTree => ({ interfaces: { ethernet: { eth0: body } } });

describe('setPath', () => {
  it('creates missing ancestors and sets a single-value leaf, replacing the old value', () => {
    expect(run({}, 'set system host-name R1')).toEqual({ system: { 'host-name': 'R1' } });
    expect(run({}, 'set system host-name R1', 'set system host-name R2')).toEqual({
      system: { 'host-name': 'R2' },
    });
  });

  it('types integer values as numbers', () => {
    expect(run({}, 'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150')).toEqual(
      eth0({ vrrp: { 'vrrp-group': { '10': { priority: 150 } } } }),
    );
  });

  it('appends to a multi-value leaf in entry order, without duplicates', () => {
    const tree = run(
      {},
      'set interfaces ethernet eth0 address 192.0.2.1/24',
      'set interfaces ethernet eth0 address 2001:db8::1/64',
      'set interfaces ethernet eth0 address 198.51.100.9/24',
      'set interfaces ethernet eth0 address 192.0.2.1/24',
    );
    expect(tree).toEqual(eth0({ address: ['192.0.2.1/24', '2001:db8::1/64', '198.51.100.9/24'] }));
  });

  it('creates a tag instance and a container on their own', () => {
    expect(run({}, 'set interfaces ethernet eth0 vrrp vrrp-group 10')).toEqual(
      eth0({ vrrp: { 'vrrp-group': { '10': {} } } }),
    );
    expect(run({}, 'set interfaces ethernet eth0 vrrp')).toEqual(eth0({ vrrp: {} }));
    const existing = eth0({ description: 'x' });
    expect(run(existing, 'set interfaces ethernet eth0')).toEqual(existing);
  });

  it('sets a flag without a value', () => {
    expect(run({}, 'set interfaces ethernet eth0 disable')).toEqual(eth0({ disable: true }));
  });

  it('keeps quoted values with spaces whole', () => {
    expect(run({}, 'set interfaces ethernet eth0 description "Internet to Protected"')).toEqual(
      eth0({ description: 'Internet to Protected' }),
    );
  });

  it('returns a new tree and shares untouched branches', () => {
    const before = deepFreeze({ system: { 'host-name': 'R1' }, interfaces: { ethernet: { eth1: {} } } });
    const after = setPath(before, registry, ['system', 'host-name', 'R2']);
    expect(after).not.toBe(before);
    expect(before.system['host-name']).toBe('R1');
    expect(after['interfaces']).toBe(before.interfaces);
  });

  it.each([
    [
      'set interfaces ethernet eth0 adress 1.2.3.4/8',
      'interfaces ethernet eth0 adress',
      "unknown word 'adress'; expected one of: address, description, disable, vrrp",
    ],
    ['set sytem', 'sytem', "unknown word 'sytem'; expected one of: interfaces, system"],
    ['set system host-name', 'system host-name', 'missing value (host name (1-63 letters, digits, hyphens))'],
    [
      'set interfaces ethernet eth0 vrrp vrrp-group 10 preempt',
      'interfaces ethernet eth0 vrrp vrrp-group 10 preempt',
      'missing value (one of: true, false)',
    ],
    ['set interfaces ethernet', 'interfaces ethernet', 'missing instance name (interface name (e.g. eth0))'],
    [
      'set interfaces ethernet eth0 disable yes',
      'interfaces ethernet eth0 disable yes',
      'is a flag: it takes no value',
    ],
    [
      'set system host-name a b',
      'system host-name a b',
      'takes one value; quote a value that contains spaces',
    ],
    [
      'set system host-name -bad-',
      'system host-name -bad-',
      'must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen',
    ],
    [
      'set interfaces ethernet eth0 address 192.0.2.1',
      'interfaces ethernet eth0 address 192.0.2.1',
      'must be an IP address with prefix length (192.0.2.1/24, 2001:db8::1/64) or dhcp',
    ],
    [
      'set interfaces ethernet eth1 vrrp vrrp-group 300',
      'interfaces ethernet eth1 vrrp vrrp-group 300',
      'must be 1-255',
    ],
    [
      'set interfaces ethernet eth1 vrrp vrrp-group 300 priority 10',
      'interfaces ethernet eth1 vrrp vrrp-group 300',
      'must be 1-255',
    ],
    [
      'set interfaces ethernet Eth1 disable',
      'interfaces ethernet Eth1',
      'must be an interface name: a lowercase letter then up to 14 of a-z, 0-9, ".", "_", "-"',
    ],
    [
      'set interfaces ethernet eth0 vrrp vrrp-group 1 priority 0',
      'interfaces ethernet eth0 vrrp vrrp-group 1 priority 0',
      'must be 1-255',
    ],
    [
      'set interfaces ethernet eth0 vrrp vrrp-group 1 preempt maybe',
      'interfaces ethernet eth0 vrrp vrrp-group 1 preempt maybe',
      'must be one of: true, false',
    ],
    [
      'set system login user Root',
      'system login user Root',
      'must be a user name: a-z, 0-9, "_" and "-", at most 32, not starting with a digit or "-"',
    ],
    ['set constructor', 'constructor', "unknown word 'constructor'; expected one of: interfaces, system"],
  ])('%s → %s: %s', (line, path, detail) => {
    const error = pathError({}, line);
    expect(error.path.join(' ')).toBe(path);
    expect(error.detail).toBe(detail);
    expect(error.message).toBe(`${path}: ${detail}`);
  });

  it('refuses an empty path', () => {
    expect(() => setPath({}, registry, [])).toThrow(ConfigPathError);
  });

  it('leaves an existing badly named instance reachable (loaded from a file)', () => {
    const tree = eth0({ vrrp: { 'vrrp-group': { '300': {} } } });
    expect(run(tree, 'set interfaces ethernet eth0 vrrp vrrp-group 300 priority 5')).toEqual(
      eth0({ vrrp: { 'vrrp-group': { '300': { priority: 5 } } } }),
    );
  });
});

describe('deletePath', () => {
  const base = run(
    {},
    'set interfaces ethernet eth0 address 192.0.2.1/24',
    'set interfaces ethernet eth0 address 2001:db8::1/64',
    'set interfaces ethernet eth0 description WAN',
    'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150',
    'set interfaces ethernet eth0 vrrp vrrp-group 20',
    'set system host-name R1',
  );

  const eth0Of = (tree: ConfigTree) => valueAt(tree, ['interfaces', 'ethernet', 'eth0']);

  it('removes a subtree', () => {
    expect(run(base, 'delete interfaces ethernet eth0 vrrp')).toEqual({
      interfaces: { ethernet: { eth0: { address: ['192.0.2.1/24', '2001:db8::1/64'], description: 'WAN' } } },
      system: { 'host-name': 'R1' },
    });
  });

  it('removes one value of a multi-value leaf, then the leaf with its last value', () => {
    const one = run(base, 'delete interfaces ethernet eth0 address 192.0.2.1/24');
    expect(eth0Of(one)).toHaveProperty('address', ['2001:db8::1/64']);
    const none = run(one, 'delete interfaces ethernet eth0 address 2001:db8::1/64');
    expect(eth0Of(none)).not.toHaveProperty('address');
    expect(eth0Of(none)).toHaveProperty('description', 'WAN');
    const all = run(base, 'delete interfaces ethernet eth0 address');
    expect(eth0Of(all)).not.toHaveProperty('address');
  });

  it('removes a leaf with or without its value, and a flag', () => {
    expect(run(base, 'delete system host-name')).not.toHaveProperty('system');
    expect(run(base, 'delete system host-name R1')).not.toHaveProperty('system');
    const flagged = run(
      base,
      'set interfaces ethernet eth0 disable',
      'delete interfaces ethernet eth0 disable',
    );
    expect(flagged).toEqual(base);
  });

  it('prunes containers left empty up to the nearest tag instance, which stays', () => {
    const tree = run({}, 'set interfaces ethernet eth0 vrrp vrrp-group 10 priority 150');
    expect(run(tree, 'delete interfaces ethernet eth0 vrrp vrrp-group 10 priority')).toEqual(
      eth0({ vrrp: { 'vrrp-group': { '10': {} } } }),
    );
    expect(run(tree, 'delete interfaces ethernet eth0 vrrp vrrp-group 10')).toEqual(eth0({}));
    expect(run(tree, 'delete interfaces ethernet eth0')).toEqual({});
    expect(run(tree, 'delete interfaces')).toEqual({});
    const system = run({}, 'set system login user alice level operator');
    expect(run(system, 'delete system login user alice level')).toEqual({
      system: { login: { user: { alice: {} } } },
    });
    expect(run(system, 'delete system login user alice')).toEqual({});
  });

  it('keeps an explicitly created empty container that the delete did not touch', () => {
    const tree = run({}, 'set interfaces ethernet eth0 vrrp', 'set system host-name R1');
    expect(run(tree, 'delete system host-name')).toEqual(eth0({ vrrp: {} }));
  });

  it('removes all instances of a tag node at once', () => {
    expect(run(base, 'delete interfaces ethernet eth0 vrrp vrrp-group')).toEqual(
      run(base, 'delete interfaces ethernet eth0 vrrp'),
    );
  });

  it.each([
    ['delete system login', 'system login', 'nothing to delete: the node is not set'],
    ['delete interfaces ethernet eth9', 'interfaces ethernet eth9', 'nothing to delete: the node is not set'],
    [
      'delete interfaces ethernet eth0 adress',
      'interfaces ethernet eth0 adress',
      "unknown word 'adress'; expected one of: address, description, disable, vrrp",
    ],
    [
      'delete interfaces ethernet eth0 address 10.0.0.1/8',
      'interfaces ethernet eth0 address 10.0.0.1/8',
      'is not one of the values set (192.0.2.1/24, 2001:db8::1/64)',
    ],
    ['delete system host-name R2', 'system host-name R2', "is not the value set (the value is 'R1')"],
    [
      'delete system host-name R1 R2',
      'system host-name R1 R2',
      'takes one value; quote a value that contains spaces',
    ],
  ])('%s → %s: %s', (line, path, detail) => {
    const error = pathError(base, line);
    expect(error.path.join(' ')).toBe(path);
    expect(error.detail).toBe(detail);
  });

  it('refuses a value on a flag and an empty path', () => {
    const tree = run(base, 'set interfaces ethernet eth0 disable');
    expect(pathError(tree, 'delete interfaces ethernet eth0 disable yes').detail).toBe(
      'is a flag: it takes no value',
    );
    expect(() => deletePath(base, registry, [])).toThrow(ConfigPathError);
  });
});

/** The `set` commands that build a tree (like `show configuration commands`), from its boot nodes. */
function setCommands(nodes: readonly BootNode[], prefix: string[] = []): string[][] {
  return nodes.flatMap((node) => {
    const path = node.value === undefined ? [...prefix, node.name] : [...prefix, node.name, node.value];
    return node.children?.length ? setCommands(node.children, path) : [path];
  });
}

describe('set/delete properties', () => {
  it('replaying the set commands of any valid tree rebuilds it exactly', () => {
    fc.assert(
      fc.property(containerArbitrary(registry.root()), (tree) => {
        const commands = setCommands(treeToBoot(tree, registry));
        const rebuilt = commands.reduce<ConfigTree>((t, words) => setPath(t, registry, words), {});
        expect(rebuilt).toEqual(tree);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('deleting each set command in turn keeps the tree valid, leaving only emptied tag instances', () => {
    fc.assert(
      fc.property(containerArbitrary(registry.root()), (tree) => {
        let current = deepFreeze(tree);
        for (const words of setCommands(treeToBoot(tree, registry))) {
          current = deepFreeze(deletePath(current, registry, words));
          expect(validateTree(current, registry)).toEqual([]);
        }
        // What is left prints as empty instance blocks only: every remaining command names one.
        for (const words of setCommands(treeToBoot(current, registry))) {
          expect(registry.nodeAt(words).kind).toBe('instance');
        }
        for (const word of Object.keys(current)) current = deletePath(current, registry, [word]);
        expect(current).toEqual({});
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
