// The boot configuration a lab router starts with: its host name and the addresses the topology
// gives its interfaces, so tandemd manages what the lab built.
import { printBoot } from '../config/bootSyntax.js';
import { setPath } from '../config/edit.js';
import { splitWords } from '../config/pathWords.js';
import type { SchemaRegistry } from '../config/registry.js';
import { type ConfigTree, treeToBoot } from '../config/tree.js';
import type { Topology } from './topology.js';

export function routerBootConfig(
  topology: Topology,
  node: string,
  registry: SchemaRegistry,
  extraLines: readonly string[] = [],
): string {
  const ethernet: ConfigTree = {};
  for (const link of topology.links) {
    for (const end of [link.a, link.b]) {
      if (end.node === node)
        ethernet[end.ifname] = end.addresses?.length ? { address: [...end.addresses] } : {};
    }
  }
  let tree: ConfigTree = { interfaces: { ethernet }, system: { 'host-name': node } };
  for (const line of extraLines) tree = setPath(tree, registry, splitWords(line));
  return printBoot(treeToBoot(tree, registry));
}
