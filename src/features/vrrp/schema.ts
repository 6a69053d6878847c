// Configuration schema of VRRP: `interfaces ethernet <if> vrrp …` (spec vrrp.md §2.2-2.4).
import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import {
  AnyOf,
  Choice,
  Container,
  Flag,
  IntegerRange,
  InterfaceName,
  Ipv4Address,
  Ipv4Prefix,
  Ipv6Address,
  Ipv6Prefix,
  Leaf,
  MultiLeaf,
  Pattern,
  TagNode,
  Text,
} from '../../config/schemaNodes.js';

const TRUE_FALSE = (yes: string, no: string) => Choice({ true: yes, false: no });

export function vrrpGroupSchema() {
  return Container(
    {
      accept: Leaf(
        TRUE_FALSE('Accept packets addressed to the VIPs (VRRPv3 Accept_Mode)', 'Do not accept them'),
        {
          description: 'VRRPv3 accept mode (default false)',
          default: 'false',
        },
      ),
      'advertise-interval': Leaf(IntegerRange(1, 255), {
        description: 'Advertisement interval in seconds (default 1)',
        default: 1,
      }),
      authentication: Container(
        {
          password: Leaf(
            Pattern(
              '[!-~]{1,8}',
              'password (1-8 printable characters, no spaces)',
              'must be 1-8 printable characters without spaces',
            ),
            { description: 'Shared password (plaintext, or the AH key)' },
          ),
          type: Leaf(
            Choice({
              ah: 'IP Authentication Header (HMAC-MD5-96)',
              'plaintext-password': 'Password in clear text',
            }),
            { description: 'Authentication method (VRRPv2)' },
          ),
        },
        { description: 'VRRPv2 authentication' },
      ),
      description: Leaf(Text(1, 255), { description: 'Description of the group' }),
      disable: Flag({ description: 'Stop the group, keeping its configuration' }),
      'fast-advertise-interval': Leaf(IntegerRange(10, 40950), {
        description: 'VRRPv3 advertisement interval in milliseconds (multiple of 10)',
      }),
      'hello-source-address': Leaf(AnyOf([Ipv4Address(), Ipv6Address()], 'must be an IP address'), {
        description: 'Source address of advertisements',
      }),
      interface: Container(
        { description: Leaf(Text(1, 255), { description: 'Description of the VRRP interface' }) },
        { description: 'The VRRP interface of an RFC 3768 group' },
      ),
      preempt: Leaf(TRUE_FALSE('A higher-priority backup takes over', 'Never displace a live master'), {
        description: 'Preemption (default true)',
        default: 'true',
      }),
      'preempt-delay': Leaf(IntegerRange(0, 3600), {
        description: 'Seconds to wait before preempting',
        default: 0,
      }),
      priority: Leaf(IntegerRange(1, 255), {
        description: 'Priority (255: address owner; default 100)',
        default: 100,
      }),
      'rfc3768-compatibility': Flag({ description: 'Use the virtual MAC on a VRRP interface' }),
      'run-transition-scripts': Container(
        {
          backup: Leaf(Text(1, 255), { description: 'Script run on entering BACKUP' }),
          fault: Leaf(Text(1, 255), { description: 'Script run on entering FAULT' }),
          master: Leaf(Text(1, 255), { description: 'Script run on entering MASTER' }),
        },
        { description: 'Scripts run on state changes' },
      ),
      'sync-group': Leaf(
        Pattern(
          '[A-Za-z0-9][A-Za-z0-9_.-]{0,31}',
          'sync group name',
          'must be 1-32 of A-Z a-z 0-9 _ . -, starting alphanumeric',
        ),
        { description: 'Sync group this group belongs to' },
      ),
      track: Container(
        {
          interface: TagNode(
            InterfaceName(),
            Container(
              {
                weight: Container(
                  {
                    type: Leaf(
                      Choice({
                        increment: 'Raise the priority while the interface is up',
                        decrement: 'Lower the priority while the interface is down',
                      }),
                      { description: 'How the weight applies', mandatory: true },
                    ),
                    value: Leaf(IntegerRange(1, 254), {
                      description: 'Amount of the change',
                      mandatory: true,
                    }),
                  },
                  { description: 'Change the priority instead of going to FAULT' },
                ),
              },
              { description: 'Tracked interface' },
            ),
            { description: 'Interface whose state the group tracks' },
          ),
        },
        { description: 'Tracking' },
      ),
      'v3-checksum': Leaf(
        Choice({
          auto: 'Form the peers use (default: pseudo-header until an RFC 9568 peer is heard)',
          rfc9568: 'Checksum over the VRRP message only',
          'pseudo-header': 'Checksum with the IPv4 pseudo-header (keepalived, FRR)',
        }),
        { description: 'Checksum form of VRRPv3 IPv4 advertisements', default: 'auto' },
      ),
      version: Leaf(IntegerRange(2, 3), { description: 'VRRP version (default 2)', default: 2 }),
      'virtual-address': MultiLeaf(
        AnyOf(
          [Ipv4Address(), Ipv4Prefix(), Ipv6Address(), Ipv6Prefix()],
          'must be an IP address, optionally with a prefix length (192.0.2.1/24)',
        ),
        { description: 'Virtual IP address (1-20)', mandatory: true },
      ),
    },
    { description: 'VRRP group' },
  );
}

export function vrrpSchema() {
  return Container(
    {
      'start-delay': Leaf(IntegerRange(0, 600), {
        description: 'Seconds the groups wait after boot',
        default: 0,
      }),
      'vrrp-group': TagNode(IntegerRange(1, 255), vrrpGroupSchema(), {
        description: 'VRRP group (VRID 1-255)',
      }),
    },
    { description: 'Virtual Router Redundancy Protocol' },
  );
}

export type VrrpConfig = Static<ReturnType<typeof vrrpSchema>>;
export type VrrpGroupConfig = Static<ReturnType<typeof vrrpGroupSchema>>;

export function registerVrrpSchema(registry: SchemaRegistry): void {
  registry.register('vrrp', ['interfaces', 'ethernet', '*', 'vrrp'], vrrpSchema());
}
