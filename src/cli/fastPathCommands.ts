// `show system fast-path [flows] [--json]`.
import type { FastPathFlowRow, FastPathStatus } from '../features/fast-path/status.js';
import { renderFastPathFlows, renderFastPathStatus } from '../features/fast-path/show.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

const USAGE = 'usage: show system fast-path [flows] [--json]';

export async function showFastPath(client: RpcClient, words: string[], json: boolean): Promise<string> {
  if (words.length === 0) {
    const s = await client.call<FastPathStatus>('fastpath.status');
    return json ? JSON.stringify(s, null, 2) : renderFastPathStatus(s);
  }
  if (words.length === 1 && words[0] === 'flows') {
    const { flows } = await client.call<{ flows: FastPathFlowRow[] }>('fastpath.flows');
    return json ? JSON.stringify({ flows }, null, 2) : renderFastPathFlows(flows);
  }
  throw new UsageError(USAGE);
}
