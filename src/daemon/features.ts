// The features this build of tandemd runs, each registering its schema.
import { SchemaRegistry } from '../config/registry.js';
import { createClusterFeature } from '../features/cluster/index.js';
import { createConfigSyncFeature, createHttpsFeature } from '../features/config-sync/index.js';
import { createConntrackSyncFeature } from '../features/conntrack-sync/index.js';
import { createFastPathFeature } from '../features/fast-path/index.js';
import type { Feature } from '../features/feature.js';
import { interfacesFeature } from '../features/interfaces/index.js';
import { createRaidFeature } from '../features/raid/index.js';
import { systemFeature } from '../features/system/index.js';
import { createVrrpFeature } from '../features/vrrp/index.js';
import { createWlbFeature } from '../features/wlb/index.js';

export const FEATURES: readonly Feature[] = [
  interfacesFeature,
  systemFeature,
  createVrrpFeature(),
  createWlbFeature(),
  createClusterFeature(),
  createConntrackSyncFeature(),
  createFastPathFeature(),
  createHttpsFeature(),
  createConfigSyncFeature(),
  createRaidFeature(),
];

export function buildRegistry(features: readonly Feature[] = FEATURES): SchemaRegistry {
  const registry = new SchemaRegistry();
  for (const f of features) f.registerSchema(registry);
  return registry;
}
