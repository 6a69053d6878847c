// Configuration schema of the forwarding fast path: `system fast-path` (docs/fast-path.md).
import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import { Container, Flag } from '../../config/schemaNodes.js';

export function fastPathSchema() {
  return Container(
    {
      disable: Flag({ description: 'Forward every packet through the normal kernel path' }),
    },
    { description: 'Forwarding of established connections in eBPF (on unless disabled)' },
  );
}

export type FastPathConfig = Static<ReturnType<typeof fastPathSchema>>;

export function registerFastPathSchema(registry: SchemaRegistry): void {
  registry.register('fast-path', ['system', 'fast-path'], fastPathSchema());
}

export function fastPathEnabled(tree: Record<string, unknown>): boolean {
  const system = tree['system'] as { 'fast-path'?: FastPathConfig } | undefined;
  return !system?.['fast-path']?.disable;
}
