import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoot, printBoot } from '../../../src/config/bootSyntax.js';
import {
  type ConfigTree,
  treeFromBoot,
  treeToBoot,
  withChild,
  withDefaults,
  withoutChild,
} from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { ConfigPathError, ConfigSyntaxError } from '../../../src/errors.js';
import { containerArbitrary, coreRegistry, vrrpRegistry } from './fixtures.js';

const registry = vrrpRegistry();
const load = (text: string) => treeFromBoot(parseBoot(text, 'config.boot'), registry, 'config.boot');
const save = (tree: ConfigTree) => printBoot(treeToBoot(tree, registry));

const boot = `interfaces {
    ethernet eth0 {
        address 192.0.2.1/24
        address 2001:db8::1/64
        description "Internet to Protected"
        vrrp {
            vrrp-group 10 {
                priority 150
                rfc3768-compatibility
                virtual-address 192.0.2.254
            }
        }
    }
    ethernet eth1 {
        disable
    }
}
system {
    host-name R1
    login {
        user vyatta {
            level operator
        }
    }
}
`;

const tree: ConfigTree = {
  interfaces: {
    ethernet: {
      eth0: {
        address: ['192.0.2.1/24', '2001:db8::1/64'],
        description: 'Internet to Protected',
        vrrp: {
          'vrrp-group': {
            '10': { priority: 150, 'rfc3768-compatibility': true, 'virtual-address': ['192.0.2.254'] },
          },
        },
      },
      eth1: { disable: true },
    },
  },
  system: { 'host-name': 'R1', login: { user: { vyatta: { level: 'operator' } } } },
};

function syntaxError(text: string): ConfigSyntaxError {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    return error as ConfigSyntaxError;
  }
  throw new Error('expected a ConfigSyntaxError');
}

describe('treeFromBoot', () => {
  it('builds the JSON tree, typing integer leaves as numbers', () => {
    expect(load(boot)).toEqual(tree);
  });

  it('keeps values as typed for validateTree to judge (with their paths)', () => {
    const loaded = load(
      'interfaces {\n    ethernet eth0 {\n        vrrp {\n            vrrp-group 300 {\n                priority high\n            }\n        }\n    }\n}\n',
    );
    expect(loaded).toEqual({
      interfaces: { ethernet: { eth0: { vrrp: { 'vrrp-group': { '300': { priority: 'high' } } } } } },
    });
    expect(validateTree(loaded, registry).map((e) => e.message)).toEqual([
      'interfaces ethernet eth0 vrrp vrrp-group 300: must be 1-255',
      'interfaces ethernet eth0 vrrp vrrp-group 300 priority high: must be 1-255',
    ]);
  });

  it('reads an empty block for a bare container line and a bare tag instance', () => {
    expect(load('system\ninterfaces {\n    ethernet eth2\n}\n')).toEqual({
      system: {},
      interfaces: { ethernet: { eth2: {} } },
    });
  });

  it('names the path and the allowed words for an unknown node, at its position', () => {
    const error = syntaxError('interfaces {\n    ethernet eth0 {\n        adress 192.0.2.1/24\n    }\n}\n');
    expect([error.line, error.column]).toEqual([3, 9]);
    expect(error.message).toBe(
      "config.boot:3:9: unknown node 'adress' under 'interfaces ethernet eth0'; expected one of: address, description, disable, vrrp",
    );
    expect(syntaxError('\n  protocols {\n}\n').message).toBe(
      "config.boot:2:3: unknown node 'protocols' at the top level; expected one of: interfaces, system",
    );
  });

  it.each([
    ['system x {\n}\n', 1, 1, "'system' takes no value"],
    ['system {\n}\nsystem {\n}\n', 3, 1, "'system' appears twice"],
    [
      'interfaces {\n    ethernet {\n    }\n}\n',
      2,
      5,
      "'interfaces ethernet' needs an instance name: ethernet <interface name (e.g. eth0)>",
    ],
    [
      'interfaces {\n    ethernet a {\n    }\n    ethernet a {\n    }\n}\n',
      4,
      5,
      "'interfaces ethernet a' appears twice",
    ],
    ['system {\n    host-name {\n    }\n}\n', 2, 5, "'system host-name' is a value, not a { … } block"],
    ['system {\n    host-name\n}\n', 2, 5, "'system host-name' needs a value"],
    ['system {\n    host-name a\n    host-name b\n}\n', 3, 5, 'has one value but appears twice'],
    ['interfaces {\n    ethernet a {\n        disable yes\n    }\n}\n', 3, 9, 'is a flag: it takes no value'],
    [
      'interfaces {\n    ethernet a {\n        disable\n        disable\n    }\n}\n',
      4,
      9,
      "'interfaces ethernet a disable' appears twice",
    ],
    [
      'interfaces {\n    ethernet a {\n        address 1.2.3.4/8\n        address 1.2.3.4/8\n    }\n}\n',
      4,
      9,
      "'interfaces ethernet a address 1.2.3.4/8' appears twice",
    ],
    [
      'interfaces {\n    ethernet a {\n        address\n    }\n}\n',
      3,
      9,
      'needs a value: address <IPv4 address',
    ],
  ])('%j fails at %i:%i', (text, line, column, detail) => {
    const error = syntaxError(text);
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message).toContain(detail);
  });

  it('reads tag instances and multi-values named like Object.prototype members safely', () => {
    const loaded = load(
      'system {\n    login {\n        user __proto__ {\n        }\n        user constructor {\n        }\n    }\n}\n',
    );
    const users = (loaded['system'] as ConfigTree)['login'] as ConfigTree;
    expect(Object.keys(users['user'] as ConfigTree)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(users['user'])).toBe(Object.prototype);
    expect(save(loaded)).toContain('user __proto__ {');
  });
});

describe('treeToBoot', () => {
  it('prints children alphabetically, tag instances in numeric or lexical order, values in stored order', () => {
    const t: ConfigTree = {
      system: { 'host-name': 'R1' },
      interfaces: {
        ethernet: {
          eth10: {},
          eth2: {
            vrrp: { 'vrrp-group': { '100': {}, '20': {}, '3': {} } },
            address: ['b/1', 'a/2'],
            description: 'x',
          },
        },
      },
    };
    expect(save(t)).toBe(`interfaces {
    ethernet eth10 {
    }
    ethernet eth2 {
        address b/1
        address a/2
        description x
        vrrp {
            vrrp-group 3 {
            }
            vrrp-group 20 {
            }
            vrrp-group 100 {
            }
        }
    }
}
system {
    host-name R1
}
`);
  });

  it('round-trips the example file exactly', () => {
    expect(save(load(boot))).toBe(boot);
  });

  it('refuses words the schema does not know, and wrong shapes, with the path', () => {
    expect(() => treeToBoot({ system: { nope: 'x' } }, registry)).toThrow(ConfigPathError);
    expect(() => treeToBoot({ system: { nope: 'x' } }, registry)).toThrow(
      /^system nope: unknown word 'nope'/,
    );
    expect(() => treeToBoot({ system: 'x' }, registry)).toThrow(/^system: must be a node with children/);
    expect(() => treeToBoot({ system: { 'host-name': ['a'] } }, registry)).toThrow(
      /^system host-name: must be a single value/,
    );
    expect(() => treeToBoot({ interfaces: { ethernet: { a: { disable: 'yes' } } } }, registry)).toThrow(
      /^interfaces ethernet a disable: must be true/,
    );
    expect(() => treeToBoot({ interfaces: { ethernet: { a: { address: 'x' } } } }, registry)).toThrow(
      /list of values/,
    );
    expect(() => treeToBoot({ interfaces: { ethernet: { a: 'x' } } }, registry)).toThrow(
      /^interfaces ethernet a: must be a node/,
    );
    expect(() => treeToBoot({ interfaces: { ethernet: [] } }, registry)).toThrow(/set of instances/);
  });
});

describe('withDefaults', () => {
  it('fills defaults of existing nodes only, without changing the input', () => {
    const t: ConfigTree = {
      interfaces: {
        ethernet: { eth0: { vrrp: { 'vrrp-group': { '10': {}, '20': { priority: 200 } } } }, eth1: {} },
      },
      system: { login: { user: { alice: {}, bob: { level: 'operator' } } } },
    };
    const copy = structuredClone(t);
    expect(withDefaults(t, registry)).toEqual({
      interfaces: {
        ethernet: {
          eth0: {
            vrrp: {
              'vrrp-group': {
                '10': { priority: 100, preempt: 'true' },
                '20': { priority: 200, preempt: 'true' },
              },
            },
          },
          eth1: {},
        },
      },
      system: { login: { user: { alice: { level: 'admin' }, bob: { level: 'operator' } } } },
    });
    expect(t).toEqual(copy);
    expect(withDefaults({}, registry)).toEqual({});
  });
});

describe('tree helpers', () => {
  it('copy instead of mutating, even for awkward keys', () => {
    const t: ConfigTree = { a: 'x' };
    const added = withChild(t, '__proto__', 'y');
    expect(Object.keys(added)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(added)).toBe(Object.prototype);
    expect(t).toEqual({ a: 'x' });
    expect(withoutChild(added, '__proto__')).toEqual({ a: 'x' });
  });
});

describe('tree round-trip property', () => {
  it.each([
    ['core schemas', coreRegistry()],
    ['core + vrrp schemas', vrrpRegistry()],
  ])(
    'treeFromBoot(parseBoot(printBoot(treeToBoot(t)))) equals t for valid trees (%s)',
    (_name, reg) => {
      fc.assert(
        fc.property(containerArbitrary(reg.root()), (t) => {
          expect(validateTree(t, reg)).toEqual([]);
          const text = printBoot(treeToBoot(t, reg));
          expect(treeFromBoot(parseBoot(text), reg)).toEqual(t);
          expect(printBoot(parseBoot(text))).toBe(text);
        }),
        { numRuns: 200 },
      );
    },
    60_000,
  );
});
