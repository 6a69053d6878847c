// Operational-mode commands answered by tandemd: configuration, commit archive, logs.
import { renderTable } from './table.js';
import type { RpcClient } from './rpcClient.js';

export async function showConfiguration(
  client: RpcClient,
  words: string[],
  json: boolean,
  all: boolean,
): Promise<string> {
  if (json) {
    const r = await client.call<{ tree: unknown }>('config.json', { words, all });
    return JSON.stringify(r.tree, null, 2);
  }
  const r = await client.call<{ text: string }>('config.show', { words, all });
  return r.text.trimEnd() || 'Configuration under specified path is empty';
}

interface Revision {
  index: number;
  seq: number;
  time: string;
  user: string;
  via: string;
  comment?: string;
}

export async function showSystemCommit(client: RpcClient, json: boolean): Promise<string> {
  const r = await client.call<{ revisions: Revision[]; pendingConfirm: string | null }>('config.commits');
  if (json) return JSON.stringify(r, null, 2);
  const table = renderTable(
    ['Rev', 'Time', 'User', 'Via', 'Comment'],
    r.revisions.map((v) => [
      v.index,
      v.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      v.user,
      v.via,
      v.comment ?? '',
    ]),
  );
  return r.pendingConfirm
    ? `${table}\n\nrevision 0 rolls back at ${r.pendingConfirm} unless confirmed`
    : table;
}

export async function showLog(
  client: RpcClient,
  feature: string | undefined,
  json: boolean,
): Promise<string> {
  const r = await client.call<{ entries: Record<string, unknown>[] }>('log.read', { feature });
  if (json) return JSON.stringify(r, null, 2);
  const levels: Record<number, string> = {
    10: 'trace',
    20: 'debug',
    30: 'info',
    40: 'warn',
    50: 'error',
    60: 'fatal',
  };
  return r.entries
    .map((e) => {
      const { time, level, feature: f, msg, pid: _pid, ...rest } = e;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      return `${String(time)} ${(levels[Number(level)] ?? String(level)).padEnd(5)} [${String(f ?? '-')}] ${String(msg ?? '')}${extra}`;
    })
    .join('\n');
}
