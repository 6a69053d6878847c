// `show conntrack-sync status|statistics|internal-cache|external-cache`: the sync engine's state.
import type { CtsyncStatus } from '../features/conntrack-sync/index.js';
import {
  type CacheTables,
  cacheEntryJson,
  expectationJson,
  renderCacheTable,
} from '../features/conntrack-sync/cacheTable.js';
import { renderCtsyncStatus } from '../features/conntrack-sync/show.js';
import { renderStatistics, statisticsOf } from '../features/conntrack-sync/statistics.js';
import type { CtsyncEntry } from '../native/ctsyncCodec.js';
import type { CtsyncExpectation } from '../native/ctsyncEngine.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

const USAGE =
  'usage: show conntrack-sync status | statistics [main | expect] | internal-cache [main | expect] | external-cache [main | expect] [--json]';
const NOT_CONFIGURED = 'conntrack-sync is not configured';
const EXPECT_NOT_CONFIGURED = 'expect-sync is not configured';

/** The optional `main | expect` word of `statistics` and the caches; both tables without it. */
function tablesArg(rest: string[]): CacheTables {
  if (rest.length > 1 || (rest.length && rest[0] !== 'main' && rest[0] !== 'expect'))
    throw new UsageError(USAGE);
  return (rest[0] ?? 'both') as CacheTables;
}

export async function showConntrackSync(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const [what, ...rest] = words;
  if (what === 'status') {
    if (rest.length) throw new UsageError(USAGE);
    const s = await client.call<CtsyncStatus>('ctsync.status');
    if (json) return JSON.stringify(s, null, 2);
    return s.configured ? renderCtsyncStatus(s) : NOT_CONFIGURED;
  }
  if (what === 'statistics') {
    const tables = tablesArg(rest);
    const st = statisticsOf(await client.call<CtsyncStatus>('ctsync.status'));
    if (json) return JSON.stringify(st, null, 2);
    if (!st) return NOT_CONFIGURED;
    if (tables === 'expect' && !st.expect) return EXPECT_NOT_CONFIGURED;
    return renderStatistics(st, tables);
  }
  if (what === 'internal-cache' || what === 'external-cache') {
    const tables = tablesArg(rest);
    const { entries, expectations } = await client.call<{
      entries: CtsyncEntry[];
      expectations: CtsyncExpectation[] | null;
    }>('ctsync.cache', { which: what === 'external-cache' ? 'external' : 'internal' });
    if (tables === 'expect' && !expectations && !json) return EXPECT_NOT_CONFIGURED;
    if (json)
      return JSON.stringify(
        {
          main: tables === 'expect' ? [] : entries.map(cacheEntryJson),
          expect: tables === 'main' ? [] : (expectations ?? []).map(expectationJson),
        },
        null,
        2,
      );
    return renderCacheTable(entries, expectations ?? [], tables);
  }
  throw new UsageError(USAGE);
}
