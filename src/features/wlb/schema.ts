// Configuration schema of WAN load balancing: `load-balancing wan …` (spec §2.1/2.2). Ranges, enums
// and the form of every value are checked here, so `set` refuses them with the node's path (WV-4,
// WV-12 form); what needs a database or another node — service names per protocol, range order,
// host bits, script files — and the rules across nodes are checked in validate.ts.
import type { SchemaRegistry } from '../../config/registry.js';
import {
  AnyOf,
  Choice,
  Container,
  Flag,
  IntegerRange,
  InterfaceName,
  Ipv4Address,
  Leaf,
  Pattern,
  TagNode,
} from '../../config/schemaNodes.js';
import {
  ADDRESS_SPEC_PATTERN,
  INBOUND_PATTERN,
  PORT_SPEC_PATTERN,
  PROTOCOL_SPEC_PATTERN,
} from './grammar.js';

const U32 = 4294967295;
const SCRIPT = Pattern(
  '(?:[^\\s/]+|/\\S*[^\\s/])',
  'script name in /config/scripts, or absolute path',
  'must be a script name (looked up in /config/scripts) or an absolute path',
);
const ADDRESS_SPEC = Pattern(
  ADDRESS_SPEC_PATTERN,
  'a.b.c.d, a.b.c.d/len or a.b.c.d-e.f.g.h, optionally after !',
  'must be an IPv4 address, prefix (a.b.c.d/len) or range (a.b.c.d-e.f.g.h), optionally after one !',
);
const PORT_SPEC = Pattern(
  PORT_SPEC_PATTERN,
  'ports, service names and ranges (80,http,1000-2000), optionally after !',
  'must be a comma-separated list of ports, service names and ranges (80,http,1000-2000), optionally after one !',
);
const PROTOCOL_SPEC = Pattern(
  PROTOCOL_SPEC_PATTERN,
  'protocol name or number 0-255, or all, optionally after !',
  'must be a protocol name or number 0-255, or all, optionally after one !',
);
/** Host name (RFC 1123 labels); an all-numeric word is not a name, so 192.0.2.300 is refused. */
const HOST_NAME = Pattern(
  '(?![0-9.]+$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?',
  'host name',
  'must be a host name',
);

function endpointSchema(which: string) {
  return Container(
    {
      address: Leaf(ADDRESS_SPEC, {
        description: `${which} address, prefix or range to match (! negates; default any)`,
      }),
      port: Leaf(PORT_SPEC, {
        description: `${which} ports to match: protocol tcp or udp only (! negates the list; default any)`,
      }),
    },
    { description: `${which} criteria` },
  );
}

function testSchema() {
  return Container(
    {
      // No schema default: a script's time limit depends on whether resp-time was set (W-31); the
      // model applies 5 to ping and ttl tests.
      'resp-time': Leaf(IntegerRange(1, 30), { description: 'Seconds to wait for the answer (default 5)' }),
      target: Leaf(AnyOf([Ipv4Address(), HOST_NAME], 'must be an IPv4 address or a host name'), {
        description: 'Address probed by ping and ttl tests (default: the nexthop)',
      }),
      'test-script': Leaf(SCRIPT, { description: 'Program run by a user-defined test; exit 0 passes' }),
      // No schema default either: a ttl-limit set on a non-ttl test is reported (WV-17).
      'ttl-limit': Leaf(IntegerRange(1, 254), { description: 'TTL of ttl-test probes (default 1)' }),
      type: Leaf(
        Choice({
          ping: 'ICMP echo to the target',
          ttl: 'Probe expecting ICMP Time Exceeded from a hop before the target',
          'user-defined': 'Run test-script',
        }),
        { description: 'Kind of test (default ping)', default: 'ping' },
      ),
    },
    { description: 'Health test' },
  );
}

function interfaceHealthSchema() {
  return Container(
    {
      'failure-count': Leaf(IntegerRange(1, 10), {
        description: 'Failed cycles in a row that mark the interface FAILED (default 1)',
        default: 1,
      }),
      nexthop: Leaf(
        AnyOf(
          [Ipv4Address(), Choice({ dhcp: 'The router of the DHCP lease' })],
          'Invalid nexthop: must be a unicast IPv4 address or dhcp',
        ),
        { description: 'Gateway of balanced traffic and probes on this interface (required)' },
      ),
      'success-count': Leaf(IntegerRange(1, 10), {
        description: 'Passed cycles in a row that mark the interface ACTIVE again (default 1)',
        default: 1,
      }),
      test: TagNode(IntegerRange(1, U32), testSchema(), {
        description: 'Health test, run in ascending order',
      }),
    },
    { description: 'WAN interface and how its health is tested' },
  );
}

function ruleSchema() {
  return Container(
    {
      description: Leaf(
        Pattern(
          '[^\\p{Cc}]{1,255}',
          'text (1-255 printable characters)',
          'must be 1-255 printable characters',
        ),
        { description: 'Description of the rule' },
      ),
      destination: endpointSchema('Destination'),
      exclude: Flag({ description: 'Matching traffic is not balanced' }),
      failover: Flag({ description: 'Use only the ACTIVE interface with the highest weight' }),
      'inbound-interface': Leaf(
        Pattern(
          INBOUND_PATTERN,
          'interface name, or prefix followed by + (eth+)',
          'must be an interface name, or an interface name prefix followed by one + or * (eth+)',
        ),
        { description: 'Interface the traffic arrives on (prefix+ matches many; required)' },
      ),
      interface: TagNode(
        InterfaceName(),
        Container(
          {
            weight: Leaf(IntegerRange(1, 255), {
              description: 'Share of this interface (default 1)',
              default: 1,
            }),
          },
          { description: 'Outbound interface' },
        ),
        { description: 'Outbound interface of the pool' },
      ),
      limit: Container(
        {
          burst: Leaf(IntegerRange(1, U32), {
            description: 'Packets allowed beyond the rate (default 5)',
            default: 5,
          }),
          period: Leaf(Choice({ second: 'Per second', minute: 'Per minute', hour: 'Per hour' }), {
            description: 'Time unit of rate (default second)',
            default: 'second',
          }),
          rate: Leaf(IntegerRange(1, U32), { description: 'Packets per period (default 5)', default: 5 }),
          threshold: Leaf(
            Choice({ above: 'Apply to packets beyond the rate', below: 'Apply to packets within the rate' }),
            { description: 'Which side of the rate the rule applies to (default below)', default: 'below' },
          ),
        },
        { description: 'Apply the rule only below (or above) a packet rate (presence enables it)' },
      ),
      'per-packet-balancing': Flag({ description: 'Choose an interface for every packet' }),
      protocol: Leaf(PROTOCOL_SPEC, {
        description: 'IP protocol to match (default all)',
      }),
      source: endpointSchema('Source'),
    },
    { description: 'Balancing rule' },
  );
}

export function wlbSchema() {
  return Container(
    {
      'disable-source-nat': Flag({ description: 'Do not source-NAT balanced traffic' }),
      'enable-local-traffic': Flag({ description: 'Balance traffic the router originates too' }),
      'flush-connections': Flag({
        description: 'Flush all connection tracking on every interface state change',
      }),
      hook: Leaf(SCRIPT, { description: 'Program run on every interface state change' }),
      'interface-health': TagNode(InterfaceName(), interfaceHealthSchema(), {
        description: 'WAN interface used by load balancing',
      }),
      rule: TagNode(IntegerRange(1, U32), ruleSchema(), { description: 'Balancing rule (ascending order)' }),
    },
    { description: 'WAN load balancing (presence turns it on)' },
  );
}

export function registerWlbSchema(registry: SchemaRegistry): void {
  registry.register(
    'wlb',
    ['load-balancing'],
    Container({ wan: wlbSchema() }, { description: 'Load balancing' }),
  );
}
