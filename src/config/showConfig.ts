// `show [path]` of a configuration tree in config.boot form: the subtree at a path as the operator
// typed it, or the whole tree.
import { printBoot } from './bootSyntax.js';
import type { SchemaRegistry } from './registry.js';
import {
  childValue,
  type ConfigTree,
  type ConfigValue,
  containerToBoot,
  isConfigTree,
  nodeToBoot,
} from './tree.js';

/** The text of the subtree at `words`, or '' when nothing is configured there. */
export function showConfig(tree: ConfigTree, registry: SchemaRegistry, words: readonly string[]): string {
  const at = registry.nodeAt(words);
  let value: ConfigValue | undefined = tree;
  for (const step of at.steps) value = isConfigTree(value) ? childValue(value, step.word) : undefined;
  if (value === undefined) return '';
  const last = at.steps[at.steps.length - 1];
  if (!last) return printBoot(containerToBoot(tree, registry.root(), []));
  if (isConfigTree(value) && (at.kind === 'container' || at.kind === 'instance')) {
    return printBoot(containerToBoot(value, at.schema, [...words]));
  }
  return printBoot(nodeToBoot(last.word, value, at.schema, [...words]));
}
