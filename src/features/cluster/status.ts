// `show cluster status --json` (spec clustering.md §3.5) from the runtime's snapshot.
import type { ClusterSnapshot } from './runtime.js';
import { resourceLabel } from './service.js';

export interface ClusterStatus {
  configured: boolean;
  group?: string;
  thisNode?: {
    name: string;
    role: string;
    state: string;
    display: string;
    generation: number;
    stateSince: string;
  };
  peer?: {
    name: string;
    role: string;
    alive: boolean;
    state: string;
    display: string;
    lastHeardMsAgo: number | null;
    monitorsReachable: number | null;
    monitorsTotal: number | null;
    configDigestMatches: boolean | null;
    links: { interface: string; up: boolean; lastHeardMsAgo: number | null; late: number }[];
  };
  monitors?: { address: string; state: string; lastReplyMsAgo: number | null; rttMs: number | null }[];
  resources?: {
    holder: string | null;
    state: string;
    display: string;
    list: string[];
    items: { service: string; kind: string; status: string }[];
  };
  autoFailback?: boolean;
  forced?: string | null;
  counters?: Record<string, number>;
}

const HOLDING = ['acquiring', 'active', 'releasing'];

function selfDisplay(s: ClusterSnapshot): string {
  if (s.state === 'init') return `Started (waiting for ${s.role === 'primary' ? 'secondary' : 'primary'})`;
  if (s.state === 'acquiring' || s.state === 'releasing') return 'Node status in transition';
  if (s.state === 'active') return 'Active';
  return s.engine.monitors.some((m) => m.state === 'unreachable')
    ? 'Down (at least 1 monitor not reachable)'
    : 'Active (standby)';
}

function peerDisplay(s: ClusterSnapshot): string {
  const p = s.engine.peer;
  if (!p.alive) return 'Down';
  if (s.state === 'init' || p.state === 'init') return 'Initializing';
  if (p.state === 'acquiring' || p.state === 'releasing') return 'Node status in transition';
  if (p.state === 'active') return 'Active';
  if (p.state === 'standby')
    return (p.monitorsReachable ?? 0) < (p.monitorsTotal ?? 0)
      ? 'Down (at least 1 monitor node not reachable)'
      : 'Active (standby)';
  return 'Unknown';
}

function resourcesOf(s: ClusterSnapshot): NonNullable<ClusterStatus['resources']> {
  const p = s.engine.peer;
  const peerHolds = p.alive && HOLDING.includes(p.state ?? '');
  let holder: string | null = null;
  let state = 'not-active';
  let display = 'Not active';
  const on = (name: string, role: string, self: boolean) =>
    `Active on ${role} ${name}${self ? ' (this node)' : ''}`;
  if (s.state === 'acquiring' || s.state === 'releasing' || (peerHolds && p.state !== 'active')) {
    state = 'transition';
    display = 'Resource status in transition';
  } else if (s.state === 'active') {
    holder = s.node;
    state = 'active';
    display = on(s.node, s.role, true);
  } else if (peerHolds) {
    holder = s.peer;
    state = 'active';
    display = on(s.peer, s.role === 'primary' ? 'secondary' : 'primary', false);
  } else if (s.state === 'init') {
    state = 'init';
    display = 'Initializing';
  }
  return {
    holder,
    state,
    display,
    list: s.model.services.map(resourceLabel),
    items: s.resources.map((r) => ({ service: r.service.value, kind: r.service.kind, status: r.status })),
  };
}

export function clusterStatusOf(s: ClusterSnapshot | undefined): ClusterStatus {
  if (!s) return { configured: false };
  const p = s.engine.peer;
  const monitorState = (m: ClusterSnapshot['engine']['monitors'][number]) =>
    s.state === 'init'
      ? 'initializing'
      : s.state === 'acquiring' || s.state === 'releasing'
        ? 'transition'
        : m.state;
  return {
    configured: true,
    group: s.model.group,
    thisNode: {
      name: s.node,
      role: s.role,
      state: s.state,
      display: selfDisplay(s),
      generation: s.generation,
      stateSince: s.stateSince.toISOString(),
    },
    peer: {
      name: s.peer,
      role: s.role === 'primary' ? 'secondary' : 'primary',
      alive: p.alive,
      state: p.alive ? (p.state ?? 'unknown') : 'dead',
      display: peerDisplay(s),
      lastHeardMsAgo: p.lastHeardMsAgo,
      monitorsReachable: p.monitorsReachable ?? null,
      monitorsTotal: p.monitorsTotal ?? null,
      configDigestMatches: p.digest ? p.digest.toString('hex') === s.digest : null,
      links: s.model.interfaces.map((ifname, i) => ({
        interface: ifname,
        up: s.engine.links[i]?.up ?? false,
        lastHeardMsAgo: s.engine.links[i]?.lastHeardMsAgo ?? null,
        late: s.engine.links[i]?.late ?? 0,
      })),
    },
    monitors: s.model.monitors.map((address, i) => {
      const m = s.engine.monitors[i]!;
      return {
        address,
        state: monitorState(m),
        lastReplyMsAgo: m.lastReplyMsAgo,
        rttMs: m.lastReplyMsAgo === null ? null : m.rttMs,
      };
    }),
    resources: resourcesOf(s),
    autoFailback: s.model.autoFailback,
    forced: s.forced === 'self' ? s.node : s.forced === 'peer' ? s.peer : null,
    counters: { ...s.engine.counters, ...s.counters },
  };
}
