// Clustering (spec clustering.md): two routers share a resource group of cluster addresses and
// named services; the holder moves when it dies or loses connectivity. The heartbeats run on a
// native thread (runtime.ts); decisions, resources and show live here.
import { hostname } from 'node:os';
import type { EventBus } from '../../daemon/eventBus.js';
import { featureLogger } from '../../log.js';
import type { Feature, FeatureHost } from '../feature.js';
import { clusterModelOf, roleOf } from './model.js';
import { ClusterRuntime } from './runtime.js';
import { registerClusterSchema } from './schema.js';
import { clusterStatusOf } from './status.js';
import { validateCluster } from './validate.js';

export function createClusterFeature(): Feature {
  const log = featureLogger('cluster');
  let bus: EventBus | undefined;
  let stateDir = '';
  const runtime = new ClusterRuntime({ log, stateDir: () => stateDir, bus: () => bus });

  return {
    name: 'cluster',
    after: ['interfaces', 'system'],
    registerSchema: registerClusterSchema,
    validate: validateCluster,
    async apply(_prev, next, ctx) {
      stateDir = ctx.stateDir;
      const model = clusterModelOf(next);
      const host = (next['system'] as { 'host-name'?: string } | undefined)?.['host-name'] ?? hostname();
      await runtime.configure(model, host, model ? roleOf(model, host) : undefined);
    },
    attach(host: FeatureHost) {
      bus = host.bus;
      host.rpc.register('cluster.status', () => clusterStatusOf(runtime.snapshot()));
      host.rpc.register('cluster.restart', async () => {
        await runtime.restart();
        return {};
      });
      host.rpc.register('cluster.force', (p) => ({
        message: runtime.force((p as { where: 'active' | 'standby' }).where),
      }));
    },
    async shutdown() {
      // CL-6: a clean stop releases and announces standby, so the peer takes over at once.
      await runtime.stop('shutdown');
    },
  };
}
