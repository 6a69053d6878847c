// Makes the kernel's interfaces match `interfaces ethernet …`: addresses, description (ifalias),
// administrative state. Only what the configuration names is managed; other addresses stay.
import { startDhcpClient, stopDhcpClient } from '../../platform/dhcpClient.js';
import * as ip from '../../platform/ip.js';
import type { ConfigTree } from '../../config/tree.js';
import type { EthernetConfig } from './schema.js';

type Ethernets = Record<string, EthernetConfig[string]>;

export function ethernetsOf(tree: ConfigTree): Ethernets {
  const interfaces = tree['interfaces'] as { ethernet?: Ethernets } | undefined;
  return interfaces?.ethernet ?? {};
}

export const DHCP = 'dhcp';

/** The configured static addresses of each ethernet interface, in configuration order. */
export function ethernetAddresses(tree: ConfigTree): Map<string, string[]> {
  return new Map(
    Object.entries(ethernetsOf(tree)).map(([name, e]) => [
      name,
      (e?.address ?? []).map(String).filter((a) => a !== DHCP),
    ]),
  );
}

/** Interfaces whose address comes from DHCP. */
export function dhcpInterfaces(tree: ConfigTree): Set<string> {
  return new Set(
    Object.entries(ethernetsOf(tree)).flatMap(([name, e]) =>
      (e?.address ?? []).map(String).includes(DHCP) ? [name] : [],
    ),
  );
}

export async function applyInterfaces(
  prevTree: ConfigTree,
  nextTree: ConfigTree,
  stateDir: string,
): Promise<void> {
  const prev = ethernetsOf(prevTree);
  const next = ethernetsOf(nextTree);
  const present = new Map(
    (await ip.addresses()).map((a) => [a.ifname, a.addr_info.map((i) => `${i.local}/${i.prefixlen}`)]),
  );
  for (const name of new Set([...Object.keys(prev), ...Object.keys(next)])) {
    const before = prev[name];
    const after = next[name];
    if (!present.has(name)) continue; // validation rejects missing interfaces; a vanished one has nothing to undo
    const want = new Set((after?.address ?? []).map(String).filter((a) => a !== DHCP));
    const have = new Set(present.get(name));
    for (const a of before?.address ?? []) {
      if (!want.has(String(a)) && have.has(String(a))) await ip.addrDelete(undefined, name, String(a));
    }
    for (const a of want) if (!have.has(a)) await ip.addrAdd(undefined, name, a);
    if (before?.description !== after?.description) await ip.linkSetAlias(name, after?.description ?? '');
    await ip.linkSetUp(undefined, name, !after?.disable);
  }
  // DHCP clients: one per interface that asks for it (also after a restart: a running client is
  // adopted, not started twice); a client no longer wanted releases its lease.
  const dhcp = dhcpInterfaces(nextTree);
  for (const name of dhcpInterfaces(prevTree)) if (!dhcp.has(name)) await stopDhcpClient(stateDir, name);
  for (const name of dhcp) await startDhcpClient(stateDir, name);
}
