import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CommitEngine, CommitFailed, CommitRejected } from '../../../src/config/commit.js';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { Container, IntegerRange, Leaf } from '../../../src/config/schemaNodes.js';
import type { ConfigTree } from '../../../src/config/tree.js';
import { ConfigPathError } from '../../../src/errors.js';
import type { Feature } from '../../../src/features/feature.js';

/** A feature that records what it applied and can be told to fail. */
function recordingFeature(name: string, after: string[] = [], failOn?: (next: ConfigTree) => boolean) {
  const applied: { prev: unknown; next: unknown }[] = [];
  const feature: Feature = {
    name,
    after,
    registerSchema(r) {
      r.register(
        name,
        [name],
        Container({ value: Leaf(IntegerRange(1, 100), { description: 'v' }) }, { description: name }),
      );
    },
    validate(tree) {
      const v = (tree[name] as { value?: number } | undefined)?.value;
      return v === 13 ? [new ConfigPathError([name, 'value'], 'unlucky')] : [];
    },
    async apply(prev, next) {
      applied.push({ prev: prev[name], next: next[name] });
      if (failOn?.(next)) throw new Error(`${name} cannot do that`);
    },
  };
  return { feature, applied };
}

const ctx = { log: pino({ level: 'silent' }), stateDir: '/nonexistent', instance: 't' };
const facts = { interfaces: new Set<string>() };

function engine(features: Feature[]) {
  const registry = new SchemaRegistry();
  for (const f of features) f.registerSchema(registry);
  return new CommitEngine(registry, features);
}

describe('CommitEngine', () => {
  it('applies only touched features, in dependency order', async () => {
    const a = recordingFeature('alpha', ['beta']);
    const b = recordingFeature('beta');
    const c = recordingFeature('gamma');
    const e = engine([a.feature, b.feature, c.feature]);
    expect(e.order.map((f) => f.name)).toEqual(['beta', 'alpha', 'gamma']);
    const { features: touched } = await e.commit({}, { alpha: { value: 1 }, beta: { value: 2 } }, facts, ctx);
    expect(touched.sort()).toEqual(['alpha', 'beta']);
    expect(c.applied).toEqual([]);
    expect(b.applied).toEqual([{ prev: undefined, next: { value: 2 } }]);
  });

  it('rejects schema and feature errors before applying anything', async () => {
    const a = recordingFeature('alpha');
    const e = engine([a.feature]);
    await expect(e.commit({}, { alpha: { value: 500 } }, facts, ctx)).rejects.toThrow(/alpha value/);
    const rejected = await e.commit({}, { alpha: { value: 13 } }, facts, ctx).catch((x: unknown) => x);
    expect(rejected).toBeInstanceOf(CommitRejected);
    expect((rejected as CommitRejected).errors).toEqual([
      { path: ['alpha', 'value'], message: 'alpha value: unlucky' },
    ]);
    expect(a.applied).toEqual([]);
  });

  it('re-applies the previous configuration to every started feature when one fails', async () => {
    const a = recordingFeature('alpha');
    const b = recordingFeature(
      'beta',
      ['alpha'],
      (next) => (next['beta'] as { value?: number } | undefined)?.value === 9,
    );
    const e = engine([a.feature, b.feature]);
    const running = { alpha: { value: 1 }, beta: { value: 1 } };
    const err = await e
      .commit(running, { alpha: { value: 2 }, beta: { value: 9 } }, facts, ctx)
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(CommitFailed);
    expect((err as CommitFailed).message).toMatch(
      /commit failed in beta: beta cannot do that; the previous configuration is restored/,
    );
    // beta tried, then was put back; alpha was applied then put back.
    expect(b.applied).toEqual([
      { prev: { value: 1 }, next: { value: 9 } },
      { prev: { value: 9 }, next: { value: 1 } },
    ]);
    expect(a.applied).toEqual([
      { prev: { value: 1 }, next: { value: 2 } },
      { prev: { value: 2 }, next: { value: 1 } },
    ]);
  });
});
