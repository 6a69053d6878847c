import { isIPv4, isIPv6 } from 'node:net';
import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AnyOf,
  admitsNumber,
  Choice,
  Container,
  childOf,
  choicesOf,
  defaultOf,
  expectedValueOf,
  Flag,
  InterfaceName,
  IntegerRange,
  Ipv4Address,
  Ipv4Prefix,
  Ipv6Address,
  Ipv6Prefix,
  isMandatory,
  kindOf,
  Leaf,
  MultiLeaf,
  TagNode,
  TAG_KEY,
  tagBodyOf,
  tagKeyOf,
  Text,
  valueHelpOf,
  valueSchemaOf,
} from '../../../src/config/schemaNodes.js';
import { valueProblem, wordToValue } from '../../../src/config/valueCheck.js';
import { TandemError } from '../../../src/errors.js';

const check = (schema: Parameters<typeof valueProblem>[0], word: string) =>
  valueProblem(schema, wordToValue(schema, word));

describe('node constructors', () => {
  const body = Container({ name: Leaf(Type.String(), { description: 'A name' }) }, { description: 'Body' });
  const tag = TagNode(IntegerRange(1, 255), body, { description: 'Rule' });

  it('mark each node kind', () => {
    expect(kindOf(body)).toBe('container');
    expect(kindOf(tag)).toBe('tag');
    expect(kindOf(Leaf(Type.String(), { description: 'x' }))).toBe('leaf');
    expect(kindOf(MultiLeaf(Type.String(), { description: 'x' }))).toBe('multi');
    expect(kindOf(Flag({ description: 'x' }))).toBe('flag');
    expect(kindOf(Type.String())).toBeUndefined();
  });

  it('give the JSON shapes: object keyed by instance, array, true', () => {
    expect(valueProblem(tag, { 10: { name: 'a' }, 20: {} })).toBeUndefined();
    expect(valueProblem(tag, { 10: { nope: 1 } })).toBeDefined();
    expect(valueProblem(MultiLeaf(Type.String(), { description: 'x' }), ['a', 'b'])).toBeUndefined();
    expect(valueProblem(MultiLeaf(Type.String(), { description: 'x' }), ['a', 'a'])).toBe(
      'is given more than once',
    );
    expect(valueProblem(Flag({ description: 'x' }), true)).toBeUndefined();
    expect(valueProblem(Flag({ description: 'x' }), 'yes')).toBe('is a flag: it takes no value');
  });

  it('keep the tag key schema in an x- annotation and the body reachable', () => {
    expect((tag as unknown as Record<string, unknown>)[TAG_KEY]).toBe(tagKeyOf(tag));
    expect(tagKeyOf(tag)).toMatchObject({ type: 'integer', minimum: 1, maximum: 255 });
    expect(tagBodyOf(tag)).toBe(body);
  });

  it('make container children optional unless mandatory', () => {
    const c = Container(
      {
        a: Leaf(Type.String(), { description: 'a' }),
        b: Leaf(Type.String(), { description: 'b', mandatory: true }),
      },
      { description: 'c' },
    );
    expect((c as unknown as { required?: string[] }).required).toEqual(['b']);
    expect(isMandatory(childOf(c, 'b')!)).toBe(true);
    expect(valueProblem(c, { a: 'x' })).toBe('must be set');
  });

  it('keep the leaf default and leave the value type untouched', () => {
    const range = IntegerRange(1, 9);
    const leaf = Leaf(range, { description: 'Level', default: 5 });
    expect(defaultOf(leaf)).toBe(5);
    expect(defaultOf(range)).toBeUndefined();
    expect((range as unknown as Record<string, unknown>)['description']).toBeUndefined();
  });

  it('require a description on every node', () => {
    expect(() => Container({}, { description: '' })).toThrow(TandemError);
    expect(() => Leaf(Type.String(), { description: '  ' })).toThrow(/needs a description/);
    expect(() => TagNode(Type.String(), Type.Object({}), { description: 'x' })).toThrow(
      /must be a Container/,
    );
  });

  it('look children up as own properties only', () => {
    expect(childOf(body, 'name')).toBeDefined();
    expect(childOf(body, 'constructor')).toBeUndefined();
    expect(childOf(body, '__proto__')).toBeUndefined();
  });

  it('give the multi-value item schema', () => {
    const multi = MultiLeaf(Ipv4Address(), { description: 'x' });
    expect(valueSchemaOf(multi)).toMatchObject({ type: 'string' });
    const leaf = Leaf(Type.String(), { description: 'x' });
    expect(valueSchemaOf(leaf)).toBe(leaf);
  });
});

describe('value types', () => {
  it.each([
    ['192.0.2.1', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['256.1.1.1', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['1.2.3.4/24', false],
    [' 1.2.3.4', false],
  ])('IPv4 address %s → %s', (word, ok) => {
    expect(check(Ipv4Address(), word) === undefined).toBe(ok);
  });

  it.each([
    ['192.0.2.1/24', true],
    ['10.0.0.0/0', true],
    ['10.0.0.0/32', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0/024', false],
    ['10.0.0.0', false],
    ['2001:db8::1/64', false],
  ])('IPv4 prefix %s → %s', (word, ok) => {
    expect(check(Ipv4Prefix(), word) === undefined).toBe(ok);
  });

  it.each([
    ['::', true],
    ['::1', true],
    ['2001:db8::1', true],
    ['fe80::1:2:3:4', true],
    ['1:2:3:4:5:6:7:8', true],
    ['::ffff:192.0.2.1', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['12345::1', false],
    ['2001:db8::g', false],
    ['fe80::1%eth0', false],
  ])('IPv6 address %s → %s', (word, ok) => {
    expect(check(Ipv6Address(), word) === undefined).toBe(ok);
  });

  it.each([
    ['2001:db8::1/64', true],
    ['::/0', true],
    ['::/128', true],
    ['::/129', false],
    ['::1', false],
  ])('IPv6 prefix %s → %s', (word, ok) => {
    expect(check(Ipv6Prefix(), word) === undefined).toBe(ok);
  });

  it('agree with node:net on generated addresses', () => {
    // One instance each: a validator is compiled once per schema object.
    const v4 = Ipv4Address();
    const v6 = Ipv6Address();
    fc.assert(
      fc.property(fc.ipV4(), (a) => check(v4, a) === undefined),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.ipV6(), (a) => check(v6, a) === undefined),
      { numRuns: 300 },
    );
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.'), maxLength: 20 });
    fc.assert(
      fc.property(noise, (s) => {
        expect(check(v6, s) === undefined).toBe(isIPv6(s));
        expect(check(v4, s) === undefined).toBe(isIPv4(s));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['eth0', true],
    ['br-lan.10', true],
    ['a', true],
    ['abcdefghijklmno', true],
    ['abcdefghijklmnop', false],
    ['Eth0', false],
    ['0eth', false],
    ['eth 0', false],
  ])('interface name %s → %s', (word, ok) => {
    expect(check(InterfaceName(), word) === undefined).toBe(ok);
  });

  it('explain invalid values in operator words', () => {
    expect(check(Ipv4Prefix(), '192.0.2.1')).toBe(
      'must be an IPv4 address with a prefix length 0-32, such as 192.0.2.1/24',
    );
    expect(check(Ipv6Address(), 'x')).toBe('must be an IPv6 address such as 2001:db8::1');
    expect(check(InterfaceName(), 'X')).toMatch(/^must be an interface name/);
    expect(check(IntegerRange(1, 255), '300')).toBe('must be 1-255');
    expect(check(IntegerRange(1, 255), 'abc')).toBe('must be 1-255');
    expect(check(IntegerRange(1, 255), '1.5')).toBe('must be 1-255');
    expect(check(Text(1, 3), 'abcd')).toBe('must be 1-3 characters');
    expect(check(Choice({ a: 'A', b: 'B' }), 'c')).toBe('must be one of: a, b');
    expect(check(Type.Integer({ minimum: 5 }), '1')).toBe('must be at least 5');
    expect(check(Type.String({ maxLength: 2 }), 'abc')).toBe('must be at most 2 characters');
    expect(check(Type.Integer(), 'x')).toBe('must be a whole number');
  });

  it('name union branches when the union has no message of its own', () => {
    const union = AnyOf([Ipv4Prefix(), Type.Literal('dhcp')]);
    expect(check(union, 'x')).toBe('must be one of: IPv4 address and prefix length (x.x.x.x/x), dhcp');
    expect(check(AnyOf([Ipv4Prefix(), Ipv6Prefix()], 'custom text'), 'x')).toBe('custom text');
    expect(check(union, 'dhcp')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(check(Text(1, 2), '😀😀')).toBeUndefined();
  });
});

describe('help and typing of words', () => {
  it('types words as numbers only where the schema takes numbers', () => {
    expect(wordToValue(IntegerRange(1, 9), '5')).toBe(5);
    expect(wordToValue(IntegerRange(1, 9), '05')).toBe('05');
    expect(wordToValue(IntegerRange(1, 9), '-3')).toBe(-3);
    expect(wordToValue(Text(1, 9), '5')).toBe('5');
    expect(wordToValue(AnyOf([IntegerRange(1, 9), Type.Literal('auto')]), '5')).toBe(5);
    expect(admitsNumber(Type.Number())).toBe(true);
  });

  it('gives type help, keyword choices and the expected value', () => {
    const choice = Choice({ admin: 'Administrator', operator: 'Operator' });
    expect(choicesOf(choice)).toEqual([
      { value: 'admin', help: 'Administrator' },
      { value: 'operator', help: 'Operator' },
    ]);
    expect(valueHelpOf(choice)).toBe('');
    expect(expectedValueOf(choice)).toBe('one of: admin, operator');
    const address = AnyOf([Ipv4Prefix(), Ipv6Prefix(), Type.Literal('dhcp', { description: 'DHCP' })]);
    expect(valueHelpOf(address)).toBe(
      'IPv4 address and prefix length (x.x.x.x/x) or IPv6 address and prefix length (h:h:h:h:h:h:h:h/x)',
    );
    expect(choicesOf(address)).toEqual([{ value: 'dhcp', help: 'DHCP' }]);
    expect(expectedValueOf(address)).toMatch(/ or dhcp$/);
    expect(valueHelpOf(IntegerRange(1, 255))).toBe('number 1-255');
    expect(valueHelpOf(Type.Integer())).toBe('number');
    expect(valueHelpOf(Type.String())).toBe('text');
    expect(choicesOf(Type.Unsafe({ enum: ['x', 'y'], description: 'E' }))).toEqual([
      { value: 'x', help: 'E' },
      { value: 'y', help: 'E' },
    ]);
  });
});
