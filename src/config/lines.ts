// A configuration as lines (spec config-sync.md C-1): each a full path of words from the top down
// to a leaf value, a valueless leaf, or an empty container or tag instance, in display order.
import type { SchemaRegistry } from './registry.js';
import { type BootNode } from './bootSyntax.js';
import { type ConfigTree, treeToBoot } from './tree.js';

function flatten(nodes: readonly BootNode[], prefix: string[], out: string[][]): void {
  for (const n of nodes) {
    const words = n.value === undefined ? [...prefix, n.name] : [...prefix, n.name, n.value];
    if (n.children?.length) flatten(n.children, words, out);
    else out.push(words);
  }
}

export function configLines(tree: ConfigTree, registry: SchemaRegistry): string[][] {
  const out: string[][] = [];
  flatten(treeToBoot(tree, registry), [], out);
  return out;
}

/** One line as the operator reads it: words joined by spaces, a word with spaces double-quoted. */
export function lineText(words: readonly string[]): string {
  return words.map((w) => (/[\s"]/.test(w) || w === '' ? JSON.stringify(w) : w)).join(' ');
}
