// What `show wan-load-balance …` reports (spec §3.7): shared by the daemon, the CLI and `--json`.
// The renderers in show.ts need nothing but these records: durations are already measured (on the
// monotonic clock, by the daemon), times are ISO 8601 UTC, absent values are null.

export interface WlbTestStatus {
  test: number;
  type: 'ping' | 'ttl' | 'user-defined';
  /** ping/ttl: the configured target, else the nexthop in use (null while unknown). */
  target: string | null;
  /** user-defined: the test-script as configured. */
  script: string | null;
  result: 'success' | 'failure' | 'none';
  rttMs: number | null;
}

export interface WlbInterfaceStatus {
  interface: string;
  status: 'active' | 'failed';
  /** ISO 8601 UTC of the last ACTIVE↔FAILED change (or the start-up pseudo-change); null before it. */
  lastStatusChange: string | null;
  nexthop: string | null;
  nexthopSource: 'static' | 'dhcp';
  address: string | null;
  routeTable: number;
  mark: string;
  failureCount: number;
  successCount: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Seconds since the end of the last passing / failing cycle; null: none since the state began. */
  lastSuccessSeconds: number | null;
  lastFailureSeconds: number | null;
  /** In ascending test number; the implicit test of W-27 (number 0) when none is configured. */
  tests: WlbTestStatus[];
}

export interface WlbStatus {
  /** false: `load-balancing wan` is not in the running configuration (interfaces is empty). */
  configured: boolean;
  interfaces: WlbInterfaceStatus[];
}

export interface WlbConnection {
  /** Lower-case protocol name, or the number when unnamed. */
  protocol: string;
  /** Full conntrack TCP state (ESTABLISHED …); null for other protocols. */
  state: string | null;
  /** Original direction, before SNAT; ports null for protocols without ports. */
  source: string;
  sourcePort: number | null;
  destination: string;
  destinationPort: number | null;
  /** Original direction (LAN → WAN). */
  packets: number;
  bytes: number;
  /** The assigned interface; the rule that assigned it when known. */
  interface: string | null;
  rule: number | null;
}

export interface WlbConnections {
  configured: boolean;
  connections: WlbConnection[];
}

export interface WlbRuleEntry {
  /** `ISP_<if>`, `ACCEPT` (exclude) or `CONNMARK` (later packets of assigned flows). */
  target: string;
  interface: string | null;
  /** Conditional probability of this row when rows are tried top-down; null: unconditional. */
  probability: number | null;
  packets: number;
  bytes: number;
}

export interface WlbLimitStatus {
  rate: number;
  period: 'second' | 'minute' | 'hour';
  burst: number;
  threshold: 'above' | 'below';
  /** Packets that found a token / found none. */
  conforming: number;
  excess: number;
}

export interface WlbRuleStatus {
  rule: number;
  exclude: boolean;
  failover: boolean;
  perPacket: boolean;
  /** `all`, a name or number, `!` before it when negated. */
  protocol: string;
  /** As configured (`eth3`, `eth+`); the OUTPUT chain shows `any` whatever it holds. */
  inboundInterface: string;
  /** Address and port specs as configured; null: any. */
  source: string | null;
  destination: string | null;
  sourcePorts: string | null;
  destinationPorts: string | null;
  limit: WlbLimitStatus | null;
  /**
   * The decision entries in order: `ACCEPT` for an exclude rule; otherwise one `ISP_<if>` per
   * ACTIVE member used (none when no member is ACTIVE), then `CONNMARK` in flow mode.
   */
  entries: WlbRuleEntry[];
}

/** One classifier hook: forwarded traffic (PREROUTING) or router-originated traffic (OUTPUT). */
export interface WlbChainStatus {
  /** Every packet the classifier examined since the engine started. */
  packets: number;
  bytes: number;
  rules: WlbRuleStatus[];
}

export interface WlbRulesStatus {
  configured: boolean;
  forward: WlbChainStatus | null;
  /** Present only with `enable-local-traffic`. */
  local: WlbChainStatus | null;
}
