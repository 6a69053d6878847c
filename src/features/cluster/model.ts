// The cluster configuration as the engine uses it: defaults applied, services parsed, this node's
// role resolved.
import type { ConfigTree } from '../../config/tree.js';
import { type ClusterConfig, CLUSTER_DEFAULTS } from './schema.js';
import { type ClusterService, parseClusterService } from './service.js';
import type { Role } from './ownership.js';

export function clusterConfigOf(tree: ConfigTree): ClusterConfig | undefined {
  return tree['cluster'] as ClusterConfig | undefined;
}

export interface ClusterModel {
  group: string;
  primary: string;
  secondary: string;
  autoFailback: boolean;
  monitors: string[];
  services: ClusterService[];
  interfaces: string[];
  keepaliveMs: number;
  deadMs: number;
  monitorDeadMs: number;
  initDeadMs: number;
  mcastGroup: string;
  secret: string;
}

/** The model of a configuration that passed validation (undefined when clustering is off). */
export function clusterModelOf(tree: ConfigTree): ClusterModel | undefined {
  const c = clusterConfigOf(tree);
  const [group, g] = Object.entries(c?.group ?? {})[0] ?? [];
  if (!c || !group || !g) return undefined;
  return {
    group,
    primary: String(g.primary),
    secondary: String(g.secondary),
    autoFailback: g['auto-failback'] === 'true',
    monitors: (g.monitor ?? []).map(String),
    services: (g.service ?? []).flatMap((v) => {
      const s = parseClusterService(String(v));
      return 'ok' in s ? [s.ok] : [];
    }),
    interfaces: (c.interface ?? []).map(String),
    keepaliveMs: Number(c['keepalive-interval'] ?? CLUSTER_DEFAULTS.keepaliveIntervalMs),
    deadMs: Number(c['dead-interval'] ?? CLUSTER_DEFAULTS.deadIntervalMs),
    monitorDeadMs: Number(c['monitor-dead-interval'] ?? CLUSTER_DEFAULTS.monitorDeadIntervalMs),
    initDeadMs: Number(c['init-dead-interval'] ?? CLUSTER_DEFAULTS.initDeadIntervalMs),
    mcastGroup: String(c['mcast-group'] ?? CLUSTER_DEFAULTS.mcastGroup),
    secret: String(c['pre-shared-secret'] ?? ''),
  };
}

/** This router's role in the group, from its host name. */
export function roleOf(m: ClusterModel, hostName: string): Role | undefined {
  return hostName === m.primary ? 'primary' : hostName === m.secondary ? 'secondary' : undefined;
}
