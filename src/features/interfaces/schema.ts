// Configuration schema of `interfaces ethernet <name>`: the core every other interface feature
// (vrrp, …) registers below, at `interfaces ethernet * …`.

import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import {
  AnyOf,
  Choice,
  Container,
  Flag,
  InterfaceName,
  Ipv4Prefix,
  Ipv6Prefix,
  Leaf,
  MultiLeaf,
  TagNode,
  Text,
} from '../../config/schemaNodes.js';

export function ethernetSchema() {
  return TagNode(
    InterfaceName(),
    Container(
      {
        address: MultiLeaf(
          AnyOf(
            [Ipv4Prefix(), Ipv6Prefix(), Choice({ dhcp: 'An IPv4 address leased by DHCP' })],
            'must be an IP address with prefix length (192.0.2.1/24, 2001:db8::1/64) or dhcp',
          ),
          { description: 'IP address of the interface, with prefix length, or dhcp' },
        ),
        description: Leaf(Text(1, 255), { description: 'Description of the interface' }),
        disable: Flag({ description: 'Administratively disable the interface' }),
      },
      { description: 'Ethernet interface' },
    ),
    { description: 'Ethernet interface' },
  );
}

export type EthernetConfig = Static<ReturnType<typeof ethernetSchema>>;

export function registerInterfacesSchema(registry: SchemaRegistry): void {
  registry.register('interfaces', ['interfaces', 'ethernet'], ethernetSchema());
}
