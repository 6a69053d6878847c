// What a commit changes: a list of changes for the features' apply step, and the operator's
// `compare` view (the candidate in config.boot form with Vyatta's `+`/`-`/`>` margin).

import type { TSchema } from '@sinclair/typebox';
import { ConfigPathError } from '../errors.js';
import { type BootNode, bootLines } from './bootSyntax.js';
import { allowedWords, type SchemaRegistry } from './registry.js';
import { childOf, kindOf, tagBodyOf } from './schemaNodes.js';
import {
  type ConfigScalar,
  type ConfigTree,
  type ConfigValue,
  childValue,
  compareKeys,
  compareWords,
  containerToBoot,
  isConfigTree,
  nodeToBoot,
  tagKeyOrder,
} from './tree.js';

export interface ConfigChange {
  /** Node path; for one value of a multi-value leaf, the leaf path plus the value. */
  path: string[];
  kind: 'added' | 'removed' | 'changed';
  before?: ConfigValue;
  after?: ConfigValue;
}

/**
 * Changes from running to candidate, in tree order. A new or removed node is one change carrying its
 * whole subtree; a changed value is one change; a multi-value leaf changes value by value, or as a
 * whole when the kept values changed order (the order may matter to the feature).
 */
export function diffTrees(running: ConfigTree, candidate: ConfigTree): ConfigChange[] {
  const changes: ConfigChange[] = [];
  diffInto([], running, candidate, changes);
  return changes;
}

function diffInto(
  path: string[],
  before: ConfigValue | undefined,
  after: ConfigValue | undefined,
  out: ConfigChange[],
): void {
  if (before === undefined) {
    if (after !== undefined) out.push({ path, kind: 'added', after });
  } else if (after === undefined) {
    out.push({ path, kind: 'removed', before });
  } else if (isConfigTree(before) && isConfigTree(after)) {
    for (const word of unionKeys(before, after).sort(compareKeys)) {
      diffInto([...path, word], childValue(before, word), childValue(after, word), out);
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    diffValues(path, before, after, out);
  } else if (before !== after) {
    out.push({ path, kind: 'changed', before, after });
  }
}

function diffValues(
  path: string[],
  before: ConfigScalar[],
  after: ConfigScalar[],
  out: ConfigChange[],
): void {
  if (reordered(before, after)) {
    out.push({ path, kind: 'changed', before, after });
    return;
  }
  for (const value of before) {
    if (!after.includes(value)) out.push({ path: [...path, String(value)], kind: 'removed', before: value });
  }
  for (const value of after) {
    if (!before.includes(value)) out.push({ path: [...path, String(value)], kind: 'added', after: value });
  }
}

/** Whether the values present in both lists appear in a different order. */
function reordered(before: readonly ConfigScalar[], after: readonly ConfigScalar[]): boolean {
  const kept = after.filter((value) => before.includes(value));
  return before.filter((value) => after.includes(value)).some((value, i) => value !== kept[i]);
}

function unionKeys(a: ConfigTree, b: ConfigTree): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

type Marker = ' ' | '+' | '-' | '>';

function emit(out: string[], marker: Marker, lines: readonly string[]): void {
  for (const line of lines) out.push(`${marker}${line}`);
}

/**
 * The candidate's changed branches in config.boot form, like Vyatta's `compare`: each line has a
 * one-character margin, `+` added, `-` deleted (printed from running), `>` changed (new value), and
 * a blank for the ancestors that give context. '' when nothing changed.
 */
export function renderCompare(running: ConfigTree, candidate: ConfigTree, registry: SchemaRegistry): string {
  const out: string[] = [];
  compareContainer(running, candidate, registry.root(), 0, [], out);
  return out.length ? `${out.join('\n')}\n` : '';
}

function compareContainer(
  before: ConfigTree,
  after: ConfigTree,
  container: TSchema,
  depth: number,
  path: string[],
  out: string[],
): void {
  for (const word of unionKeys(before, after).sort(compareWords)) {
    const schema = childOf(container, word);
    const wordPath = [...path, word];
    if (!schema) throw new ConfigPathError(wordPath, `unknown word '${word}'; ${allowedWords(container)}`);
    const b = childValue(before, word);
    const a = childValue(after, word);
    switch (kindOf(schema)) {
      case 'container':
        compareBlock({ word }, b, a, schema, depth, wordPath, out);
        break;
      case 'tag': {
        const instancesBefore = isConfigTree(b) ? b : {};
        const instancesAfter = isConfigTree(a) ? a : {};
        for (const key of unionKeys(instancesBefore, instancesAfter).sort(tagKeyOrder(schema))) {
          const ib = childValue(instancesBefore, key);
          const ia = childValue(instancesAfter, key);
          compareBlock({ word, key }, ib, ia, tagBodyOf(schema), depth, [...wordPath, key], out);
        }
        break;
      }
      case 'multi':
        compareValues(word, Array.isArray(b) ? b : [], Array.isArray(a) ? a : [], depth, out);
        break;
      default:
        if (a === b) break;
        if (a === undefined)
          emit(out, '-', bootLines(nodeToBoot(word, b as ConfigValue, schema, wordPath), depth));
        else emit(out, b === undefined ? '+' : '>', bootLines(nodeToBoot(word, a, schema, wordPath), depth));
    }
  }
}

function compareBlock(
  head: { word: string; key?: string },
  before: ConfigValue | undefined,
  after: ConfigValue | undefined,
  schema: TSchema,
  depth: number,
  path: string[],
  out: string[],
): void {
  const block = (children: BootNode[]): BootNode => ({
    name: head.word,
    ...(head.key !== undefined ? { value: head.key } : {}),
    children,
    line: 0,
    column: 0,
  });
  const b = isConfigTree(before) ? before : undefined;
  const a = isConfigTree(after) ? after : undefined;
  if (b === undefined && a === undefined) return;
  if (b === undefined || a === undefined) {
    const [marker, tree] = b === undefined ? (['+', a] as const) : (['-', b] as const);
    emit(out, marker, bootLines([block(containerToBoot(tree as ConfigTree, schema, path))], depth));
    return;
  }
  const inner: string[] = [];
  compareContainer(b, a, schema, depth + 1, path, inner);
  if (!inner.length) return;
  // An empty block prints as its opening and closing lines: the context around the changes.
  const [open, close] = bootLines([block([])], depth) as [string, string];
  out.push(` ${open}`, ...inner, ` ${close}`);
}

function compareValues(
  word: string,
  before: readonly ConfigScalar[],
  after: readonly ConfigScalar[],
  depth: number,
  out: string[],
): void {
  const line = (value: ConfigScalar) =>
    bootLines([{ name: word, value: String(value), line: 0, column: 0 }], depth);
  const moved = reordered(before, after);
  for (const value of after) {
    if (!before.includes(value)) emit(out, '+', line(value));
    else if (moved) emit(out, '>', line(value));
  }
  for (const value of before) if (!after.includes(value)) emit(out, '-', line(value));
}
