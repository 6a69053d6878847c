// The typed event bus features meet on (DESIGN.md §1): VRRP publishes its transitions here;
// conntrack-sync and WAN load balancing subscribe.
import { EventEmitter } from 'node:events';

export interface BusEvents {
  'vrrp.group.state': {
    instance: string;
    interface: string;
    group: number;
    from: string;
    to: string;
    reason: string;
    at: string;
  };
  'vrrp.sync-group.state': {
    name: string;
    from: string;
    to: string;
    members: { interface: string; group: number; state: string }[];
    at: string;
  };
  'wlb.interface.state': {
    interface: string;
    from: 'ACTIVE' | 'FAILED';
    to: 'ACTIVE' | 'FAILED';
    at: string;
    consecutiveFailures: number;
  };
  'wlb.nexthop.changed': { interface: string; nexthop: string | null; address: string | null };
  'cluster.group.state': {
    group: string;
    node: string;
    role: 'primary' | 'secondary';
    from: string;
    to: string;
    reason: string;
    at: string;
  };
  /** Every change of a RAID set (features/raid/health.ts names them). */
  'raid.array.state': {
    md: string;
    change: string;
    message: string;
    degraded: boolean;
    members: string[];
    failed: string[];
    at: string;
  };
  /** A RAID set lost a member: the system runs on `inSync` only. */
  'raid.array.degraded': { md: string; inSync: string[]; failed: string[]; at: string };
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  publish<K extends keyof BusEvents>(topic: K, event: BusEvents[K]): void {
    this.emitter.emit(topic, event);
  }

  subscribe<K extends keyof BusEvents>(topic: K, handler: (event: BusEvents[K]) => void): () => void {
    this.emitter.on(topic, handler);
    return () => this.emitter.off(topic, handler);
  }
}
