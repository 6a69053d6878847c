// The nftables part of WLB (spec §4.15): the first packet of a balanced connection hands its mark
// to the connection (so the mark survives as the connection's assignment), and the implicit SNAT
// per uplink, ahead of the operator's own source NAT; with `enable-local-traffic` the output chain
// of localTraffic.ts. Generated as one script applied atomically.
import { LOCAL_CHAIN, LOCAL_CHAIN_HEAD } from './localTraffic.js';
import { replaceTableScript } from '../../platform/nftables.js';
import { MARK_BASE } from './slots.js';

export const NFT_TABLE = 'tandem_wlb';

export interface SnatUplink {
  ifname: string;
  mark: number;
  /** The uplink's VRRP virtual address: SNAT to it (the mapping moves with the gateway); else
   * masquerade to the interface's primary address (W-47). */
  virtualAddress?: string;
}

/** Router-originated traffic: the chain's objects and its rules (localTraffic.ts). */
export interface LocalChain {
  objects: string[];
  rules: string[];
}

/** The whole table, replacing any previous one in the same transaction. */
export function wlbNftScript(
  uplinks: readonly SnatUplink[],
  sourceNat: boolean,
  local: LocalChain | null = null,
): string {
  const snat = sourceNat
    ? uplinks.map(
        (u) =>
          `    ct mark and 0xff == 0x${u.mark.toString(16)} oifname ${JSON.stringify(u.ifname)} ${u.virtualAddress ? `snat to ${u.virtualAddress}` : 'masquerade'}`,
      )
    : [];
  return replaceTableScript('ip', NFT_TABLE, [
    '  chain prerouting {',
    '    type filter hook prerouting priority mangle; policy accept;',
    // A new connection takes the interface mark the classifier gave its first packet.
    `    ct state new meta mark and 0xff >= 0x${MARK_BASE.toString(16)} ct mark set meta mark and 0xff`,
    '  }',
    '  chain postrouting {',
    // srcnat - 1: before the operator's `nat source` rules (W-49).
    '    type nat hook postrouting priority srcnat - 1; policy accept;',
    ...snat,
    '  }',
    ...(local
      ? [...local.objects, `  chain ${LOCAL_CHAIN} {`, `    ${LOCAL_CHAIN_HEAD}`, ...local.rules, '  }']
      : []),
  ]);
}

/** Rewrites the output chain's rules alone (a health change): counters and buckets carry on. */
export function localRulesScript(rules: readonly string[]): string {
  return [
    `flush chain ip ${NFT_TABLE} ${LOCAL_CHAIN}`,
    `table ip ${NFT_TABLE} {`,
    `  chain ${LOCAL_CHAIN} {`,
    `    ${LOCAL_CHAIN_HEAD}`,
    ...rules,
    '  }',
    '}',
    '',
  ].join('\n');
}
