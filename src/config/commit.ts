// Commit: validate the whole candidate, find the features its changes touch, apply them in
// dependency order; if one fails, re-apply the previous configuration to every feature touched so
// far (the failed one included) so the running system never stays half-committed.
import { ConfigPathError, TandemError } from '../errors.js';
import { type ApplyContext, applyOrder, type Feature, type SystemFacts } from '../features/feature.js';
import { diffTrees } from './diff.js';
import type { SchemaRegistry } from './registry.js';
import { type ConfigTree, withDefaults } from './tree.js';
import { validateTree } from './validate.js';

/** The candidate is invalid; nothing was applied. */
export class CommitRejected extends TandemError {
  readonly errors: { path: readonly string[]; message: string }[];
  constructor(errors: ConfigPathError[]) {
    super('COMMIT_REJECTED', `commit rejected:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.errors = errors.map((e) => ({ path: e.path, message: e.message }));
  }
}

/** A feature failed to apply; the previous configuration was restored. */
export class CommitFailed extends TandemError {
  constructor(
    readonly feature: string,
    cause: unknown,
    readonly rollbackErrors: string[],
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const rb = rollbackErrors.length
      ? `; restoring the previous configuration also failed: ${rollbackErrors.join('; ')}`
      : '; the previous configuration is restored';
    super('COMMIT_FAILED', `commit failed in ${feature}: ${why}${rb}`, { cause });
  }
}

export class CommitEngine {
  readonly order: Feature[];

  constructor(
    readonly registry: SchemaRegistry,
    features: readonly Feature[],
  ) {
    this.order = applyOrder(features);
  }

  /** Every error of the candidate: schema first, then each feature's rules. */
  validate(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
    const schemaErrors = validateTree(tree, this.registry);
    if (schemaErrors.length) return schemaErrors;
    const effective = withDefaults(tree, this.registry);
    return this.order.flatMap((f) => f.validate?.(effective, facts) ?? []);
  }

  /** Names of the features whose subtrees differ between the two trees. */
  touched(running: ConfigTree, candidate: ConfigTree): Set<string> {
    const names = new Set<string>();
    for (const change of diffTrees(running, candidate)) {
      for (const f of this.registry.featuresTouching(change.path)) names.add(f);
    }
    return names;
  }

  /** Applies candidate over running; returns the features applied (none: nothing changed) and the warnings. */
  async commit(
    running: ConfigTree,
    candidate: ConfigTree,
    facts: SystemFacts,
    ctx: ApplyContext,
  ): Promise<{ features: string[]; warnings: string[] }> {
    const problems = this.validate(candidate, facts);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new CommitRejected(errors);
    const warnings = problems.filter((p) => p.severity === 'warning').map((p) => p.message);
    const touched = this.touched(running, candidate);
    const prev = withDefaults(running, this.registry);
    const next = withDefaults(candidate, this.registry);
    const started: Feature[] = [];
    for (const f of this.order) {
      if (!touched.has(f.name) || !f.apply) continue;
      started.push(f);
      try {
        await f.apply(prev, next, ctx);
      } catch (e) {
        const rollbackErrors: string[] = [];
        for (const g of started.reverse()) {
          try {
            await g.apply!(next, prev, ctx);
          } catch (re) {
            rollbackErrors.push(`${g.name}: ${re instanceof Error ? re.message : String(re)}`);
          }
        }
        ctx.log.error(
          { feature: f.name, err: e, rollbackErrors },
          'commit failed, previous configuration restored',
        );
        throw new CommitFailed(f.name, e, rollbackErrors);
      }
    }
    return { features: [...touched], warnings };
  }
}
