// Builds candidate trees from `set` lines and reports a feature's commit rules the way the commit
// engine would: schema problems first, then the feature's errors and warnings as text.
import { setPath } from '../../../src/config/edit.js';
import { splitWords } from '../../../src/config/pathWords.js';
import type { SchemaRegistry } from '../../../src/config/registry.js';
import { type ConfigTree, withDefaults } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import type { ConfigPathError } from '../../../src/errors.js';
import type { SystemFacts } from '../../../src/features/feature.js';

export function featureRules(
  registry: SchemaRegistry,
  validate: (tree: ConfigTree, facts: SystemFacts) => ConfigPathError[],
  facts: SystemFacts,
) {
  const tree = (...lines: string[]): ConfigTree => {
    let t: ConfigTree = {};
    for (const l of lines) t = setPath(t, registry, splitWords(l));
    return t;
  };
  /** "path: message" for errors, "warning: path: message" for warnings. */
  const problems = (...lines: string[]): string[] => {
    const t = tree(...lines);
    const schema = validateTree(t, registry);
    if (schema.length) return schema.map((e) => e.message);
    return validate(withDefaults(t, registry), facts).map((e) =>
      e.severity === 'warning' ? `warning: ${e.message}` : e.message,
    );
  };
  return { tree, problems };
}
