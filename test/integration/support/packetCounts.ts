// Packet counters in a lab node, for tests that check where packets went: one nftables table of
// named counters, each rule counting (and accepting) what its match selects, first match wins.
import type { Lab } from '../../../src/lab/lab.js';

export type CountHook = 'prerouting' | 'input' | 'forward';

/** Installs table `ip <table>` in `node`: counter `name` counts packets matching `rules[name]`. */
export async function countPackets(
  lab: Lab,
  node: string,
  table: string,
  hook: CountHook,
  rules: Record<string, string>,
): Promise<void> {
  const names = Object.keys(rules);
  await lab.exec(node, ['nft', '-f', '-'], {
    input: [
      `table ip ${table} {`,
      ...names.map((n) => `  counter ${n} { }`),
      '  chain count {',
      `    type filter hook ${hook} priority 0; policy accept;`,
      ...names.map((n) => `    ${rules[n]} counter name ${n} accept`),
      '  }',
      '}',
      '',
    ].join('\n'),
  });
}

/** The packets each counter of `ip <table>` in `node` has counted. */
export async function packetCounts(lab: Lab, node: string, table: string): Promise<Record<string, number>> {
  const { stdout } = await lab.exec(node, ['nft', '-j', 'list', 'counters', 'table', 'ip', table]);
  const items = (JSON.parse(stdout) as { nftables: { counter?: { name: string; packets: number } }[] })
    .nftables;
  return Object.fromEntries(items.flatMap((i) => (i.counter ? [[i.counter.name, i.counter.packets]] : [])));
}

export async function resetPacketCounts(lab: Lab, node: string, table: string): Promise<void> {
  await lab.exec(node, ['nft', 'reset', 'counters', 'table', 'ip', table]);
}
