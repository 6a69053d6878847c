// `system config-sync` as the master uses it.
import { splitWords } from '../../config/pathWords.js';
import type { ConfigTree } from '../../config/tree.js';
import type { ConfigSyncConfig } from './schema.js';
import type { SyncRule } from './scope.js';

export interface RemoteRouter {
  address: string;
  username: string;
  password: string;
  syncMap: string;
  /** Explicitly pinned certificate fingerprint, when configured. */
  fingerprint: string | undefined;
}

export interface SyncModel {
  remotes: RemoteRouter[];
  maps: Map<string, SyncRule[]>;
}

export function configSyncOf(tree: ConfigTree): ConfigSyncConfig | undefined {
  return (tree['system'] as { 'config-sync'?: ConfigSyncConfig } | undefined)?.['config-sync'];
}

export function locationWords(location: string): string[] {
  return splitWords(location);
}

export function syncModelOf(tree: ConfigTree): SyncModel | undefined {
  const c = configSyncOf(tree);
  if (!c) return undefined;
  const maps = new Map<string, SyncRule[]>();
  for (const [name, m] of Object.entries(c['sync-map'] ?? {}))
    maps.set(
      name,
      Object.entries(m.rule ?? {})
        .filter(([, r]) => r.action && r.location)
        .map(([n, r]) => ({
          number: Number(n),
          action: r.action!,
          location: locationWords(String(r.location)),
        }))
        .sort((a, b) => a.number - b.number),
    );
  const remotes = Object.entries(c['remote-router'] ?? {})
    .map(([address, r]) => ({
      address,
      username: String(r.username ?? ''),
      password: String(r.password ?? ''),
      syncMap: String(r['sync-map'] ?? ''),
      fingerprint: r['tls-fingerprint']?.toUpperCase(),
    }))
    .sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
  return { remotes, maps };
}
