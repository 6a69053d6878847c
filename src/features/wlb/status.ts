// What `show wan-load-balance …` reports (spec §3.7): shared by the daemon, the CLI and `--json`.

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
  lastSuccessSeconds: number | null;
  lastFailureSeconds: number | null;
  tests: WlbTestStatus[];
}

export interface WlbStatus {
  configured: boolean;
  interfaces: WlbInterfaceStatus[];
}

export interface WlbConnection {
  protocol: string;
  /** Full conntrack TCP state (ESTABLISHED …); null for other protocols. */
  state: string | null;
  source: string;
  sourcePort: number | null;
  destination: string;
  destinationPort: number | null;
  packets: number;
  bytes: number;
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

export interface WlbRuleStatus {
  rule: number;
  exclude: boolean;
  failover: boolean;
  perPacket: boolean;
  protocol: string;
  inboundInterface: string;
  source: string | null;
  destination: string | null;
  sourcePorts: string | null;
  destinationPorts: string | null;
  limit: {
    rate: number;
    period: string;
    burst: number;
    threshold: string;
    conforming: number;
    excess: number;
  } | null;
  entries: WlbRuleEntry[];
}

export interface WlbRulesStatus {
  configured: boolean;
  forward: { packets: number; bytes: number; rules: WlbRuleStatus[] } | null;
  local: null;
}
