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

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** One log entry as a line: time, level, [feature], message, remaining fields as JSON. */
function logLine(e: Record<string, unknown>): string {
  const { time, level, feature: f, msg, pid: _pid, ...rest } = e;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `${String(time)} ${(LEVELS[Number(level)] ?? String(level)).padEnd(5)} [${String(f ?? '-')}] ${String(msg ?? '')}${extra}`;
}

export async function showLog(
  client: RpcClient,
  feature: string | undefined,
  json: boolean,
): Promise<string> {
  const r = await client.call<{ entries: Record<string, unknown>[] }>('log.read', { feature });
  if (json) return JSON.stringify(r, null, 2);
  return r.entries.map(logLine).join('\n');
}

/**
 * `monitor log [feature]` / `monitor vrrp`: prints new log entries as they appear until Ctrl-C
 * (or `limitMs`, for scripts), or until `signal` aborts (a background monitor's stop). Entries are
 * recognised by their time and content.
 */
export async function monitorLog(
  client: RpcClient,
  feature: string | undefined,
  json: boolean,
  write: (line: string) => void,
  opts: { limitMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const seen = new Set<string>();
  const first = await client.call<{ entries: Record<string, unknown>[] }>('log.read', {
    feature,
    limit: 1000,
  });
  for (const e of first.entries) seen.add(JSON.stringify(e));
  const stop = Date.now() + (opts.limitMs ?? Number.POSITIVE_INFINITY);
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
  };
  // In the foreground Ctrl-C ends the stream; a background stream ends only with its signal.
  if (!opts.signal) process.once('SIGINT', onInterrupt);
  try {
    while (!interrupted && !opts.signal?.aborted && Date.now() < stop) {
      await new Promise((r) => setTimeout(r, 250));
      if (opts.signal?.aborted) break;
      const r = await client.call<{ entries: Record<string, unknown>[] }>('log.read', {
        feature,
        limit: 1000,
      });
      for (const e of r.entries) {
        const key = JSON.stringify(e);
        if (seen.has(key)) continue;
        seen.add(key);
        write(json ? key : logLine(e));
      }
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
