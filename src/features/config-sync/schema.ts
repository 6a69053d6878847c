// Configuration schema of config-sync (spec config-sync.md §2): `system config-sync` on the
// master, and `service https` — the API a standby serves to its master.
import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import {
  AnyOf,
  Choice,
  Container,
  IntegerRange,
  Ipv4Address,
  Ipv6Address,
  Leaf,
  MultiLeaf,
  Pattern,
  TagNode,
  Text,
} from '../../config/schemaNodes.js';

const NAME = Pattern('[A-Za-z0-9._-]{1,64}', 'name', 'must be 1-64 of A-Z, a-z, 0-9, ".", "_", "-"');

export function configSyncSchema() {
  const rule = Container(
    {
      action: Leaf(
        Choice({ include: 'The location is synchronized', exclude: 'The location is not synchronized' }),
        { description: 'Whether the location is synchronized' },
      ),
      location: Leaf(Text(1, 1024), {
        description: 'Configuration path the rule applies to (quote a path of several words)',
      }),
    },
    { description: 'Rule (the lowest-numbered rule matching a line decides)' },
  );
  return Container(
    {
      'remote-router': TagNode(
        AnyOf([Ipv4Address(), Ipv6Address()], 'must be an IPv4 or IPv6 address'),
        Container(
          {
            password: Leaf(Text(1, 128), { description: 'Password of the user on the standby' }),
            'sync-map': Leaf(NAME, { description: 'Sync-map deciding what is pushed to this standby' }),
            'tls-fingerprint': Leaf(
              Pattern(
                '([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}',
                'SHA-256 fingerprint (AA:BB:…, 32 bytes)',
                'must be a SHA-256 fingerprint: 32 hex bytes separated by ":"',
              ),
              { description: 'Pinned certificate of the standby (default: trusted on first contact)' },
            ),
            username: Leaf(Text(1, 32), { description: 'Admin user on the standby' }),
          },
          { description: 'Standby router kept in sync' },
        ),
        { description: 'Standby router kept in sync' },
      ),
      'sync-map': TagNode(
        NAME,
        Container(
          { rule: TagNode(IntegerRange(1, 1024), rule, { description: 'Sync-map rule' }) },
          { description: 'Sync-map' },
        ),
        { description: 'Named list of rules choosing what is synchronized' },
      ),
    },
    { description: 'Configuration synchronization to standby routers' },
  );
}

export function httpsSchema() {
  return Container(
    {
      'listen-address': MultiLeaf(AnyOf([Ipv4Address(), Ipv6Address()], 'must be an IPv4 or IPv6 address'), {
        description: 'Address the API listens on (default: all)',
      }),
      port: Leaf(IntegerRange(1, 65535), { description: 'TCP port of the API (default 443)', default: 443 }),
    },
    { description: 'HTTPS management API (what config-sync masters use)' },
  );
}

export type ConfigSyncConfig = Static<ReturnType<typeof configSyncSchema>>;
export type HttpsConfig = Static<ReturnType<typeof httpsSchema>>;

export function registerConfigSyncSchema(registry: SchemaRegistry): void {
  registry.register('config-sync', ['system', 'config-sync'], configSyncSchema());
}

export function registerHttpsSchema(registry: SchemaRegistry): void {
  registry.register('https', ['service', 'https'], httpsSchema());
}
