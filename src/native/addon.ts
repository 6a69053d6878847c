// The raw addon as node-gyp-build finds it (build/Release or prebuilds/), with its exact shape.
// Only the typed wrappers beside this file use it.
import { createRequire } from 'node:module';
import { NativeError } from '../errors.js';
import { packageRoot } from '../packageRoot.js';

export interface RawMapInfo {
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  id: number;
  valueBufferSize: number;
  perCpu: boolean;
  name: string;
}

/** BPF_PROG_TEST_RUN: the verdict, the kernel's ns per run, the mark and the frame as left. */
export interface RawTestRun {
  retval: number;
  nsPerPacket: number;
  mark: number;
  frame: Buffer;
}

export interface RawTcLink {
  ifindex: number;
  direction: 'ingress' | 'egress';
  handle: number;
  priority: number;
}

export type XdpMode = 'auto' | 'skb' | 'drv';

interface RawBpfObject {
  load(): void;
  programFd(name: string): number;
  mapFd(name: string): number;
  names(): { programs: string[]; maps: string[] };
  testRun(program: string, frame: Buffer, ingressIfindex: number, repeat: number, mark: number): RawTestRun;
  close(): void;
}

/** One VRRP group as the native engine takes it (addresses as network-order Buffers). */
export interface RawVrrpGroupConfig {
  parent: string;
  vrrpIfname: string;
  syncGroup: string;
  vrid: number;
  version: 2 | 3;
  family: 4 | 6;
  priority: number;
  /** v2 seconds, v3 centiseconds. */
  interval: number;
  preempt: boolean;
  accept: boolean;
  disabled: boolean;
  preemptDelay: number;
  startDelay: number;
  primary: Buffer | null;
  /** 0 none, 1 plaintext password, 2 AH. */
  authType: 0 | 1 | 2;
  password: string;
  /** 0 auto, 1 RFC 9568 (message only), 2 pseudo-header. */
  v3Checksum: 0 | 1 | 2;
  vips: { address: Buffer; prefix: number }[];
  /** weight 0: FAULT while down; > 0 added while up; < 0 added while down. */
  track: { ifname: string; weight: number }[];
}

export interface RawVrrpChange {
  from: string;
  to: string;
  reason: string;
  reasonText: string;
  peerPriority?: number;
  peer?: Buffer;
}

export interface RawVrrpEvent {
  type: 'state' | 'sync-state' | 'log';
  parent: string;
  vrid: number;
  syncGroup: string;
  unixMs: number;
  level?: number;
  text?: string;
  change?: RawVrrpChange;
}

export interface RawVrrpStatus {
  parent: string;
  vrid: number;
  state: string;
  priority: number;
  effectivePriority: number;
  faults: number;
  masterAdverIntervalUs: number;
  skewUs: number;
  masterDownUs: number;
  lastTransitionUnixMs: number;
  linkUp: boolean;
  csumForm: string;
  syncGroup: string;
  syncState: string;
  master?: { priority: number; address: Buffer; mac: Buffer; intervalUs: number };
  counters: {
    advertisementsReceived: number;
    advertisementsSent: number;
    becameMaster: number;
    releasedMaster: number;
    priorityZeroReceived: number;
    priorityZeroSent: number;
    drops: Record<string, number>;
  };
  interfaceCounters: { unknownVrid: number; badDestination: number; malformed: number };
  trackUp: boolean[];
}

export interface RawVrrpEngine {
  configure(groups: RawVrrpGroupConfig[]): void;
  status(): RawVrrpStatus[];
  /** 0, or -ENOENT / -EINVAL (not MASTER) / -EPERM (owner). */
  resetMaster(parent: string, vrid: number): number;
  /** Zeroes counters of parent (null: all) and vrid (0: all); returns the groups reset. */
  resetCounters(parent: string | null, vrid: number): number;
  /** Releases masters (priority 0), removes VIPs, stops the thread. */
  stop(): void;
  /** Stops the thread leaving VIPs and fresh state records: a new engine resumes (restart vrrp). */
  detach(): void;
  /** Whether the engine thread runs with real-time scheduling (SCHED_FIFO). */
  realtime(): boolean;
}

export interface RawWlbRuleSpec {
  number: number;
  exclude: boolean;
  failover: boolean;
  perPacket: boolean;
  /** null: any protocol. */
  protocol: number | null;
  protocolNegate: boolean;
  /** Host-order inclusive ranges. */
  source: { from: number; to: number; negate: boolean } | null;
  destination: { from: number; to: number; negate: boolean } | null;
  sourcePorts: { ranges: [number, number][]; negate: boolean } | null;
  destinationPorts: { ranges: [number, number][]; negate: boolean } | null;
  inboundIfindexes: number[];
  /** In the order the program tries them (failover: preferred first). */
  pool: { slot: number; weight: number }[];
  limit: { rate: number; periodSeconds: number; burst: number; above: boolean } | null;
}

export interface RawWlbCounterRow {
  rule: number;
  entry: number;
  packets: number;
  bytes: number;
}

export interface RawWlbFlow {
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  protocol: number;
  rule: number;
  slot: number;
  perPacket: boolean;
  idleMs: number;
}

export interface RawWlbDataplane {
  setRules(rules: RawWlbRuleSpec[]): void;
  setActive(slots: number[]): void;
  attach(ifindex: number): void;
  resetLimit(rule: number): void;
  totals(): { packets: number; bytes: number };
  counters(): RawWlbCounterRow[];
  clearCounters(): void;
  flows(): RawWlbFlow[];
  testRun(
    frame: Buffer,
    ingressIfindex: number,
    repeat: number,
  ): { retval: number; nsPerPacket: number; mark: number };
  close(): void;
}

export interface RawCtsyncEntry {
  attributes?: string[];
  family: 4 | 6;
  l4proto: number;
  source: string;
  destination: string;
  sourcePort?: number;
  destinationPort?: number;
  tcpState?: number;
  status?: number;
  timeout?: number;
  mark?: number;
  snatIpv4?: string;
  spatPort?: number;
  dnatIpv4?: string;
  dpatPort?: number;
  helper?: string;
}

/** One tuple of an expectation (ports for protocols that have them). */
export interface RawCtsyncTuple {
  family: number;
  l4proto: number;
  source: string;
  destination: string;
  sourcePort?: number;
  destinationPort?: number;
}

/** An expectation: the connection a helper announced on its master connection. */
export interface RawCtsyncExpectation {
  master: RawCtsyncTuple;
  expected: RawCtsyncTuple;
  mask?: RawCtsyncTuple;
  nat?: RawCtsyncTuple;
  natDir?: number;
  timeout?: number;
  flags?: number;
  class?: number;
  helper?: string;
  fn?: string;
}

export interface RawCtsyncMessage {
  type: number;
  flags: number;
  seq: number;
  from: number;
  to: number;
  entry?: RawCtsyncEntry & Record<string, unknown>;
  expectation?: RawCtsyncExpectation;
  error?: string;
}

export interface RawCtsyncEngineConfig {
  interface: string;
  localAddress: string;
  group: string;
  port: number;
  socketBuffer: number;
  eventBuffer: number;
  /** Bits: 1 tcp, 2 udp, 4 icmp, 8 sctp; 0 = every protocol. */
  acceptMask: number;
  ignore: { address: string; mask: string }[];
  commitTimeout: number;
  /** Ask the peers for their whole table at start (a standby refilling its external cache). */
  resyncAtStart?: boolean;
  /** Authenticate every datagram with this pre-shared secret (absent: the conntrackd wire format). */
  secret?: string;
  /** Kernel helper names whose expectations are synced (absent or empty: none). */
  expectHelpers?: string[];
}

export interface RawCtsyncStats {
  eventsNew: number;
  eventsUpdate: number;
  eventsDestroy: number;
  eventsFiltered: number;
  eventOverruns: number;
  txMessages: number;
  txBytes: number;
  txErrors: number;
  rxMessages: number;
  rxBytes: number;
  rxErrors: number;
  malformed: number;
  lost: number;
  resent: number;
  acksSent: number;
  nacksSent: number;
  /** Datagrams dropped by authentication: no trailer, a MAC that does not match, a replay. */
  authMissing: number;
  authBad: number;
  authReplay: number;
  txDatagrams: number;
  rxDatagrams: number;
  /** Sync messages applied to the external cache. */
  externalCreated: number;
  externalUpdated: number;
  externalDestroyed: number;
  /** Bytes and packets (both directions) of the connections that ended, from kernel accounting. */
  trafficBytes: number;
  trafficPackets: number;
  internal: number;
  external: number;
  commitCreated: number;
  commitFailed: number;
  peerSeen: boolean;
  /** The expectation tables (expect-sync). */
  expEventsNew: number;
  expEventsDestroy: number;
  expEventsFiltered: number;
  expExternalCreated: number;
  expExternalDestroyed: number;
  expInternal: number;
  expExternal: number;
  commitExpCreated: number;
  commitExpFailed: number;
}

/** The outcome of a commit; `failures` lists the first few entries the kernel refused. */
export interface RawCtsyncCommitResult {
  created: number;
  /** Of `created`, entries that replaced a colliding kernel entry. */
  recreated: number;
  failed: number;
  failures: { entry: RawCtsyncEntry & Record<string, unknown>; error: string }[];
  expectationsCreated: number;
  expectationsFailed: number;
  expectationFailures: { expectation: RawCtsyncExpectation; error: string }[];
}

export interface RawCtsyncEngine {
  stats(): RawCtsyncStats;
  cache(which: 'internal' | 'external'): (RawCtsyncEntry & Record<string, unknown>)[];
  expectCache(which: 'internal' | 'external'): RawCtsyncExpectation[];
  commit(): RawCtsyncCommitResult;
  /** Deletes the kernel entries the filters accept, except from/to `keep`; the number deleted. */
  purge(keep: string[]): number;
  stop(): void;
}

export interface RawClusterEngineConfig {
  node: string;
  peer: string;
  group: string;
  role: 'primary' | 'secondary';
  links: string[];
  mcastGroup: string;
  port: number;
  keepaliveMs: number;
  deadMs: number;
  monitorDeadMs: number;
  initDeadMs: number;
  secret: string;
  monitors: string[];
  digest: Buffer;
  generation: number;
  skipInit: boolean;
}

export type RawClusterState = 'init' | 'standby' | 'acquiring' | 'active' | 'releasing' | 'unknown';

export interface RawClusterStatus {
  uptimeMs: number;
  /** Whether the heartbeat thread runs with real-time scheduling (SCHED_FIFO). */
  realtime: boolean;
  inInit: boolean;
  leftInitAlone: boolean;
  localState: RawClusterState;
  localFlags: number;
  monitorsReachable: number;
  peer: {
    heard: boolean;
    alive: boolean;
    lastHeardMsAgo: number | null;
    name?: string;
    role?: 'primary' | 'secondary';
    state?: RawClusterState;
    flags?: number;
    keepaliveMs?: number;
    monitorsTotal?: number;
    monitorsReachable?: number;
    generation?: number;
    digest?: Buffer;
  };
  links: { up: boolean; lastHeardMsAgo: number | null; late: number; socketError: number }[];
  monitors: {
    state: 'unknown' | 'reachable' | 'unreachable';
    lastReplyMsAgo: number | null;
    rttMs: number;
  }[];
  counters: {
    heartbeatsSent: number;
    heartbeatsReceived: number;
    authFailures: number;
    malformed: number;
    replays: number;
    lateHeartbeats: number;
    foreign: number;
  };
}

export interface RawClusterEngine {
  reconfigure(config: RawClusterEngineConfig): void;
  setLocal(state: RawClusterState, flags: number): void;
  status(): RawClusterStatus;
  stop(): void;
}

/** What the ttl health test's datagram met (native/core/wlb/wlb_ttl_probe.h). */
export interface RawTtlProbeResult {
  answer: 'timeout' | 'icmp' | 'reply' | 'local-error';
  icmpType: number;
  icmpCode: number;
  from: string | null;
  rttMs: number;
  error: string | null;
}

export interface RawAddon {
  ClusterEngine: new (config: RawClusterEngineConfig, onChange: () => void) => RawClusterEngine;
  clusterGarp(ifname: string, address: string): void;
  CtsyncEngine: new (config: RawCtsyncEngineConfig) => RawCtsyncEngine;
  ctsyncDecode(datagram: Buffer): { messages: RawCtsyncMessage[]; malformed: number };
  ctsyncEncodeEntry(type: number, flags: number, seq: number, entry: RawCtsyncEntry): Buffer;
  ctsyncEncodeControl(flags: number, seq: number, from: number, to: number): Buffer;
  WlbDataplane: {
    new (objectPath: string, pinRoot: string): RawWlbDataplane;
    detach(ifindex: number): void;
    attachedProgramId(ifindex: number): number;
  };
  wlbTtlProbe(
    ifname: string,
    mark: number,
    target: string,
    ttl: number,
    port: number,
    timeoutMs: number,
  ): Promise<RawTtlProbeResult>;
  VrrpEngine: new (stateDir: string, onEvent: (ev: RawVrrpEvent) => void) => RawVrrpEngine;
  BpfObject: new (path: string, pinRoot?: string) => RawBpfObject;
  mapOpenPinned(path: string): number;
  mapInfo(fd: number): RawMapInfo;
  mapLookup(fd: number, key: Buffer): Buffer | null;
  mapUpdate(fd: number, key: Buffer, value: Buffer, flags: number): void;
  mapDelete(fd: number, key: Buffer): boolean;
  mapNextKey(fd: number, key: Buffer | null): Buffer | null;
  objPin(fd: number, path: string): void;
  objUnpin(path: string): void;
  closeFd(fd: number): void;
  possibleCpus(): number;
  ifIndex(ifname: string): number;
  tcAttach(ifname: string, direction: string, progFd: number, handle?: number, priority?: number): RawTcLink;
  tcDetach(link: RawTcLink): void;
  tcQuery(link: RawTcLink): number;
  xdpAttach(ifname: string, progFd: number, mode?: XdpMode): number;
  xdpDetach(ifname: string, mode?: XdpMode): void;
  xdpQuery(ifname: string, mode?: XdpMode): number;
}

let addon: RawAddon | undefined;

export function nativeAddon(): RawAddon {
  if (!addon) {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => RawAddon;
    addon = load(packageRoot());
  }
  return addon;
}

/** Runs a raw addon call, turning its errors into NativeError with the errno it carries. */
export function callNative<T>(operation: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && typeof (e as { errno?: unknown }).errno === 'number') {
      throw new NativeError(operation, (e as unknown as { errno: number }).errno, e.message);
    }
    throw e;
  }
}
