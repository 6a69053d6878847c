// The configuration tree as plain JSON, and its conversion to and from config.boot syntax. The
// schema decides what each word is: containers and tag nodes are objects (a tag's keys are its
// instance names), leaves strings or numbers, multi-value leaves arrays, flags `true`.
// Trees are values: functions here and in edit.ts return new objects and share unchanged subtrees,
// so nothing may mutate a tree in place.

import type { TSchema } from '@sinclair/typebox';
import { ConfigPathError, ConfigSyntaxError } from '../errors.js';
import type { BootNode } from './bootSyntax.js';
import { allowedWords, type SchemaRegistry } from './registry.js';
import {
  admitsNumber,
  childOf,
  childrenOf,
  defaultOf,
  kindOf,
  tagBodyOf,
  tagKeyOf,
  expectedValueOf,
  valueSchemaOf,
} from './schemaNodes.js';
import { wordToValue } from './valueCheck.js';

export type ConfigScalar = string | number;
export type ConfigValue = ConfigScalar | true | ConfigScalar[] | ConfigTree;
export interface ConfigTree {
  [word: string]: ConfigValue;
}

export function isConfigTree(value: unknown): value is ConfigTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A child by word, own properties only: a tag instance named `constructor` must not find a function. */
export function childValue(tree: ConfigTree, word: string): ConfigValue | undefined {
  return Object.hasOwn(tree, word) ? tree[word] : undefined;
}

/** A copy of `tree` with one child set (computed keys define own properties, even `__proto__`). */
export function withChild(tree: ConfigTree, word: string, value: ConfigValue): ConfigTree {
  return { ...tree, [word]: value };
}

export function withoutChild(tree: ConfigTree, word: string): ConfigTree {
  const { [word]: _removed, ...rest } = tree;
  return rest;
}

/** Code-unit order: stable across locales, and what Vyatta's alphabetical order means for ASCII words. */
export function compareWords(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Key order when the schema is not at hand: integers numerically (`rule 5` before `rule 10`). */
export function compareKeys(a: string, b: string): number {
  const integer = /^-?[0-9]+$/;
  if (integer.test(a) && integer.test(b)) return Number(a) - Number(b) || compareWords(a, b);
  return compareWords(a, b);
}

/** Tag instances print in numeric order when the key is a number (`rule 5` before `rule 10`). */
export function tagKeyOrder(tag: TSchema): (a: string, b: string) => number {
  if (!admitsNumber(tagKeyOf(tag))) return compareWords;
  return (a, b) => {
    const x = Number(a);
    const y = Number(b);
    const xn = a.trim() !== '' && Number.isFinite(x);
    const yn = b.trim() !== '' && Number.isFinite(y);
    if (xn && yn) return x - y || compareWords(a, b);
    return xn ? -1 : yn ? 1 : compareWords(a, b);
  };
}

// ---- config.boot → tree ------------------------------------------------------------------------

/**
 * Converts parsed config.boot nodes to a tree. Structure is checked here, with file positions
 * (unknown word, value on a container, block on a leaf, repeats); values are only typed (integer
 * leaves become numbers) and are checked by validateTree, so a loaded file reports every bad value
 * with its path at commit. Comments are not kept: the tree is plain JSON.
 */
export function treeFromBoot(
  nodes: readonly BootNode[],
  registry: SchemaRegistry,
  file?: string,
): ConfigTree {
  return containerFromBoot(nodes, registry.root(), [], file);
}

function containerFromBoot(
  nodes: readonly BootNode[],
  container: TSchema,
  path: string[],
  file: string | undefined,
): ConfigTree {
  const out = new Map<string, ConfigValue | Map<string, ConfigTree>>();
  for (const node of nodes) {
    const fail = (detail: string) => new ConfigSyntaxError(node.line, node.column, detail, file);
    const schema = childOf(container, node.name);
    if (!schema) {
      const where = path.length ? `under '${path.join(' ')}'` : 'at the top level';
      throw fail(`unknown node '${node.name}' ${where}; ${allowedWords(container)}`);
    }
    const nodePath = [...path, node.name];
    const name = `'${nodePath.join(' ')}'`;
    const previous = out.get(node.name);
    const kind = kindOf(schema);
    if (kind === 'tag') {
      if (node.value === undefined) {
        throw fail(
          `${name} needs an instance name: ${node.name} <${expectedValueOf(tagKeyOf(schema))}> { … }`,
        );
      }
      const instances = previous instanceof Map ? previous : new Map<string, ConfigTree>();
      if (instances.has(node.value)) throw fail(`'${[...nodePath, node.value].join(' ')}' appears twice`);
      const body = containerFromBoot(node.children ?? [], tagBodyOf(schema), [...nodePath, node.value], file);
      instances.set(node.value, body);
      out.set(node.name, instances);
      continue;
    }
    if (kind === 'container') {
      if (node.value !== undefined) throw fail(`${name} takes no value, only a { … } block`);
      if (previous !== undefined) throw fail(`${name} appears twice`);
      // A bare `name` line is read as an empty block; it prints back as `name {` `}`.
      out.set(node.name, containerFromBoot(node.children ?? [], schema, nodePath, file));
      continue;
    }
    if (node.children) throw fail(`${name} is a value, not a { … } block`);
    if (kind === 'flag') {
      if (node.value !== undefined) throw fail(`${name} is a flag: it takes no value`);
      if (previous !== undefined) throw fail(`${name} appears twice`);
      out.set(node.name, true);
      continue;
    }
    if (node.value === undefined)
      throw fail(`${name} needs a value: ${node.name} <${expectedValueOf(valueSchemaOf(schema))}>`);
    if (kind === 'multi') {
      const item = valueSchemaOf(schema);
      const values = Array.isArray(previous) ? previous : [];
      const value = wordToValue(item, node.value);
      if (values.includes(value)) throw fail(`'${[...nodePath, node.value].join(' ')}' appears twice`);
      out.set(node.name, [...values, value]);
    } else {
      if (previous !== undefined) throw fail(`${name} has one value but appears twice`);
      out.set(node.name, wordToValue(schema, node.value));
    }
  }
  return Object.fromEntries(
    [...out].map(([word, value]) => [word, value instanceof Map ? Object.fromEntries(value) : value]),
  );
}

// ---- tree → config.boot ------------------------------------------------------------------------

/**
 * The canonical config.boot nodes of a tree: children alphabetical, tag instances numeric for
 * numeric keys else lexical, multi-value leaves in stored order. Positions are 0 (not from a file).
 */
export function treeToBoot(tree: ConfigTree, registry: SchemaRegistry): BootNode[] {
  return containerToBoot(tree, registry.root(), []);
}

/** The config.boot nodes of a container's (or tag instance's) children; `path` is for errors. */
export function containerToBoot(tree: ConfigTree, container: TSchema, path: string[]): BootNode[] {
  return Object.keys(tree)
    .sort(compareWords)
    .flatMap((word) => {
      const schema = childOf(container, word);
      if (!schema)
        throw new ConfigPathError([...path, word], `unknown word '${word}'; ${allowedWords(container)}`);
      return nodeToBoot(word, tree[word] as ConfigValue, schema, [...path, word]);
    });
}

/** The config.boot nodes of one tree entry (`path` ends with `word`; used for errors). */
export function nodeToBoot(word: string, value: ConfigValue, schema: TSchema, path: string[]): BootNode[] {
  const at = { line: 0, column: 0 };
  const wrong = (what: string) =>
    new ConfigPathError(path, `must be ${what} (found ${JSON.stringify(value)})`);
  switch (kindOf(schema)) {
    case 'container':
      if (!isConfigTree(value)) throw wrong('a node with children');
      return [{ name: word, children: containerToBoot(value, schema, path), ...at }];
    case 'tag': {
      if (!isConfigTree(value)) throw wrong('a set of instances');
      const body = tagBodyOf(schema);
      return Object.keys(value)
        .sort(tagKeyOrder(schema))
        .map((key) => {
          const instance = value[key];
          if (!isConfigTree(instance))
            throw new ConfigPathError([...path, key], 'must be a node with children');
          return { name: word, value: key, children: containerToBoot(instance, body, [...path, key]), ...at };
        });
    }
    case 'multi':
      if (!Array.isArray(value)) throw wrong('a list of values');
      return value.map((item) => ({ name: word, value: String(item), ...at }));
    case 'flag':
      if (value !== true) throw wrong('true (a flag)');
      return [{ name: word, ...at }];
    default:
      if (typeof value !== 'string' && typeof value !== 'number') throw wrong('a single value');
      return [{ name: word, value: String(value), ...at }];
  }
}

// ---- defaults ----------------------------------------------------------------------------------

/**
 * The tree with schema defaults filled in, for display (`show -all`) and apply; never stored, so a
 * changed default reaches every router. Defaults fill missing leaves of nodes that exist; a missing
 * container is not created for its defaults (its presence may mean "enable").
 */
export function withDefaults(tree: ConfigTree, registry: SchemaRegistry): ConfigTree {
  return fillDefaults(tree, registry.root());
}

function fillDefaults(tree: ConfigTree, container: TSchema): ConfigTree {
  const entries = Object.entries(tree);
  for (const [word, schema] of Object.entries(childrenOf(container))) {
    const value = childValue(tree, word);
    const kind = kindOf(schema);
    if (value === undefined) {
      const fallback = defaultOf(schema);
      if (fallback !== undefined && (kind === 'leaf' || kind === 'multi')) {
        entries.push([word, structuredClone(fallback) as ConfigValue]);
      }
    } else if (kind === 'container' && isConfigTree(value)) {
      entries.push([word, fillDefaults(value, schema)]);
    } else if (kind === 'tag' && isConfigTree(value)) {
      const body = tagBodyOf(schema);
      const instances = Object.entries(value).map(([key, inst]) => [
        key,
        isConfigTree(inst) ? fillDefaults(inst, body) : inst,
      ]);
      entries.push([word, Object.fromEntries(instances)]);
    }
  }
  // Later entries win: a filled subtree replaces the original one.
  return Object.fromEntries(entries);
}
