// `show wan-load-balance [connection | status [with-dns]]` and `restart wan-load-balance`.
import { reverse } from 'node:dns/promises';
import { serviceDatabase } from '../features/wlb/grammar.js';
import {
  NOT_CONFIGURED,
  renderWlbConnections,
  renderWlbInterfaces,
  renderWlbStatus,
} from '../features/wlb/show.js';
import type { WlbConnections, WlbRulesStatus, WlbStatus } from '../features/wlb/status.js';
import type { RpcClient } from './rpcClient.js';
import { UsageError } from './usage.js';

const USAGE = 'usage: show wan-load-balance [connection | status [with-dns]] [--json]';

/** Reverse names for `with-dns`: addresses through the resolver, ports through the services file. */
async function namesFor(status: WlbRulesStatus) {
  const addresses = new Map<string, string>();
  const specs = (status.forward?.rules ?? []).flatMap((r) => [r.source, r.destination]);
  for (const spec of specs) {
    const addr = spec?.replace(/^!/, '').split('/')[0];
    if (!addr || addr.includes('-') || addresses.has(addr)) continue;
    const names = await Promise.race([
      reverse(addr).catch(() => [] as string[]),
      new Promise<string[]>((r) => setTimeout(() => r([]), 2000)),
    ]);
    addresses.set(addr, names[0] ?? addr);
  }
  const ports = new Map<string, string>();
  for (const [name, port] of serviceDatabase().get('tcp')!)
    if (!ports.has(String(port))) ports.set(String(port), name);
  return { address: (a: string) => addresses.get(a), port: (p: string) => ports.get(p) };
}

export async function showWlb(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const [what, ...rest] = words;
  if (what === undefined && rest.length === 0) {
    const s = await client.call<WlbStatus>('wlb.status');
    if (json) return JSON.stringify({ interfaces: s.interfaces }, null, 2);
    return s.configured ? renderWlbInterfaces(s.interfaces) : NOT_CONFIGURED;
  }
  if (what === 'connection' && rest.length === 0) {
    const c = await client.call<WlbConnections>('wlb.connections');
    if (json) return JSON.stringify({ connections: c.connections }, null, 2);
    return c.configured ? renderWlbConnections(c.connections) : NOT_CONFIGURED;
  }
  if (what === 'status' && (rest.length === 0 || (rest.length === 1 && rest[0] === 'with-dns'))) {
    const s = await client.call<WlbRulesStatus>('wlb.rules');
    if (json) return JSON.stringify({ forward: s.forward, local: s.local }, null, 2);
    if (!s.configured) return NOT_CONFIGURED;
    return renderWlbStatus(s, rest[0] ? await namesFor(s) : undefined);
  }
  throw new UsageError(USAGE);
}

export async function restartWlb(client: RpcClient, words: string[]): Promise<string> {
  if (words.length) throw new UsageError('usage: restart wan-load-balance');
  const s = await client.call<WlbStatus>('wlb.status');
  if (!s.configured) return NOT_CONFIGURED;
  await client.call('wlb.restart');
  return '';
}
