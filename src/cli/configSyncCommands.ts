// `show config-sync difference|status [<addr> [detail]]`, `update config-sync [<addr>]`.
import type { RemoteDifference, RemoteStatus, UpdateResult } from '../features/config-sync/index.js';
import { renderDifference, renderStatus, renderUpdate } from '../features/config-sync/show.js';
import { TandemError } from '../errors.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

const NOT_CONFIGURED = 'config-sync is not configured';

function target(words: string[], usage: string): { address?: string; detail: boolean } {
  const detail = words.at(-1) === 'detail';
  const rest = detail ? words.slice(0, -1) : words;
  if (rest.length > 1) throw new UsageError(usage);
  return { ...(rest[0] ? { address: rest[0] } : {}), detail };
}

export async function showConfigSync(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const [what, ...rest] = words;
  const usage = 'usage: show config-sync difference|status [<addr> [detail]] [--json]';
  if (what !== 'difference' && what !== 'status') throw new UsageError(usage);
  const t = target(rest, usage);
  if (what === 'status') {
    const r = await client.call<{ configured: boolean; remotes: RemoteStatus[] }>('configsync.status', t);
    if (json) return JSON.stringify(r.remotes, null, 2);
    return r.configured ? renderStatus(r.remotes, t.detail) : NOT_CONFIGURED;
  }
  const r = await client.call<{ configured: boolean; remotes: RemoteDifference[] }>(
    'configsync.difference',
    t,
  );
  if (json) return JSON.stringify(r.remotes, null, 2);
  if (!r.configured) return NOT_CONFIGURED;
  const text = renderDifference(r.remotes, t.detail);
  if (r.remotes.some((x) => x.error)) throw new TandemError('CONFIG_SYNC', text.trimStart());
  return text;
}

export async function updateConfigSync(client: RpcClient, words: string[], json: boolean): Promise<string> {
  if (words.length > 1) throw new UsageError('usage: update config-sync [<addr>]');
  const r = await client.call<{ configured: boolean; remotes: UpdateResult[] }>(
    'configsync.update',
    words[0] ? { address: words[0] } : {},
  );
  if (!r.configured) return NOT_CONFIGURED;
  const text = json ? JSON.stringify(r.remotes, null, 2) : renderUpdate(r.remotes);
  if (r.remotes.some((x) => x.result === 'failed')) throw new TandemError('CONFIG_SYNC', text);
  return text;
}
