// Configuration schema of clustering: `cluster …` (spec clustering.md §2.1-2.2).
import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import {
  Choice,
  Container,
  IntegerRange,
  InterfaceName,
  Ipv4Address,
  Leaf,
  MultiLeaf,
  Pattern,
  TagNode,
} from '../../config/schemaNodes.js';
import { HOST_NAME } from '../system/schema.js';

export const CLUSTER_DEFAULTS = {
  deadIntervalMs: 20000,
  keepaliveIntervalMs: 5000,
  monitorDeadIntervalMs: 20000,
  initDeadIntervalMs: 120000,
  mcastGroup: '239.251.252.253',
} as const;

const hostName = (description: string) =>
  Leaf(Pattern(HOST_NAME, 'host name', 'must be a host name: 1-63 letters, digits or hyphens'), {
    description,
  });

export function clusterSchema() {
  const group = Container(
    {
      'auto-failback': Leaf(
        Choice({
          true: 'Resources return to the primary once it is available again',
          false: 'Resources stay where they are (non-revertive)',
        }),
        { description: 'Whether resources fail back to the primary (default false)', default: 'false' },
      ),
      monitor: MultiLeaf(Ipv4Address(), { description: 'Host pinged to judge this node’s connectivity' }),
      primary: hostName('Host name of the primary node (mandatory)'),
      secondary: hostName('Host name of the secondary node (mandatory)'),
      service: MultiLeaf(
        Pattern(
          '[!-~]{1,255}',
          'cluster address <a.b.c.d/len[/if[/brd]]>, service name or script::arg…',
          'must be a cluster address (a.b.c.d/len[/if[/brd]]) or a service name, without spaces',
        ),
        { description: 'Resource held by the active node: a cluster IP address or a named service' },
      ),
    },
    { description: 'Resource group' },
  );
  return Container(
    {
      'dead-interval': Leaf(IntegerRange(1, 29999), {
        description: `Silence (ms) after which the peer is dead (default ${CLUSTER_DEFAULTS.deadIntervalMs})`,
        default: CLUSTER_DEFAULTS.deadIntervalMs,
      }),
      group: TagNode(
        Pattern('[A-Za-z0-9._-]{1,64}', 'group name', 'must be 1-64 of A-Z, a-z, 0-9, ".", "_", "-"'),
        group,
        { description: 'Resource group (exactly one)' },
      ),
      'init-dead-interval': Leaf(IntegerRange(1000, 600000), {
        description: `How long (ms) a starting node waits for its peer (default ${CLUSTER_DEFAULTS.initDeadIntervalMs})`,
        default: CLUSTER_DEFAULTS.initDeadIntervalMs,
      }),
      interface: MultiLeaf(InterfaceName(), { description: 'Interface carrying heartbeats (at least one)' }),
      'keepalive-interval': Leaf(IntegerRange(1, 29999), {
        description: `Time (ms) between heartbeats and monitor pings (default ${CLUSTER_DEFAULTS.keepaliveIntervalMs})`,
        default: CLUSTER_DEFAULTS.keepaliveIntervalMs,
      }),
      'mcast-group': Leaf(Ipv4Address(), {
        description: `Multicast group of the heartbeats (default ${CLUSTER_DEFAULTS.mcastGroup})`,
        default: CLUSTER_DEFAULTS.mcastGroup,
      }),
      'monitor-dead-interval': Leaf(IntegerRange(1, 29999), {
        description: `Time (ms) without echo reply after which a monitor is unreachable (default ${CLUSTER_DEFAULTS.monitorDeadIntervalMs})`,
        default: CLUSTER_DEFAULTS.monitorDeadIntervalMs,
      }),
      'pre-shared-secret': Leaf(
        Pattern(
          '[ -~]{1,128}',
          'secret (1-128 printable characters)',
          'must be 1-128 printable ASCII characters',
        ),
        { description: 'Key authenticating heartbeats (mandatory)' },
      ),
    },
    { description: 'Clustering: resource failover between two routers' },
  );
}

export type ClusterConfig = Static<ReturnType<typeof clusterSchema>>;

export function registerClusterSchema(registry: SchemaRegistry): void {
  registry.register('cluster', ['cluster'], clusterSchema());
}
