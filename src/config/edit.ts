// `set` and `delete` on a candidate tree, with the semantics of the Vyatta CLI. Both return a new
// tree (unchanged subtrees shared) and report every refusal as a ConfigPathError on the path as typed.

import { ConfigPathError } from '../errors.js';
import type { PathStep, SchemaRegistry } from './registry.js';
import { expectedValueOf, tagKeyOf, valueSchemaOf } from './schemaNodes.js';
import {
  type ConfigTree,
  type ConfigValue,
  childValue,
  isConfigTree,
  withChild,
  withoutChild,
} from './tree.js';
import { valueProblem, wordToValue } from './valueCheck.js';

/**
 * Creates the node and any missing ancestors. A single-value leaf takes the new value, a multi-value
 * leaf gains it (once; entry order kept), a tag instance is created, a flag is set. New tag
 * instance names are checked against the tag's key schema wherever they appear in the path.
 */
export function setPath(tree: ConfigTree, registry: SchemaRegistry, words: readonly string[]): ConfigTree {
  if (words.length === 0) throw new ConfigPathError([], 'nothing to set: give a configuration path');
  const at = registry.nodeAt(words);
  checkNewInstances(tree, at.steps);
  const path = at.steps.map((step) => step.word);
  switch (at.kind) {
    case 'tag': {
      const key = tagKeyOf(at.schema);
      throw new ConfigPathError(words, `missing instance name (${expectedValueOf(key)})`);
    }
    case 'container':
    case 'instance':
      return updateAt(tree, path, 0, (old) => (isConfigTree(old) ? old : {}));
    case 'flag':
      if (at.values.length) throw new ConfigPathError(words, 'is a flag: it takes no value');
      return updateAt(tree, path, 0, () => true);
    case 'leaf':
    case 'multi': {
      const schema = valueSchemaOf(at.schema);
      const [word, ...extra] = at.values;
      if (word === undefined) throw new ConfigPathError(words, `missing value (${expectedValueOf(schema)})`);
      if (extra.length) {
        throw new ConfigPathError(words, 'takes one value; quote a value that contains spaces');
      }
      const value = wordToValue(schema, word);
      const problem = valueProblem(schema, value);
      if (problem) throw new ConfigPathError(words, problem);
      if (at.kind === 'leaf') return updateAt(tree, path, 0, () => value);
      return updateAt(tree, path, 0, (old) =>
        !Array.isArray(old) ? [value] : old.includes(value) ? old : [...old, value],
      );
    }
  }
}

/** Existing instances are left alone (a loaded file may hold a bad name that delete must reach). */
function checkNewInstances(tree: ConfigTree, steps: readonly PathStep[]): void {
  let node: ConfigValue | undefined = tree;
  for (const [i, step] of steps.entries()) {
    const existing: ConfigValue | undefined = isConfigTree(node) ? childValue(node, step.word) : undefined;
    if (step.tagValue && existing === undefined) {
      const key = tagKeyOf((steps[i - 1] as PathStep).schema);
      const problem = valueProblem(key, wordToValue(key, step.word));
      if (problem)
        throw new ConfigPathError(
          steps.slice(0, i + 1).map((s) => s.word),
          problem,
        );
    }
    node = existing;
  }
}

function updateAt(
  node: ConfigTree,
  path: readonly string[],
  i: number,
  change: (old: ConfigValue | undefined) => ConfigValue,
): ConfigTree {
  const word = path[i] as string;
  const old = childValue(node, word);
  if (i === path.length - 1) return withChild(node, word, change(old));
  return withChild(node, word, updateAt(isConfigTree(old) ? old : {}, path, i + 1, change));
}

/**
 * Removes a subtree, a leaf, a flag, or one value of a multi-value leaf (`… address 192.0.2.1/24`);
 * a single-value leaf may be named with its value, which must match.
 *
 * Pruning: ancestors left empty by the delete are removed up to the nearest tag instance. A
 * container only holds children, and leaving `vrrp { }` behind after deleting its last child would
 * keep a node the operator never asked for (and a present-but-empty container can mean "enabled").
 * A tag instance stays even when emptied: the operator named it (`set … rule 10`), and its
 * existence is configuration. A tag node left without instances is removed. Empty containers the
 * operator created on purpose elsewhere are untouched.
 */
export function deletePath(tree: ConfigTree, registry: SchemaRegistry, words: readonly string[]): ConfigTree {
  if (words.length === 0) throw new ConfigPathError([], 'nothing to delete: give a configuration path');
  const at = registry.nodeAt(words);
  const existing = valueAt(tree, at.steps);
  if (existing === undefined) throw new ConfigPathError(words, 'nothing to delete: the node is not set');
  const [word, ...extra] = at.values;
  if (extra.length) throw new ConfigPathError(words, 'takes one value; quote a value that contains spaces');
  let replacement: ConfigValue | undefined;
  if (word !== undefined) {
    if (at.kind === 'flag') throw new ConfigPathError(words, 'is a flag: it takes no value');
    if (at.kind === 'leaf' && String(existing) !== word) {
      throw new ConfigPathError(words, `is not the value set (the value is '${String(existing)}')`);
    }
    if (at.kind === 'multi') {
      const values = Array.isArray(existing) ? existing : [];
      if (!values.some((v) => String(v) === word)) {
        throw new ConfigPathError(words, `is not one of the values set (${values.join(', ')})`);
      }
      const rest = values.filter((v) => String(v) !== word);
      replacement = rest.length ? rest : undefined;
    }
  }
  return removeAt(tree, at.steps, 0, replacement);
}

function valueAt(tree: ConfigTree, steps: readonly PathStep[]): ConfigValue | undefined {
  let node: ConfigValue | undefined = tree;
  for (const step of steps) node = isConfigTree(node) ? childValue(node, step.word) : undefined;
  return node;
}

function removeAt(
  node: ConfigTree,
  steps: readonly PathStep[],
  i: number,
  replacement: ConfigValue | undefined,
): ConfigTree {
  const step = steps[i] as PathStep;
  if (i === steps.length - 1) {
    return replacement === undefined
      ? withoutChild(node, step.word)
      : withChild(node, step.word, replacement);
  }
  const updated = removeAt(childValue(node, step.word) as ConfigTree, steps, i + 1, replacement);
  if (Object.keys(updated).length === 0 && !step.tagValue) return withoutChild(node, step.word);
  return withChild(node, step.word, updated);
}
