// Who should hold the cluster's resources (spec clustering.md §4.6): one pure function of what
// this node knows, evaluated on every change of liveness, state, monitor counts, forced placement
// or configuration. Moves between two live nodes are release-before-acquire: a node only ever
// acquires when the peer is dead or holds nothing.

export type Role = 'primary' | 'secondary';

export type OwnershipReason =
  | 'peer-dead'
  | 'startup-alone'
  | 'startup-primary'
  | 'monitor-count'
  | 'auto-failback'
  | 'split-brain'
  | 'forced';

export interface NodeView {
  /** In its start-up wait (spec §4.4). */
  init: boolean;
  /** Holds the resources, or is acquiring or releasing them (its addresses may be up). */
  holds: boolean;
  /** Monitors reachable from that node (`Unknown` counts as reachable). */
  monitorsReachable: number;
}

export interface OwnershipInput {
  role: Role;
  self: NodeView;
  /** The peer as its last authenticated heartbeat described it; alive = heard within dead-interval. */
  peer: NodeView & { alive: boolean };
  /** This node just left its start-up wait without hearing the peer. */
  leftInitAlone: boolean;
  /** A `force cluster active|standby` placement still in effect: which node is to hold. */
  forced: 'self' | 'peer' | null;
  /** The holder sees strictly fewer monitors than the other node, for 2 × keepalive already. */
  fewerMonitorsSustained: boolean;
  /** auto-failback true, and the primary has been alive, out of init and at least as connected as
   * the secondary for 2 × keepalive. */
  failbackDue: boolean;
}

export type Decision =
  | { action: 'stay' }
  | { action: 'acquire'; reason: OwnershipReason }
  | { action: 'release'; reason: OwnershipReason };

const stay: Decision = { action: 'stay' };

/** Of two live nodes, the one that should hold: more reachable monitors, a tie goes to the primary. */
function keeperIsSelf(i: OwnershipInput): boolean {
  if (i.self.monitorsReachable !== i.peer.monitorsReachable)
    return i.self.monitorsReachable > i.peer.monitorsReachable;
  return i.role === 'primary';
}

export function decideOwnership(i: OwnershipInput): Decision {
  // Still waiting for the peer: hold nothing new (a resumed holder keeps what it has).
  if (i.self.init) return stay;
  // The peer is dead (or was never heard): this node holds, whatever its monitors say.
  if (!i.peer.alive) {
    if (i.self.holds) return stay;
    return { action: 'acquire', reason: i.leftInitAlone ? 'startup-alone' : 'peer-dead' };
  }
  // Both alive. While the peer is in its start-up wait nothing moves.
  if (i.peer.init) return stay;
  // Split brain healed: both hold; the keeper stays, the other releases at once.
  if (i.self.holds && i.peer.holds)
    return keeperIsSelf(i) ? stay : { action: 'release', reason: 'split-brain' };
  if (i.forced === 'self') {
    if (i.self.holds || i.peer.holds) return stay; // the peer releases on the request; then acquire
    return { action: 'acquire', reason: 'forced' };
  }
  if (i.forced === 'peer') return i.self.holds ? { action: 'release', reason: 'forced' } : stay;
  // Nobody holds: the better connected node acquires; a tie goes to the primary.
  if (!i.self.holds && !i.peer.holds)
    return keeperIsSelf(i)
      ? {
          action: 'acquire',
          reason: i.self.monitorsReachable !== i.peer.monitorsReachable ? 'monitor-count' : 'startup-primary',
        }
      : stay;
  if (i.self.holds) {
    if (i.fewerMonitorsSustained) return { action: 'release', reason: 'monitor-count' };
    if (i.role === 'secondary' && i.failbackDue) return { action: 'release', reason: 'auto-failback' };
  }
  return stay;
}
