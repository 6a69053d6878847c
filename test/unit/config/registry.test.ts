import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/config/registry.js';
import {
  Container,
  childOf,
  childrenOf,
  descriptionOf,
  Flag,
  IntegerRange,
  Leaf,
  TagNode,
  tagBodyOf,
} from '../../../src/config/schemaNodes.js';
import { validateTree } from '../../../src/config/validate.js';
import { ConfigPathError, TandemError } from '../../../src/errors.js';
import { coreRegistry, testVrrpSchema, vrrpRegistry } from './fixtures.js';

const leaf = (description: string) => Leaf(Type.String(), { description });

describe('SchemaRegistry.register', () => {
  it('creates a known top-level container implicitly, with its help', () => {
    const registry = coreRegistry();
    const interfaces = childOf(registry.root(), 'interfaces')!;
    expect(descriptionOf(interfaces)).toBe('Network interfaces');
    expect(Object.keys(childrenOf(interfaces))).toEqual(['ethernet']);
  });

  it('merges a registration below a tag instance (`*`) into the same tree', () => {
    const registry = vrrpRegistry();
    const ethernet = childOf(childOf(registry.root(), 'interfaces')!, 'ethernet')!;
    expect(Object.keys(childrenOf(tagBodyOf(ethernet))).sort()).toEqual([
      'address',
      'description',
      'disable',
      'vrrp',
    ]);
  });

  it('does not change schemas already handed out (a new root per version)', () => {
    const registry = coreRegistry();
    const before = registry.root();
    const version = registry.version;
    registry.register('vrrp', ['interfaces', 'ethernet', '*', 'vrrp'], testVrrpSchema());
    expect(registry.root()).not.toBe(before);
    expect(registry.version).toBe(version + 1);
    const oldBody = tagBodyOf(childOf(childOf(before, 'interfaces')!, 'ethernet')!);
    expect(childOf(oldBody, 'vrrp')).toBeUndefined();
  });

  it('merges two containers with the same help child by child', () => {
    const registry = new SchemaRegistry();
    registry.register('a', ['service'], Container({ x: leaf('X') }, { description: 'Services' }));
    registry.register('b', ['service'], Container({ y: leaf('Y') }, { description: 'Services' }));
    expect(Object.keys(childrenOf(childOf(registry.root(), 'service')!)).sort()).toEqual(['x', 'y']);
  });

  it('lets an explicit container take over an implicit one and keeps what was below', () => {
    const registry = new SchemaRegistry();
    registry.register('sync', ['system', 'config-sync'], Container({}, { description: 'Config sync' }));
    registry.register('system', ['system'], Container({ 'host-name': leaf('Host') }, { description: 'Sys' }));
    const system = childOf(registry.root(), 'system')!;
    expect(descriptionOf(system)).toBe('Sys');
    expect(Object.keys(childrenOf(system)).sort()).toEqual(['config-sync', 'host-name']);
  });

  it('refuses conflicting registrations, naming the first owner', () => {
    const registry = coreRegistry();
    expect(() => registry.register('other', ['system', 'host-name'], leaf('again'))).toThrow(
      /'system host-name' is already registered by 'system'/,
    );
    expect(() => registry.register('other', ['system'], Container({}, { description: 'Different' }))).toThrow(
      TandemError,
    );
    expect(() =>
      registry.register(
        'other',
        ['system'],
        Container({ 'host-name': leaf('H') }, { description: 'System parameters' }),
      ),
    ).toThrow(/already registered/);
  });

  it('refuses malformed paths and undocumented nodes', () => {
    const registry = coreRegistry();
    expect(() => registry.register('x', [], leaf('x'))).toThrow(/path is empty/);
    expect(() => registry.register('x', ['interfaces', 'ethernet', '*'], leaf('x'))).toThrow(/cannot end/);
    expect(() => registry.register('x', ['interfaces', 'ethernet', 'eth0', 'y'], leaf('x'))).toThrow(
      /write '\*'/,
    );
    expect(() => registry.register('x', ['system', '*', 'y'], leaf('x'))).toThrow(/not under a tag node/);
    expect(() => registry.register('x', ['system', 'host-name', 'y'], leaf('x'))).toThrow(/is a leaf/);
    expect(() => registry.register('x', ['nowhere', 'y'], leaf('x'))).toThrow(/register 'nowhere'/);
    expect(() => registry.register('x', ['plain'], Type.String())).toThrow(/not a schema node/);
    const undocumented = Container(
      { x: Type.Unsafe({ 'x-tandem-kind': 'leaf', type: 'string' }) },
      { description: 'D' },
    );
    expect(() => registry.register('x', ['service'], undocumented)).toThrow(/'service x' has no description/);
  });

  it('tells which feature owns a concrete path', () => {
    const registry = vrrpRegistry();
    expect(registry.featureAt(['interfaces', 'ethernet', 'eth0', 'vrrp', 'vrrp-group', '10'])).toBe('vrrp');
    expect(registry.featureAt(['interfaces', 'ethernet', 'eth0', 'address'])).toBe('interfaces');
    expect(registry.featureAt(['system', 'login'])).toBe('system');
    expect(registry.featureAt(['interfaces'])).toBeUndefined();
  });

  it('recompiles validation for a new version', () => {
    const registry = coreRegistry();
    const tree = { interfaces: { ethernet: { eth0: { vrrp: {} } } } };
    expect(validateTree(tree, registry).map((e) => e.message)).toEqual([
      "interfaces ethernet eth0 vrrp: unknown word 'vrrp'; expected one of: address, description, disable",
    ]);
    registry.register('vrrp', ['interfaces', 'ethernet', '*', 'vrrp'], testVrrpSchema());
    expect(validateTree(tree, registry)).toEqual([]);
  });
});

describe('SchemaRegistry.nodeAt', () => {
  const registry = vrrpRegistry();

  it('walks words as typed and marks tag values', () => {
    const at = registry.nodeAt(['interfaces', 'ethernet', 'eth0', 'vrrp', 'vrrp-group', '10', 'priority']);
    expect(at.kind).toBe('leaf');
    expect(at.values).toEqual([]);
    expect(at.steps.map((s) => [s.word, s.tagValue])).toEqual([
      ['interfaces', false],
      ['ethernet', false],
      ['eth0', true],
      ['vrrp', false],
      ['vrrp-group', false],
      ['10', true],
      ['priority', false],
    ]);
  });

  it('reports each kind, and the words after a leaf as values', () => {
    expect(registry.nodeAt([]).kind).toBe('container');
    expect(registry.nodeAt(['interfaces']).kind).toBe('container');
    expect(registry.nodeAt(['interfaces', 'ethernet']).kind).toBe('tag');
    expect(registry.nodeAt(['interfaces', 'ethernet', 'eth0']).kind).toBe('instance');
    expect(registry.nodeAt(['interfaces', 'ethernet', 'eth0', 'disable']).kind).toBe('flag');
    const multi = registry.nodeAt(['interfaces', 'ethernet', 'eth0', 'address', '192.0.2.1/24', 'x']);
    expect(multi.kind).toBe('multi');
    expect(multi.values).toEqual(['192.0.2.1/24', 'x']);
  });

  it('throws ConfigPathError for an unknown word, listing the allowed ones', () => {
    const fail = (words: string[]) => {
      try {
        registry.nodeAt(words);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigPathError);
        return error as ConfigPathError;
      }
      throw new Error('expected an error');
    };
    const error = fail(['interfaces', 'ethernet', 'eth0', 'vrp', 'x']);
    expect(error.path).toEqual(['interfaces', 'ethernet', 'eth0', 'vrp']);
    expect(error.message).toBe(
      "interfaces ethernet eth0 vrp: unknown word 'vrp'; expected one of: address, description, disable, vrrp",
    );
    expect(fail(['constructor']).message).toBe(
      "constructor: unknown word 'constructor'; expected one of: interfaces, system",
    );
    expect(fail(['__proto__']).path).toEqual(['__proto__']);
  });

  it('says when nothing can be configured below a node', () => {
    const registry = new SchemaRegistry();
    registry.register('x', ['service'], Container({ f: Flag({ description: 'F' }) }, { description: 'S' }));
    registry.register('y', ['cluster'], Container({}, { description: 'C' }));
    expect(() => registry.nodeAt(['cluster', 'a'])).toThrow(/nothing can be configured here/);
    const tag = TagNode(IntegerRange(1, 2), Container({}, { description: 'B' }), { description: 'T' });
    registry.register('z', ['protocols'], Container({ t: tag }, { description: 'P' }));
    expect(registry.nodeAt(['protocols', 't', '1']).kind).toBe('instance');
  });
});
