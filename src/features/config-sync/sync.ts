// One remote's comparison and sync (spec config-sync.md C-10, C-11, C-30): read its running
// configuration, select the sync-map's scope on both sides, and — for a sync — send the
// differences as one transaction: in-scope lines only on the remote are deleted, lines only on
// the master are set.
import { configLines } from '../../config/lines.js';
import type { SchemaRegistry } from '../../config/registry.js';
import type { ConfigTree } from '../../config/tree.js';
import type { ConfigOp } from '../feature.js';
import { API_APPLY_PATH, API_RUNNING_PATH, API_VERSION_PATH, type ApplyRequest } from './apiServer.js';
import { apiCall, type Peer, SyncError } from './client.js';
import { type ScopeDiff, scopeDiff, type SyncRule } from './scope.js';

export interface Contact {
  version: string;
  fingerprint: string;
  /** This router's address on the connection (the origin a sync names). */
  localAddress: string;
  diff: ScopeDiff;
  remoteTree: ConfigTree;
}

/** Reads the remote and compares the scope of both sides (changes nothing). */
export async function compareRemote(
  peer: Peer,
  rules: readonly SyncRule[],
  master: ConfigTree,
  registry: SchemaRegistry,
): Promise<Contact> {
  const {
    data: v,
    fingerprint,
    localAddress,
  } = await apiCall<{ version: string }>(peer, 'GET', API_VERSION_PATH);
  const pinned = { ...peer, pinned: fingerprint };
  const { data } = await apiCall<{ tree: ConfigTree }>(pinned, 'GET', API_RUNNING_PATH);
  let remoteLines: string[][];
  try {
    remoteLines = configLines(data.tree, registry);
  } catch (e) {
    throw new SyncError(
      'api-error',
      'read',
      `the remote configuration does not fit this schema: ${String(e)}`,
    );
  }
  return {
    version: v.version,
    fingerprint,
    localAddress,
    diff: scopeDiff(rules, configLines(master, registry), remoteLines),
    remoteTree: data.tree,
  };
}

export function opsOf(diff: ScopeDiff): ConfigOp[] {
  return [
    ...diff.onlyOnRemote.map((path) => ({ op: 'delete' as const, path })),
    ...diff.onlyOnMaster.map((path) => ({ op: 'set' as const, path })),
  ];
}

/** Makes the remote's scope the master's; 'already-in-sync' when nothing differed. */
export async function syncRemote(
  peer: Peer,
  rules: readonly SyncRule[],
  master: ConfigTree,
  registry: SchemaRegistry,
  hostName: string,
): Promise<{ result: 'synchronized' | 'already-in-sync'; contact: Contact }> {
  const contact = await compareRemote(peer, rules, master, registry);
  const ops = opsOf(contact.diff);
  if (!ops.length) return { result: 'already-in-sync', contact };
  const { data } = await apiCall<{ committed: boolean; errors: { path: string[]; message: string }[] }>(
    { ...peer, pinned: contact.fingerprint },
    'POST',
    API_APPLY_PATH,
    { origin: { hostName, address: contact.localAddress }, ops } satisfies ApplyRequest,
  );
  if (data.errors.length)
    throw new SyncError('connected', 'commit', data.errors.map((e) => e.message).join('; '));
  return { result: 'synchronized', contact };
}
