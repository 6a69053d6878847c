// The committed `load-balancing wan` tree as plain records with defaults applied and value specs
// parsed: what the engine, the health monitor and the show commands work with. Call it on trees
// that passed validation (unparseable specs come out as "any"). Interfaces and pools are in
// byte-wise name order, tests and rules in ascending number.
import type { Static } from '@sinclair/typebox';
import type { ConfigTree } from '../../config/tree.js';
import { scriptPath } from '../vrrp/validate.js';
import {
  type AddressRange,
  type InboundSpec,
  type PortSet,
  type ProtocolSpec,
  parseAddressSpec,
  parseInboundInterface,
  parsePortSpec,
  parseProtocolSpec,
  portProtocol,
} from './grammar.js';
import type { wlbSchema } from './schema.js';

type WanConfig = Static<ReturnType<typeof wlbSchema>>;

export type TestType = 'ping' | 'ttl' | 'user-defined';

export interface WlbTest {
  test: number;
  type: TestType;
  /** As configured; null = probe the nexthop. */
  target: string | null;
  respTime: number;
  respTimeSet: boolean;
  ttlLimit: number;
  /** As configured, and resolved to a path. */
  scriptName: string | null;
  script: string | null;
  /** The implicit ping test of an interface without tests (W-27). */
  implicit: boolean;
}

export interface WlbInterface {
  interface: string;
  nexthop: string | 'dhcp';
  failureCount: number;
  successCount: number;
  tests: WlbTest[];
}

export interface WlbEndpoint {
  /** As configured (null: any). */
  addressText: string | null;
  address: AddressRange | null;
  /** As configured (null: any). */
  portText: string | null;
  ports: PortSet | null;
}

export interface WlbMember {
  interface: string;
  weight: number;
}

export interface WlbLimit {
  rate: number;
  period: 'second' | 'minute' | 'hour';
  periodSeconds: number;
  burst: number;
  threshold: 'above' | 'below';
}

export interface WlbRule {
  number: number;
  description: string | null;
  exclude: boolean;
  failover: boolean;
  perPacket: boolean;
  /** As configured ('' only in trees that failed WV-6). */
  inboundInterface: string;
  /** The name or prefix it matches; null when missing or malformed. */
  inbound: InboundSpec | null;
  protocol: ProtocolSpec;
  source: WlbEndpoint;
  destination: WlbEndpoint;
  /** By interface name, byte-wise (the order weighted draws walk, W-14). */
  pool: WlbMember[];
  /** Weight descending, then name: the order failover tries (W-16). */
  failoverOrder: WlbMember[];
  limit: WlbLimit | null;
}

export interface WlbConfig {
  disableSourceNat: boolean;
  enableLocalTraffic: boolean;
  flushConnections: boolean;
  hookName: string | null;
  hook: string | null;
  interfaces: WlbInterface[];
  rules: WlbRule[];
}

const PERIOD_SECONDS = { second: 1, minute: 60, hour: 3600 } as const;

/** Byte-wise order of names (UTF-16 code units equal bytes for the ASCII names allowed). */
export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order failover tries a pool (W-16): weight descending, then byte-wise smallest name. */
export function failoverOrder(pool: readonly WlbMember[]): WlbMember[] {
  return [...pool].sort((a, b) => b.weight - a.weight || byteOrder(a.interface, b.interface));
}

/** The interface a failover rule uses now: the first ACTIVE member in failover order, if any. */
export function failoverChoice(
  pool: readonly WlbMember[],
  active: (ifname: string) => boolean,
): WlbMember | undefined {
  return failoverOrder(pool).find((m) => active(m.interface));
}

/**
 * The conditional probabilities that reproduce the weights when rows are tried top-down (spec
 * §3.4): pₖ = wₖ / (W − Σⱼ<ₖ wⱼ); the last row is unconditional (null). [2, 1] → [2/3, null].
 */
export function conditionalProbabilities(weights: readonly number[]): (number | null)[] {
  let remaining = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w, i) => {
    if (i === weights.length - 1) return null;
    const p = w / remaining;
    remaining -= w;
    return p;
  });
}

/** The implicit test of an interface without tests (W-27): ping the nexthop, resp-time 5. */
export const IMPLICIT_TEST: Readonly<WlbTest> = {
  test: 0,
  type: 'ping',
  target: null,
  respTime: 5,
  respTimeSet: false,
  ttlLimit: 1,
  scriptName: null,
  script: null,
  implicit: true,
};

export function wanConfigOf(tree: ConfigTree): WanConfig | undefined {
  return (tree['load-balancing'] as { wan?: WanConfig } | undefined)?.wan;
}

function endpoint(e: { address?: string; port?: string } | undefined, protocol: ProtocolSpec): WlbEndpoint {
  const addressText = e?.address ?? null;
  const portText = e?.port ?? null;
  const a = addressText ? parseAddressSpec(addressText) : undefined;
  const proto = portProtocol(protocol);
  const p = portText && proto ? parsePortSpec(portText, proto) : undefined;
  return {
    addressText,
    address: a && 'ok' in a ? a.ok : null,
    portText,
    ports: p && 'ok' in p ? p.ok : null,
  };
}

function inboundOf(text: string | undefined): InboundSpec | null {
  if (text === undefined) return null;
  const parsed = parseInboundInterface(text);
  return 'ok' in parsed ? parsed.ok : null;
}

export function wlbConfigOf(tree: ConfigTree): WlbConfig | undefined {
  const wan = wanConfigOf(tree);
  if (!wan) return undefined;
  const interfaces = Object.entries(wan['interface-health'] ?? {})
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, h]): WlbInterface => {
      const nexthop = String(h.nexthop ?? '');
      const tests = Object.entries(h.test ?? {})
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([n, t]): WlbTest => ({
          test: Number(n),
          type: (t.type ?? 'ping') as TestType,
          target: t.target ?? null,
          respTime: t['resp-time'] ?? 5,
          respTimeSet: t['resp-time'] !== undefined,
          ttlLimit: t['ttl-limit'] ?? 1,
          scriptName: t['test-script'] ?? null,
          script: t['test-script'] ? scriptPath(t['test-script']) : null,
          implicit: false,
        }));
      return {
        interface: name,
        nexthop,
        failureCount: h['failure-count'] ?? 1,
        successCount: h['success-count'] ?? 1,
        tests: tests.length ? tests : [{ ...IMPLICIT_TEST }],
      };
    });
  const rules = Object.entries(wan.rule ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([n, r]): WlbRule => {
      const p = parseProtocolSpec(r.protocol ?? 'all');
      const protocol = 'ok' in p ? p.ok : { number: null, negate: false, name: 'all' };
      const pool = Object.entries(r.interface ?? {})
        .map(([name, m]) => ({ interface: name, weight: m.weight ?? 1 }))
        .sort((a, b) => byteOrder(a.interface, b.interface));
      const limit = r.limit
        ? {
            rate: r.limit.rate ?? 5,
            period: (r.limit.period ?? 'second') as WlbLimit['period'],
            periodSeconds: PERIOD_SECONDS[(r.limit.period ?? 'second') as WlbLimit['period']],
            burst: r.limit.burst ?? 5,
            threshold: (r.limit.threshold ?? 'below') as WlbLimit['threshold'],
          }
        : null;
      return {
        number: Number(n),
        description: r.description ?? null,
        exclude: r.exclude === true,
        failover: r.failover === true,
        perPacket: r['per-packet-balancing'] === true,
        inboundInterface: r['inbound-interface'] ?? '',
        inbound: inboundOf(r['inbound-interface']),
        protocol,
        source: endpoint(r.source, protocol),
        destination: endpoint(r.destination, protocol),
        pool,
        failoverOrder: failoverOrder(pool),
        limit,
      };
    });
  return {
    disableSourceNat: wan['disable-source-nat'] === true,
    enableLocalTraffic: wan['enable-local-traffic'] === true,
    flushConnections: wan['flush-connections'] === true,
    hookName: wan.hook ?? null,
    hook: wan.hook ? scriptPath(wan.hook) : null,
    interfaces,
    rules,
  };
}
