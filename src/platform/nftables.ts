// nftables of the namespace tandemd runs in. Scripts are applied by `nft -f` as one transaction:
// the ruleset changes completely or not at all.
import { run } from './run.js';

/** A script that replaces table `family table` with `body` (its lines) in one transaction. */
export function replaceTableScript(family: string, table: string, body: readonly string[]): string {
  return [
    `table ${family} ${table}`,
    `delete table ${family} ${table}`,
    `table ${family} ${table} {`,
    ...body,
    '}',
    '',
  ].join('\n');
}

/**
 * Ruleset writes run one at a time, in the order they were asked for: features (and one feature's
 * apply against its own health changes) never interleave their transactions, and a check-then-
 * delete cannot race another write.
 */
let writes: Promise<unknown> = Promise.resolve();
function serialized(write: () => Promise<void>): Promise<void> {
  const next = writes.then(write);
  writes = next.catch(() => undefined);
  return next;
}

export function nftApply(script: string): Promise<void> {
  return serialized(async () => {
    await run(['nft', '-f', '-'], { input: script });
  });
}

export async function nftTableExists(family: string, table: string): Promise<boolean> {
  const r = await run(['nft', 'list', 'table', family, table], { allowFailure: true });
  return r.code === 0;
}

export function nftDeleteTable(family: string, table: string): Promise<void> {
  return serialized(async () => {
    if (await nftTableExists(family, table)) await run(['nft', 'delete', 'table', family, table]);
  });
}

/** The named counters of a table, by name. */
export async function nftCounters(
  family: string,
  table: string,
): Promise<Map<string, { packets: number; bytes: number }>> {
  const { stdout } = await run(['nft', '-j', 'list', 'counters', 'table', family, table]);
  const items = (
    JSON.parse(stdout) as { nftables: { counter?: { name: string; packets: number; bytes: number } }[] }
  ).nftables;
  return new Map(
    items.flatMap((i) =>
      i.counter ? [[i.counter.name, { packets: i.counter.packets, bytes: i.counter.bytes }]] : [],
    ),
  );
}
