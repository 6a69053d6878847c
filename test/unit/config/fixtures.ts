// Shared test fixtures: the core registry, a test-only VRRP subtree registered below
// `interfaces ethernet *` (as the real VRRP feature will), and a schema-driven tree generator.

import type { TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import { SchemaRegistry } from '../../../src/config/registry.js';
import {
  Choice,
  Container,
  childrenOf,
  Flag,
  IntegerRange,
  Ipv4Address,
  kindOf,
  Leaf,
  MultiLeaf,
  TagNode,
  tagBodyOf,
  tagKeyOf,
  valueSchemaOf,
} from '../../../src/config/schemaNodes.js';
import type { ConfigScalar, ConfigTree, ConfigValue } from '../../../src/config/tree.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import { registerSystemSchema } from '../../../src/features/system/schema.js';

export function testVrrpSchema() {
  return Container(
    {
      'vrrp-group': TagNode(
        IntegerRange(1, 255),
        Container(
          {
            priority: Leaf(IntegerRange(1, 255), { description: 'Priority of this router', default: 100 }),
            'virtual-address': MultiLeaf(Ipv4Address(), { description: 'Virtual IP address' }),
            'rfc3768-compatibility': Flag({ description: 'Use a VRRP virtual MAC address' }),
            preempt: Leaf(
              Choice({ true: 'Take over from a lower priority master', false: 'Never preempt' }),
              {
                description: 'Whether to preempt',
                default: 'true',
              },
            ),
          },
          { description: 'VRRP group' },
        ),
        { description: 'VRRP group number' },
      ),
    },
    { description: 'Virtual Router Redundancy Protocol' },
  );
}

export function coreRegistry(): SchemaRegistry {
  const registry = new SchemaRegistry();
  registerInterfacesSchema(registry);
  registerSystemSchema(registry);
  return registry;
}

export function vrrpRegistry(): SchemaRegistry {
  const registry = coreRegistry();
  registry.register('vrrp', ['interfaces', 'ethernet', '*', 'vrrp'], testVrrpSchema());
  return registry;
}

type Fields = Record<string, unknown>;

function valueArbitrary(schema: TSchema): fc.Arbitrary<ConfigScalar> {
  const s = schema as unknown as Fields;
  if (Array.isArray(s['anyOf'])) return fc.oneof(...(s['anyOf'] as TSchema[]).map(valueArbitrary));
  if (s['const'] !== undefined) return fc.constant(s['const'] as ConfigScalar);
  if (s['type'] === 'integer') {
    return fc.integer({ min: (s['minimum'] as number) ?? -1e6, max: (s['maximum'] as number) ?? 1e6 });
  }
  if (typeof s['pattern'] === 'string') return fc.stringMatching(new RegExp(s['pattern'] as string, 'u'));
  return fc.string({
    unit: 'binary',
    minLength: (s['minLength'] as number) ?? 0,
    maxLength: Math.min((s['maxLength'] as number) ?? 20, 20),
  });
}

function nodeArbitrary(schema: TSchema): fc.Arbitrary<ConfigValue> {
  switch (kindOf(schema)) {
    case 'container':
      return containerArbitrary(schema);
    case 'tag': {
      const keys = fc.uniqueArray(valueArbitrary(tagKeyOf(schema)).map(String), {
        minLength: 1,
        maxLength: 3,
      });
      const body = containerArbitrary(tagBodyOf(schema));
      return keys.chain((names) =>
        fc
          .tuple(...names.map(() => body))
          .map((bodies) => Object.fromEntries(names.map((name, i) => [name, bodies[i] as ConfigTree]))),
      );
    }
    case 'multi':
      return fc.uniqueArray(valueArbitrary(valueSchemaOf(schema)), { minLength: 1, maxLength: 3 });
    case 'flag':
      return fc.constant(true as const);
    default:
      return valueArbitrary(schema);
  }
}

/** Valid trees for a container schema (every child optional, tag instances 1-3). */
export function containerArbitrary(container: TSchema): fc.Arbitrary<ConfigTree> {
  const model: Record<string, fc.Arbitrary<ConfigValue>> = {};
  for (const [word, child] of Object.entries(childrenOf(container))) model[word] = nodeArbitrary(child);
  return fc.record(model, { requiredKeys: [] }).map((record) => ({ ...record }) as ConfigTree);
}
