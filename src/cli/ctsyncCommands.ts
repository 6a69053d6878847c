// `show conntrack-sync status|statistics|internal-cache|external-cache`: the sync engine's state.
import type { CtsyncStatus } from '../features/conntrack-sync/index.js';
import { renderCtsyncStatus } from '../features/conntrack-sync/show.js';
import type { CtsyncEntry } from '../native/ctsyncCodec.js';
import type { RpcClient } from './rpcClient.js';
import { renderTable } from './table.js';
import { UsageError } from './usage.js';

const USAGE = 'usage: show conntrack-sync status | statistics | internal-cache | external-cache [--json]';
const NOT_CONFIGURED = 'conntrack-sync is not configured';

export async function showConntrackSync(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const [what, ...rest] = words;
  if (rest.length) throw new UsageError(USAGE);
  if (what === 'status' || what === 'statistics') {
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
    const { entries } = await client.call<{ entries: CtsyncEntry[] }>('ctsync.cache', {
      which: what === 'external-cache' ? 'external' : 'internal',
    });
    if (json) return JSON.stringify({ entries }, null, 2);
    return renderTable(
      ['Proto', 'Source', 'Destination', 'Mark'],
      entries.map((e) => [
        String(e.l4proto),
        e.sourcePort ? `${e.source}:${e.sourcePort}` : e.source,
        e.destinationPort ? `${e.destination}:${e.destinationPort}` : e.destination,
        String(e.mark ?? 0),
      ]),
    );
  }
  throw new UsageError(USAGE);
}
