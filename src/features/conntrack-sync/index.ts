// Conntrack sync (stateful failover). So far: its configuration and commit rules; the engine that
// syncs connections is not built yet (docs/conntrack-sync.md), which every commit says.
import type { Feature } from '../feature.js';
import { registerConntrackSyncSchema } from './schema.js';
import { validateConntrackSync } from './validate.js';

export const conntrackSyncFeature: Feature = {
  name: 'conntrack-sync',
  after: ['vrrp'],
  registerSchema: registerConntrackSyncSchema,
  validate: validateConntrackSync,
};
