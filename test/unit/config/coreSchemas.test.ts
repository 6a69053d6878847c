import { describe, expect, it } from 'vitest';
import { parseBoot, printBoot } from '../../../src/config/bootSyntax.js';
import { deletePath, setPath } from '../../../src/config/edit.js';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { treeFromBoot, treeToBoot, withDefaults } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import { registerSystemSchema } from '../../../src/features/system/schema.js';
import { ConfigPathError } from '../../../src/errors.js';
import { coreRegistry } from './fixtures.js';

const registry = coreRegistry();
const HASH = `$6$rounds=5000$saltsalt$${'a'.repeat(86)}`;

const set = (line: string) => () => setPath({}, registry, line.split(' '));

describe('interfaces schema', () => {
  it.each([
    'interfaces ethernet eth0 address 192.0.2.1/24',
    'interfaces ethernet eth0 address 2001:db8::1/64',
    'interfaces ethernet eth0 address dhcp',
    'interfaces ethernet br-lan.10 disable',
    'interfaces ethernet eth0 description x',
  ])('accepts set %s', (line) => {
    expect(set(line)).not.toThrow();
  });

  it.each([
    ['interfaces ethernet eth0 address 192.0.2.1', 'must be an IP address with prefix length'],
    ['interfaces ethernet eth0123456789abcdef disable', 'must be an interface name'],
    ['interfaces ethernet eth0 description', 'missing value (text (1-255 characters))'],
  ])('refuses set %s', (line, detail) => {
    expect(set(line)).toThrow(ConfigPathError);
    expect(set(line)).toThrow(detail);
  });

  it('limits descriptions to 255 characters', () => {
    expect(() =>
      setPath({}, registry, ['interfaces', 'ethernet', 'eth0', 'description', 'x'.repeat(255)]),
    ).not.toThrow();
    expect(() =>
      setPath({}, registry, ['interfaces', 'ethernet', 'eth0', 'description', 'x'.repeat(256)]),
    ).toThrow('must be 1-255 characters');
  });
});

describe('system schema', () => {
  it.each([
    'system host-name R1',
    `system host-name ${'a'.repeat(63)}`,
    'system host-name 1router',
    'system login user vyatta authentication plaintext-password secret',
    `system login user vyatta authentication encrypted-password ${HASH}`,
    `system login user vyatta authentication encrypted-password $6$salt$${'b'.repeat(86)}`,
    'system login user _svc-1 level operator',
  ])('accepts set %s', (line) => {
    expect(set(line)).not.toThrow();
  });

  it.each([
    [`system host-name ${'a'.repeat(64)}`, 'must be 1-63 letters'],
    ['system host-name r1.example.com', 'must be 1-63 letters'],
    ['system host-name r1-', 'must be 1-63 letters'],
    [
      'system login user vyatta authentication encrypted-password $1$salt$hash',
      'must be a SHA-512 crypt hash',
    ],
    ['system login user vyatta level root', 'must be one of: admin, operator'],
    ['system login user 1abc level admin', 'must be a user name'],
  ])('refuses set %s', (line, detail) => {
    expect(set(line)).toThrow(detail);
  });

  it('defaults a user level to admin for display, never in the stored tree', () => {
    const tree = setPath({}, registry, ['system', 'login', 'user', 'vyatta']);
    expect(tree).toEqual({ system: { login: { user: { vyatta: {} } } } });
    expect(withDefaults(tree, registry)).toEqual({
      system: { login: { user: { vyatta: { level: 'admin' } } } },
    });
  });
});

describe('a Vyatta-style config.boot on the core schemas', () => {
  const text = `interfaces {
    ethernet eth0 {
        address 192.0.2.21/24
        description "Internet to Protected"
    }
    ethernet eth1 {
        address 198.51.100.1/24
        address 2001:db8:1::1/64
        disable
    }
}
system {
    host-name R1
    login {
        user operator1 {
            authentication {
                plaintext-password "two words"
            }
            level operator
        }
        user vyatta {
            authentication {
                encrypted-password ${HASH}
            }
        }
    }
}
`;

  it('loads, validates, edits and saves back canonically', () => {
    let tree = treeFromBoot(parseBoot(text), registry);
    expect(validateTree(tree, registry)).toEqual([]);
    expect(printBoot(treeToBoot(tree, registry))).toBe(text);
    tree = deletePath(tree, registry, ['interfaces', 'ethernet', 'eth1', 'address', '2001:db8:1::1/64']);
    tree = setPath(tree, registry, ['system', 'host-name', 'R2']);
    expect(printBoot(treeToBoot(tree, registry))).toBe(
      text.replace('        address 2001:db8:1::1/64\n', '').replace('host-name R1', 'host-name R2'),
    );
  });

  it('registers each core schema once; a second registration conflicts', () => {
    const fresh = new SchemaRegistry();
    registerInterfacesSchema(fresh);
    registerSystemSchema(fresh);
    expect(() => registerSystemSchema(fresh)).toThrow(/already registered by 'system'/);
    expect(() => registerInterfacesSchema(fresh)).toThrow(/already registered by 'interfaces'/);
  });
});
