// Configuration schema of conntrack sync: `service conntrack-sync …` (spec conntrack-sync.md §2).
import type { SchemaRegistry } from '../../config/registry.js';
import {
  AnyOf,
  Choice,
  Container,
  IntegerRange,
  InterfaceName,
  Ipv4Address,
  Ipv4Prefix,
  Leaf,
  MultiLeaf,
  Pattern,
  Text,
} from '../../config/schemaNodes.js';

export const DEFAULT_MCAST_GROUP = '225.0.0.50';

export function conntrackSyncSchema() {
  return Container(
    {
      'accept-protocol': Leaf(
        Pattern(
          '((tcp|udp|icmp|sctp),)*(tcp|udp|icmp|sctp)',
          'tcp, udp, icmp, sctp, comma-separated',
          'Invalid value for protocol. Allowed values : tcp udp icmp sctp. When specifying more than one protocol, protocols should be comma-separated.',
        ),
        { description: 'Protocols whose connections are synced (default: all)' },
      ),
      // Tandem extension: authenticated sync channel (every datagram MACed, replays dropped).
      authentication: Container(
        {
          'pre-shared-secret': Leaf(
            Pattern(
              '[ -~]{8,128}',
              'secret (8-128 printable characters)',
              'must be 8-128 printable ASCII characters',
            ),
            {
              description: 'Key authenticating every sync datagram (HMAC-SHA-256); the same on every router',
            },
          ),
        },
        {
          description:
            'Authenticate the sync channel (Tandem routers only: a conntrackd peer cannot take part)',
        },
      ),
      'event-listen-queue-size': Leaf(IntegerRange(1, 1024), {
        description: 'Most MB of kernel event buffer (default 8)',
        default: 8,
      }),
      'expect-sync': MultiLeaf(
        Choice({
          all: 'Every helper below',
          ftp: 'FTP',
          h323: 'H.323',
          nfs: 'NFS (sunrpc)',
          sip: 'SIP',
          sqlnet: 'Oracle SQL*Net',
        }),
        { description: 'Sync expectations of these helpers' },
      ),
      'failover-mechanism': Container(
        {
          cluster: Container(
            { group: Leaf(Text(1, 64), { description: 'Cluster group whose holder syncs' }) },
            { description: 'Follow a cluster group' },
          ),
          vrrp: Container(
            { 'sync-group': Leaf(Text(1, 64), { description: 'VRRP sync group whose master syncs' }) },
            { description: 'Follow a VRRP sync group' },
          ),
        },
        { description: 'What decides which router is active (mandatory: cluster or vrrp)' },
      ),
      'ignore-address': Container(
        {
          ipv4: MultiLeaf(AnyOf([Ipv4Address(), Ipv4Prefix()], 'must be an IPv4 address or prefix'), {
            description: 'Connections involving this address or prefix are not synced',
          }),
        },
        { description: 'Addresses whose connections are not synced' },
      ),
      interface: Leaf(InterfaceName(), { description: 'Interface carrying the sync messages (mandatory)' }),
      'mcast-group': Leaf(Ipv4Address(), {
        description: `Multicast group of the sync messages (default ${DEFAULT_MCAST_GROUP})`,
        default: DEFAULT_MCAST_GROUP,
      }),
      'purge-timeout': Leaf(IntegerRange(0, 86400), {
        description:
          'Seconds after becoming standby before the connections of the active time are deleted (default 60)',
        default: 60,
      }),
      'sync-queue-size': Leaf(IntegerRange(1, 1024), {
        description: 'MB of send and receive buffer of the sync channel (default 1)',
        default: 1,
      }),
    },
    { description: 'Connection tracking synchronisation (stateful failover)' },
  );
}

export function registerConntrackSyncSchema(registry: SchemaRegistry): void {
  registry.register('conntrack-sync', ['service', 'conntrack-sync'], conntrackSyncSchema());
}
