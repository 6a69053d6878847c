// One configuration schema assembled from every feature's subtree. A feature registers at a path in
// which `*` stands for "any tag instance" (`interfaces ethernet * vrrp`); the registry merges, refuses
// conflicts, and walks words as typed to the schema node they name.

import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { ConfigPathError, TandemError } from '../errors.js';
import {
  childOf,
  childrenOf,
  Container,
  descriptionOf,
  IMPLICIT,
  isMandatory,
  KIND,
  kindOf,
  type NodeKind,
  TAG_KEY,
  tagBodyOf,
  tagKeyOf,
} from './schemaNodes.js';

/** Help for top-level words that features only register below (`interfaces ethernet`, `system login`). */
const TOP_LEVEL_HELP: Record<string, string> = {
  interfaces: 'Network interfaces',
  system: 'System parameters',
  service: 'Services',
  'load-balancing': 'Load balancing',
  cluster: 'Clustering of routers',
  protocols: 'Routing protocols',
  'high-availability': 'High availability',
};

export interface PathStep {
  word: string;
  /** True when the word names a tag instance (`eth0` in `ethernet eth0`) rather than a keyword. */
  tagValue: boolean;
  /** The node the word leads to (for a tag value: the tag's body). */
  schema: TSchema;
}

export interface ResolvedPath {
  /** `instance` = inside a tag instance (its schema is the tag's body container). */
  kind: NodeKind | 'instance';
  schema: TSchema;
  steps: PathStep[];
  /** Words after a leaf or flag: its value(s), as typed. Empty for every other kind. */
  values: string[];
}

type Fields = Record<string, unknown>;
const fields = (schema: TSchema): Fields => schema as unknown as Fields;

/** "expected one of: a, b" for an unknown word under `container`. */
export function allowedWords(container: TSchema): string {
  const words = Object.keys(childrenOf(container)).sort();
  return words.length ? `expected one of: ${words.join(', ')}` : 'nothing can be configured here';
}

export class SchemaRegistry {
  #root: TObject = Container({}, { description: 'Configuration root' });
  #owners: { feature: string; path: string[] }[] = [];
  #version = 0;

  /** Increases with every registration; validators compiled for an older root are stale. */
  get version(): number {
    return this.#version;
  }

  root(): TObject {
    return this.#root;
  }

  register(feature: string, path: readonly string[], schema: TSchema): void {
    const where = `feature '${feature}' at '${path.join(' ')}'`;
    if (path.length === 0) throw new TandemError('SCHEMA_INVALID', `${where}: the path is empty`);
    if (path[path.length - 1] === '*') {
      throw new TandemError('SCHEMA_INVALID', `${where}: the path cannot end in a tag instance '*'`);
    }
    checkDescribed(schema, [...path]);
    this.#root = insertAt(this.#root, path, 0, schema, where, this.#ownerOf(path)) as TObject;
    this.#owners.push({ feature, path: [...path] });
    this.#version++;
  }

  /** The feature whose registration covers a concrete path (the deepest one wins). */
  featureAt(words: readonly string[]): string | undefined {
    return this.#ownerOf(words);
  }

  /**
   * Every feature with configuration at or below `words`: the owner of the path and the features
   * registered inside the subtree it names (a change of `interfaces` touches `interfaces ethernet *
   * vrrp` too).
   */
  featuresTouching(words: readonly string[]): Set<string> {
    const found = new Set<string>();
    const owner = this.#ownerOf(words);
    if (owner) found.add(owner);
    for (const o of this.#owners) {
      if (o.path.length > words.length && words.every((w, i) => o.path[i] === '*' || o.path[i] === w)) {
        found.add(o.feature);
      }
    }
    return found;
  }

  #ownerOf(words: readonly string[]): string | undefined {
    let best: { feature: string; path: string[] } | undefined;
    for (const owner of this.#owners) {
      const covers =
        owner.path.length <= words.length && owner.path.every((w, i) => w === '*' || w === words[i]);
      if (covers && (!best || owner.path.length > best.path.length)) best = owner;
    }
    return best?.feature;
  }

  /**
   * Walks words as typed (`interfaces ethernet eth0 address`) to their schema node. Words after a
   * leaf or flag are returned as `values`; an unknown keyword throws ConfigPathError with the path up
   * to that word and the words allowed there. Tag values are not checked here (delete and
   * completion must reach instances whatever their name); set checks them.
   */
  nodeAt(words: readonly string[]): ResolvedPath {
    let kind: ResolvedPath['kind'] = 'container';
    let schema: TSchema = this.#root;
    const steps: PathStep[] = [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (kind === 'leaf' || kind === 'multi' || kind === 'flag') {
        return { kind, schema, steps, values: words.slice(i) };
      }
      if (kind === 'tag') {
        schema = tagBodyOf(schema);
        kind = 'instance';
        steps.push({ word, tagValue: true, schema });
        continue;
      }
      const child = childOf(schema, word);
      if (!child) {
        throw new ConfigPathError(words.slice(0, i + 1), `unknown word '${word}'; ${allowedWords(schema)}`);
      }
      schema = child;
      kind = kindOf(child) ?? 'container';
      steps.push({ word, tagValue: false, schema });
    }
    return { kind, schema, steps, values: [] };
  }
}

/** Help text is mandatory on every node: completion and `?` show it. */
function checkDescribed(schema: TSchema, path: string[]): void {
  const kind = kindOf(schema);
  if (!kind) {
    throw new TandemError(
      'SCHEMA_INVALID',
      `'${path.join(' ')}' is not a schema node (build it with Container, TagNode, Leaf, MultiLeaf or Flag)`,
    );
  }
  if (!descriptionOf(schema).trim()) {
    throw new TandemError('SCHEMA_INVALID', `'${path.join(' ')}' has no description (help text)`);
  }
  if (kind === 'container') {
    for (const [word, child] of Object.entries(childrenOf(schema))) checkDescribed(child, [...path, word]);
  } else if (kind === 'tag') {
    for (const [word, child] of Object.entries(childrenOf(tagBodyOf(schema)))) {
      checkDescribed(child, [...path, '*', word]);
    }
  }
}

// Nodes are rebuilt along the registration path, never edited: compiled validators and callers that
// still hold an older root keep a consistent schema.
function rebuildContainer(container: TSchema, children: Record<string, TSchema>): TSchema {
  const { type: _t, properties: _p, required: _r, ...options } = fields(container);
  const properties: Record<string, TSchema> = {};
  for (const [word, child] of Object.entries(children)) {
    Object.defineProperty(properties, word, {
      value: isMandatory(child) ? child : Type.Optional(child),
      enumerable: true,
      writable: true,
    });
  }
  return Type.Object(properties, options);
}

function rebuildTag(tag: TSchema, body: TSchema): TSchema {
  return Type.Unsafe({ ...fields(tag), additionalProperties: body, [TAG_KEY]: tagKeyOf(tag) });
}

function withChild(container: TSchema, word: string, child: TSchema): TSchema {
  const children = { ...childrenOf(container) };
  Object.defineProperty(children, word, { value: child, enumerable: true, writable: true });
  return rebuildContainer(container, children);
}

function insertAt(
  container: TSchema,
  path: readonly string[],
  i: number,
  schema: TSchema,
  where: string,
  owner: string | undefined,
): TSchema {
  const word = path[i] as string;
  const at = path.slice(0, i + 1).join(' ');
  if (word === '*') throw new TandemError('SCHEMA_INVALID', `${where}: '${at}' is not under a tag node`);
  const existing = childOf(container, word);
  if (i === path.length - 1) {
    const merged = existing ? mergeNodes(existing, schema, `${where}: '${at}'`, owner) : schema;
    return withChild(container, word, merged);
  }
  let parent = existing;
  if (!parent) {
    const help = i === 0 ? TOP_LEVEL_HELP[word] : undefined;
    if (!help) {
      throw new TandemError('SCHEMA_INVALID', `${where}: register '${at}' (with its help text) first`);
    }
    parent = Type.Object(
      {},
      { description: help, additionalProperties: false, [KIND]: 'container', [IMPLICIT]: true },
    );
  }
  const kind = kindOf(parent);
  if (kind === 'container') {
    return withChild(container, word, insertAt(parent, path, i + 1, schema, where, owner));
  }
  if (kind === 'tag') {
    if (path[i + 1] !== '*') {
      throw new TandemError('SCHEMA_INVALID', `${where}: '${at}' is a tag node, write '*' for its instances`);
    }
    const body = insertAt(tagBodyOf(parent), path, i + 2, schema, where, owner);
    return withChild(container, word, rebuildTag(parent, body));
  }
  throw new TandemError(
    'SCHEMA_CONFLICT',
    `${where}: '${at}' is a ${kind}, nothing can be registered below it`,
  );
}

/**
 * Two registrations meet at one path: containers merge child by child (an implicit container takes
 * the explicit one's help); anything else is a conflict, reported with the first owner.
 */
function mergeNodes(existing: TSchema, incoming: TSchema, where: string, owner: string | undefined): TSchema {
  const conflict = () =>
    new TandemError('SCHEMA_CONFLICT', `${where} is already registered${owner ? ` by '${owner}'` : ''}`);
  if (kindOf(existing) !== 'container' || kindOf(incoming) !== 'container') throw conflict();
  const implicit = fields(existing)[IMPLICIT] === true;
  if (!implicit && descriptionOf(existing) !== descriptionOf(incoming)) throw conflict();
  const children = { ...childrenOf(existing) };
  for (const [word, child] of Object.entries(childrenOf(incoming))) {
    const mine = Object.hasOwn(children, word) ? children[word] : undefined;
    const merged = mine ? mergeNodes(mine, child, `${where} ${word}`, owner) : child;
    Object.defineProperty(children, word, { value: merged, enumerable: true, writable: true });
  }
  return rebuildContainer(implicit ? incoming : existing, children);
}
