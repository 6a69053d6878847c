// Schema constructors for the configuration tree. Each node is plain JSON Schema (TypeBox, checked by
// ajv) plus `x-tandem-*` annotations that say which CLI node kind it is, so the registry, the
// config.boot converter, completion and validation can walk one schema for everything.

import {
  CloneType,
  type Static,
  type TInteger,
  type TLiteral,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
  type TString,
  type TUnion,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';
import { TandemError } from '../errors.js';

/** Node kind of a schema node: `container`, `tag`, `leaf`, `multi` (multi-value leaf) or `flag`. */
export const KIND = 'x-tandem-kind';
/** On a tag node: the schema every instance name must satisfy (ajv does not check object keys). */
export const TAG_KEY = 'x-tandem-key';
/** On a value type: short type help for completion, e.g. `IPv4 prefix (x.x.x.x/x)`. */
export const VALUE_HELP = 'x-tandem-help';
/** On a value type: the operator-facing text when a value does not match, e.g. `must be 1-255`. */
export const VALUE_MESSAGE = 'x-tandem-message';
/** On a child of a container: must be present whenever its parent is. */
export const MANDATORY = 'x-tandem-mandatory';
/** On a container created by the registry only to hold registrations below it. */
export const IMPLICIT = 'x-tandem-implicit';
/** Every annotation keyword, declared to ajv so strict mode accepts them. */
export const ANNOTATIONS = [KIND, TAG_KEY, VALUE_HELP, VALUE_MESSAGE, MANDATORY, IMPLICIT];

export type NodeKind = 'container' | 'tag' | 'leaf' | 'multi' | 'flag';

export interface NodeOptions {
  /** Help text shown by completion and `?`; mandatory on every node. */
  description: string;
  /** The node must exist whenever its parent does (the guide's "Mandatory"). */
  mandatory?: boolean;
}

/** A plain-JSON view of a schema node, to read annotations without casts at every use. */
type SchemaRecord = Record<string, unknown>;
const fields = (schema: TSchema): SchemaRecord => schema as unknown as SchemaRecord;

function nodeAnnotations(kind: NodeKind, opts: NodeOptions): SchemaRecord {
  if (!opts.description?.trim()) {
    throw new TandemError('SCHEMA_INVALID', `a ${kind} node needs a description (help text)`);
  }
  return { description: opts.description, [KIND]: kind, ...(opts.mandatory ? { [MANDATORY]: true } : {}) };
}

/** Children are optional unless marked mandatory; the static type keeps them all optional. */
function asChild(schema: TSchema): TSchema {
  return fields(schema)[MANDATORY] === true ? schema : Type.Optional(schema);
}

export type ContainerOf<P extends TProperties> = TObject<{ [K in keyof P]: TOptional<P[K]> }>;

/** A node that groups named children: `system { … }`. Unknown children are rejected. */
export function Container<P extends TProperties>(props: P, opts: NodeOptions): ContainerOf<P> {
  const children: TProperties = {};
  for (const [word, child] of Object.entries(props)) {
    Object.defineProperty(children, word, { value: asChild(child), enumerable: true, writable: true });
  }
  return Type.Object(children, {
    ...nodeAnnotations('container', opts),
    additionalProperties: false,
  }) as ContainerOf<P>;
}

/**
 * A keyword whose instances each own a subtree: `rule 10 { … }`. JSON shape: an object keyed by the
 * instance name; the key schema lives in the `x-tandem-key` annotation and is checked by the walk in
 * validate.ts, because JSON object keys are always strings (an integer range cannot be expressed).
 * `additionalProperties` (rather than TypeBox's Record pattern) applies the body to every key,
 * including keys with newlines that `^(.*)$` would miss. A tag node without instances cannot be
 * written in config.boot, so it is invalid (`minProperties`); delete removes it with its last instance.
 */
export function TagNode<K extends TSchema, B extends TObject>(
  key: K,
  body: B,
  opts: NodeOptions,
): TUnsafe<Record<string, Static<B>>> {
  if (kindOf(body) !== 'container') {
    throw new TandemError('SCHEMA_INVALID', 'the body of a tag node must be a Container');
  }
  return Type.Unsafe<Record<string, Static<B>>>({
    ...nodeAnnotations('tag', opts),
    type: 'object',
    additionalProperties: body,
    minProperties: 1,
    [TAG_KEY]: key,
  });
}

/** A single-value leaf: `host-name R1`. The value schema is cloned so shared value types stay intact. */
export function Leaf<T extends TSchema>(value: T, opts: NodeOptions & { default?: Static<T> }): T {
  return CloneType(value, {
    ...nodeAnnotations('leaf', opts),
    ...(opts.default !== undefined ? { default: opts.default } : {}),
  });
}

/** A leaf repeated once per value (`address a` / `address b`); JSON: an array, entry order kept. */
export function MultiLeaf<T extends TSchema>(value: T, opts: NodeOptions) {
  return Type.Array(value, { ...nodeAnnotations('multi', opts), uniqueItems: true, minItems: 1 });
}

/** A valueless leaf printed as the bare word (`disable`); JSON: `true`. */
export function Flag(opts: NodeOptions): TLiteral<true> {
  return Type.Literal(true, nodeAnnotations('flag', opts));
}

// ---- value types -------------------------------------------------------------------------------

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H16 = '[0-9a-fA-F]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const upTo = (n: number) => `(?:(?:${H16}:){0,${n}}${H16})?`;
// RFC 3986 §3.2.2 IPv6address, one alternative per position of the `::`.
const IPV6 = `(?:${[
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `${upTo(1)}::(?:${H16}:){3}${LS32}`,
  `${upTo(2)}::(?:${H16}:){2}${LS32}`,
  `${upTo(3)}::${H16}:${LS32}`,
  `${upTo(4)}::${LS32}`,
  `${upTo(5)}::${H16}`,
  `${upTo(6)}::`,
].join('|')})`;
const V4_LENGTH = '(?:3[0-2]|[12]?[0-9])';
const V6_LENGTH = '(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])';

function valueType(pattern: string, help: string, message: string): TString {
  return Type.String({ pattern: `^${pattern}$`, [VALUE_HELP]: help, [VALUE_MESSAGE]: message });
}

export function Ipv4Address(): TString {
  return valueType(IPV4, 'IPv4 address (x.x.x.x)', 'must be an IPv4 address such as 192.0.2.1');
}

/** An address with its prefix length, host bits allowed (an interface address). */
export function Ipv4Prefix(): TString {
  return valueType(
    `${IPV4}/${V4_LENGTH}`,
    'IPv4 address and prefix length (x.x.x.x/x)',
    'must be an IPv4 address with a prefix length 0-32, such as 192.0.2.1/24',
  );
}

export function Ipv6Address(): TString {
  return valueType(IPV6, 'IPv6 address (h:h:h:h:h:h:h:h)', 'must be an IPv6 address such as 2001:db8::1');
}

export function Ipv6Prefix(): TString {
  return valueType(
    `${IPV6}/${V6_LENGTH}`,
    'IPv6 address and prefix length (h:h:h:h:h:h:h:h/x)',
    'must be an IPv6 address with a prefix length 0-128, such as 2001:db8::1/64',
  );
}

/** Linux limits names to 15 bytes (IFNAMSIZ - 1). */
export function InterfaceName(): TString {
  return valueType(
    '[a-z][a-z0-9._-]{0,14}',
    'interface name (e.g. eth0)',
    'must be an interface name: a lowercase letter then up to 14 of a-z, 0-9, ".", "_", "-"',
  );
}

export function IntegerRange(minimum: number, maximum: number): TInteger {
  return Type.Integer({
    minimum,
    maximum,
    [VALUE_HELP]: `number ${minimum}-${maximum}`,
    [VALUE_MESSAGE]: `must be ${minimum}-${maximum}`,
  });
}

export function Text(minLength: number, maxLength: number): TString {
  return Type.String({
    minLength,
    maxLength,
    [VALUE_HELP]: `text (${minLength}-${maxLength} characters)`,
    [VALUE_MESSAGE]: `must be ${minLength}-${maxLength} characters`,
  });
}

/** A string matching `pattern`, with the operator's words for help and for the error. */
export function Pattern(pattern: string, help: string, message: string): TString {
  return valueType(pattern, help, message);
}

/** One of a few keywords, each with its own help: `level admin|operator`. */
export function Choice<V extends string>(values: Record<V, string>): TUnion<TLiteral<V>[]> {
  const words = Object.keys(values) as V[];
  return Type.Union(
    words.map((word) => Type.Literal(word, { description: values[word] })),
    { [VALUE_HELP]: `one of: ${words.join(', ')}`, [VALUE_MESSAGE]: `must be one of: ${words.join(', ')}` },
  );
}

/** A union of value types, e.g. an IPv4 prefix, an IPv6 prefix or `dhcp`, with one error text. */
export function AnyOf<T extends TSchema[]>(types: [...T], message?: string) {
  return Type.Union(types, message ? { [VALUE_MESSAGE]: message } : {});
}

// ---- reading schemas ---------------------------------------------------------------------------

export function kindOf(schema: TSchema): NodeKind | undefined {
  const kind = fields(schema)[KIND];
  return typeof kind === 'string' ? (kind as NodeKind) : undefined;
}

export function descriptionOf(schema: TSchema): string {
  const description = fields(schema)['description'];
  return typeof description === 'string' ? description : '';
}

export function isMandatory(schema: TSchema): boolean {
  return fields(schema)[MANDATORY] === true;
}

/** The children of a container (or tag body), own properties only. */
export function childrenOf(container: TSchema): Record<string, TSchema> {
  const properties = fields(container)['properties'];
  return (properties ?? {}) as Record<string, TSchema>;
}

/** One child by word; `constructor` or `__proto__` typed by an operator must not hit Object.prototype. */
export function childOf(container: TSchema, word: string): TSchema | undefined {
  const children = childrenOf(container);
  return Object.hasOwn(children, word) ? children[word] : undefined;
}

export function tagKeyOf(tag: TSchema): TSchema {
  return fields(tag)[TAG_KEY] as TSchema;
}

export function tagBodyOf(tag: TSchema): TSchema {
  return fields(tag)['additionalProperties'] as TSchema;
}

/** The schema one value must satisfy: the leaf itself, or a multi-value leaf's item schema. */
export function valueSchemaOf(node: TSchema): TSchema {
  return kindOf(node) === 'multi' ? (fields(node)['items'] as TSchema) : node;
}

export function defaultOf(node: TSchema): unknown {
  return fields(node)['default'];
}

function branchesOf(schema: TSchema): TSchema[] | undefined {
  const anyOf = fields(schema)['anyOf'];
  return Array.isArray(anyOf) ? (anyOf as TSchema[]) : undefined;
}

/** Keyword values a value schema accepts (consts and enums), each with its help. */
export function choicesOf(schema: TSchema): { value: string; help: string }[] {
  const own = fields(schema);
  if (own['const'] !== undefined) return [{ value: String(own['const']), help: descriptionOf(schema) }];
  if (Array.isArray(own['enum'])) {
    return own['enum'].map((value) => ({ value: String(value), help: descriptionOf(schema) }));
  }
  return (branchesOf(schema) ?? []).flatMap(choicesOf);
}

/** Type help of the free-form (non-keyword) part of a value schema; '' when there is none. */
export function valueHelpOf(schema: TSchema): string {
  const own = fields(schema);
  if (own['const'] !== undefined || Array.isArray(own['enum'])) return '';
  const branches = branchesOf(schema);
  if (branches) {
    return branches
      .map(valueHelpOf)
      .filter((help) => help !== '')
      .join(' or ');
  }
  if (typeof own[VALUE_HELP] === 'string') return own[VALUE_HELP];
  if (own['type'] === 'integer' || own['type'] === 'number') return 'number';
  return 'text';
}

/** Whether a word that looks like a number should be stored as a JSON number for this schema. */
export function admitsNumber(schema: TSchema): boolean {
  const own = fields(schema);
  if (own['type'] === 'integer' || own['type'] === 'number') return true;
  return (branchesOf(schema) ?? []).some(admitsNumber);
}

/** What a value should look like, for "missing value" messages: type help, else the keywords. */
export function expectedValueOf(schema: TSchema): string {
  const help = fields(schema)[VALUE_HELP];
  if (typeof help === 'string') return help;
  const parts = [valueHelpOf(schema), ...choicesOf(schema).map((choice) => choice.value)];
  return parts.filter((part) => part !== '').join(' or ') || 'a value';
}
