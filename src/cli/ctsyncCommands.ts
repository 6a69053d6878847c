// `show conntrack-sync status|statistics|internal-cache|external-cache`: the sync engine's state.
import type { CtsyncStatus } from '../features/conntrack-sync/index.js';
import { type CacheTables, cacheEntryJson, renderCacheTable } from '../features/conntrack-sync/cacheTable.js';
import { renderCtsyncStatus } from '../features/conntrack-sync/show.js';
import type { CtsyncEntry } from '../native/ctsyncCodec.js';
import type { RpcClient } from './rpcClient.js';
import { renderTable } from './table.js';
import { UsageError } from './usage.js';

const USAGE =
  'usage: show conntrack-sync status | statistics | internal-cache [main | expect] | external-cache [main | expect] [--json]';
const NOT_CONFIGURED = 'conntrack-sync is not configured';

export async function showConntrackSync(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const [what, ...rest] = words;
  if (what === 'status' || what === 'statistics') {
    if (rest.length) throw new UsageError(USAGE);
    const s = await client.call<CtsyncStatus>('ctsync.status');
    if (json) return JSON.stringify(s, null, 2);
    if (!s.configured) return NOT_CONFIGURED;
    if (what === 'status') return renderCtsyncStatus(s);
    return renderTable(
      ['Counter', 'Value'],
      Object.entries(s.stats ?? {}).map(([k, v]) => [k, String(v)]),
    );
  }
  if (what === 'internal-cache' || what === 'external-cache') {
    if (rest.length > 1 || (rest.length && rest[0] !== 'main' && rest[0] !== 'expect'))
      throw new UsageError(USAGE);
    const tables = (rest[0] ?? 'both') as CacheTables;
    const { entries } = await client.call<{ entries: CtsyncEntry[] }>('ctsync.cache', {
      which: what === 'external-cache' ? 'external' : 'internal',
    });
    if (json)
      return JSON.stringify(
        {
          main: tables === 'expect' ? [] : entries.map(cacheEntryJson),
          expect: [],
        },
        null,
        2,
      );
    return renderCacheTable(entries, tables);
  }
  throw new UsageError(USAGE);
}
