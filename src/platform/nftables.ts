// nftables of the namespace tandemd runs in. Scripts are applied by `nft -f` as one transaction:
// the ruleset changes completely or not at all.
import { run } from './run.js';

export async function nftApply(script: string): Promise<void> {
  await run(['nft', '-f', '-'], { input: script });
}

export async function nftTableExists(family: string, table: string): Promise<boolean> {
  const r = await run(['nft', 'list', 'table', family, table], { allowFailure: true });
  return r.code === 0;
}

export async function nftDeleteTable(family: string, table: string): Promise<void> {
  if (await nftTableExists(family, table)) await run(['nft', 'delete', 'table', family, table]);
}
