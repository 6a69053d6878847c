import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import {
  Container,
  IntegerRange,
  Ipv4Address,
  Ipv4Prefix,
  Leaf,
  TagNode,
} from '../../../src/config/schemaNodes.js';
import type { ConfigTree } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { ConfigPathError } from '../../../src/errors.js';
import { vrrpRegistry } from './fixtures.js';

const registry = vrrpRegistry();
const messages = (tree: ConfigTree, reg: SchemaRegistry = registry) =>
  validateTree(tree, reg).map((e) => e.message);

describe('validateTree', () => {
  it('accepts a valid tree', () => {
    const tree: ConfigTree = {
      interfaces: {
        ethernet: {
          eth0: {
            address: ['192.0.2.1/24', '2001:db8::1/64'],
            description: 'WAN',
            disable: true,
            vrrp: {
              'vrrp-group': { '10': { priority: 150, 'virtual-address': ['192.0.2.254'], preempt: 'false' } },
            },
          },
        },
      },
      system: { 'host-name': 'R1', login: { user: { vyatta: { level: 'operator' } } } },
    };
    expect(validateTree(tree, registry)).toEqual([]);
    expect(validateTree({}, registry)).toEqual([]);
  });

  it('checks tag instance names against the key schema, with the operator path', () => {
    const errors = validateTree(
      { interfaces: { ethernet: { eth1: { vrrp: { 'vrrp-group': { '300': {} } } } } } },
      registry,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConfigPathError);
    expect(errors[0]?.path).toEqual(['interfaces', 'ethernet', 'eth1', 'vrrp', 'vrrp-group', '300']);
    expect(errors[0]?.message).toBe('interfaces ethernet eth1 vrrp vrrp-group 300: must be 1-255');
  });

  it('returns every error, each with its path and a human message, in tree order', () => {
    const tree: ConfigTree = {
      system: { 'host-name': '-R1', login: { user: { Bad: { level: 'root' }, ok: { colour: 'x' } } } },
      interfaces: {
        ethernet: {
          eth0: {
            address: ['192.0.2.1/24', '192.0.2.1', '192.0.2.1/24'],
            disable: 'yes',
            description: '',
            vrrp: {
              'vrrp-group': { '20': { priority: 0 }, '3': { priority: 'high', 'virtual-address': [] } },
            },
          },
          'ETH 1': {},
          eth2: 'up',
        },
      },
      bogus: {},
    };
    expect(messages(tree)).toEqual([
      "bogus: unknown word 'bogus'; expected one of: interfaces, system",
      'interfaces ethernet ETH 1: must be an interface name: a lowercase letter then up to 14 of a-z, 0-9, ".", "_", "-"',
      'interfaces ethernet eth0 address 192.0.2.1: must be an IP address with prefix length (192.0.2.1/24, 2001:db8::1/64) or dhcp',
      'interfaces ethernet eth0 address 192.0.2.1/24: is given more than once',
      'interfaces ethernet eth0 description: must be 1-255 characters',
      'interfaces ethernet eth0 disable yes: is a flag: it takes no value',
      'interfaces ethernet eth0 vrrp vrrp-group 3 priority high: must be 1-255',
      'interfaces ethernet eth0 vrrp vrrp-group 3 virtual-address: needs at least 1 value',
      'interfaces ethernet eth0 vrrp vrrp-group 20 priority 0: must be 1-255',
      'interfaces ethernet eth2 up: must be a node with children, not a value',
      'system host-name -R1: must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen',
      'system login user Bad: must be a user name: a-z, 0-9, "_" and "-", at most 32, not starting with a digit or "-"',
      'system login user Bad level root: must be one of: admin, operator',
      "system login user ok colour: unknown word 'colour'; expected one of: authentication, level",
    ]);
  });

  it('reports a tag node without instances and a wrong shape', () => {
    expect(messages({ interfaces: { ethernet: {} } })).toEqual([
      'interfaces ethernet: needs at least one instance',
    ]);
    expect(messages({ interfaces: { ethernet: { eth0: { address: 'x/1' } } } })).toEqual([
      'interfaces ethernet eth0 address x/1: must be a list of values',
    ]);
  });

  it('reports missing mandatory nodes and unescapes JSON pointer segments', () => {
    const reg = new SchemaRegistry();
    reg.register(
      'static',
      ['protocols'],
      Container(
        {
          route: TagNode(
            Ipv4Prefix(),
            Container(
              {
                'next-hop': Leaf(Ipv4Address(), { description: 'Next hop', mandatory: true }),
                distance: Leaf(IntegerRange(1, 255), { description: 'Distance' }),
                'a~b': Leaf(Type.String(), { description: 'Odd name' }),
              },
              { description: 'Route' },
            ),
            { description: 'Static route' },
          ),
        },
        { description: 'Routing protocols' },
      ),
    );
    expect(
      messages(
        {
          protocols: {
            route: { '10.0.0.0/8': { distance: 300, 'a~b': 1 }, '10.1.0.0/16': { 'next-hop': '10.1.0.1' } },
          },
        },
        reg,
      ),
    ).toEqual([
      'protocols route 10.0.0.0/8 a~b 1: must be text',
      'protocols route 10.0.0.0/8 distance 300: must be 1-255',
      'protocols route 10.0.0.0/8 next-hop: must be set',
    ]);
  });

  it('gives the same answer on repeated calls (cached validator)', () => {
    const tree: ConfigTree = { system: { 'host-name': '' } };
    expect(messages(tree)).toEqual(messages(tree));
    expect(messages(tree)).toHaveLength(1);
  });
});
