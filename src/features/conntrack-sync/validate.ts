// Commit-time rules of conntrack sync (spec §2.4, CV-1…CV-16), each with the node's path.
import type { Static } from '@sinclair/typebox';
import type { ConfigTree } from '../../config/tree.js';
import type { ConfigPathError } from '../../errors.js';
import { pathProblems } from '../pathProblems.js';
import type { SystemFacts } from '../feature.js';
import { clusterModelOf } from '../cluster/model.js';
import { ethernetAddresses } from '../interfaces/apply.js';
import { vrrpGroupsOf } from '../vrrp/groups.js';
import { wanConfigOf } from '../wlb/model.js';
import type { conntrackSyncSchema } from './schema.js';

type SyncConfig = Static<ReturnType<typeof conntrackSyncSchema>>;
const BASE = ['service', 'conntrack-sync'];

export function conntrackSyncConfigOf(tree: ConfigTree): SyncConfig | undefined {
  return (tree['service'] as { 'conntrack-sync'?: SyncConfig } | undefined)?.['conntrack-sync'];
}

export function validateConntrackSync(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
  const c = conntrackSyncConfigOf(tree);
  if (!c) return [];
  const { problems, error, warn } = pathProblems(BASE);

  // CV-1…CV-3: the sync link.
  if (!c.interface) error([], 'conntrack-sync error: interface not defined');
  else if (!facts.interfaces.has(c.interface))
    error(['interface'], 'conntrack-sync error: interface does not exist on system');
  else if (!(ethernetAddresses(tree).get(c.interface) ?? []).some((a) => !a.includes(':')))
    error(['interface'], 'conntrack-sync error: IP address not configured on interface');

  // CV-4…CV-7: exactly one failover mechanism, naming something that exists.
  const fm = c['failover-mechanism'];
  if (!fm || (!fm.cluster && !fm.vrrp)) error([], 'conntrack-sync error: failover mechanism not defined');
  else if (fm.cluster && fm.vrrp)
    error(
      ['failover-mechanism'],
      "conntrack-sync error: can't set both vrrp and cluster as failover mechanism",
    );
  else if (fm.cluster) {
    const group = fm.cluster.group;
    const clusterGroups = (tree['cluster'] as { group?: Record<string, unknown> } | undefined)?.group ?? {};
    if (!group) error(['failover-mechanism', 'cluster'], 'conntrack-sync error: cluster group not defined');
    else if (!clusterGroups[group])
      error(['failover-mechanism', 'cluster', 'group'], 'conntrack-sync error: cluster group does not exist');
  } else if (fm.vrrp) {
    const name = fm.vrrp['sync-group'];
    const members = vrrpGroupsOf(tree).filter((g) => g.syncGroup === name && !g.disabled);
    if (!name) error(['failover-mechanism', 'vrrp'], 'conntrack-sync error: vrrp sync-group not defined');
    else if (!members.length)
      error(
        ['failover-mechanism', 'vrrp', 'sync-group'],
        'conntrack-sync error: vrrp sync-group does not exist',
      );
    else if (members.some((g) => g.interface === c.interface))
      warn(['interface'], 'the conntrack-sync link should not be part of the failover group'); // CV-15
  }

  // CV-9: `all` alone.
  const expect = c['expect-sync'] ?? [];
  if (expect.includes('all') && expect.length > 1)
    error(['expect-sync'], 'expect-sync error: Cannot configure all with other protocol(s)');

  // CV-12: a multicast group.
  const first = Number((c['mcast-group'] ?? '225.0.0.50').split('.')[0]);
  if (first < 224 || first > 239) error(['mcast-group'], 'IP address is not a multicast group');

  // CV-13: flushing conntrack would wipe what sync keeps (the WLB side reports it as WV-11 too).
  if (wanConfigOf(tree)?.['flush-connections'])
    error([], 'conntrack-sync cannot be used with load-balancing wan flush-connections');

  // Cluster spec CV-25: the sync link carrying a cluster address of the group.
  const model = fm?.cluster ? clusterModelOf(tree) : undefined;
  if (model && model.group === fm?.cluster?.group)
    if (model.services.some((s) => s.kind === 'address' && s.ifname === c.interface))
      warn(['interface'], 'the conntrack-sync link should be a dedicated link');
  return problems;
}
