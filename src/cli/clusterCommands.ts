// `show cluster status [--json]`, `force cluster active|standby`.
import { renderClusterStatus } from '../features/cluster/show.js';
import type { ClusterStatus } from '../features/cluster/status.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

export async function showCluster(client: RpcClient, words: string[], json: boolean): Promise<string> {
  if (words.length !== 1 || words[0] !== 'status')
    throw new UsageError('usage: show cluster status [--json]');
  const s = await client.call<ClusterStatus>('cluster.status');
  return json ? JSON.stringify(s, null, 2) : renderClusterStatus(s);
}

export async function forceCluster(client: RpcClient, words: string[]): Promise<string> {
  const where = words[0];
  if (words.length !== 1 || (where !== 'active' && where !== 'standby'))
    throw new UsageError('usage: force cluster active|standby');
  const s = await client.call<ClusterStatus>('cluster.status');
  if (!s.configured) return 'Clustering is not configured';
  return (await client.call<{ message: string }>('cluster.force', { where })).message;
}

export async function restartCluster(client: RpcClient, words: string[]): Promise<string> {
  if (words.length) throw new UsageError('usage: restart cluster');
  const s = await client.call<ClusterStatus>('cluster.status');
  if (!s.configured) return 'Clustering is not configured';
  await client.call('cluster.restart');
  return 'Restarting cluster node...\nSuccess!';
}
