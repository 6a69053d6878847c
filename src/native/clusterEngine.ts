// The native cluster heartbeat engine (native/core/cluster/cluster_engine.h) from TypeScript.
import {
  callNative,
  nativeAddon,
  type RawClusterEngine,
  type RawClusterEngineConfig,
  type RawClusterState,
  type RawClusterStatus,
} from './addon.js';

export type ClusterEngineConfig = RawClusterEngineConfig;
export type ClusterEngineStatus = RawClusterStatus;
export type ClusterNodeState = RawClusterState;

export const CLUSTER_PORT = 694;

/** Heartbeat flag bits (spec clustering.md §6.3). */
export const ClusterFlag = { forced: 1, autoFailback: 2, takeoverRequest: 4, standbyRequest: 8 } as const;

export class ClusterEngine {
  private readonly raw: RawClusterEngine;

  /** Starts heartbeating; onChange runs (on the event loop) whenever the status changed. */
  constructor(config: ClusterEngineConfig, onChange: () => void) {
    this.raw = callNative('start', () => new (nativeAddon().ClusterEngine)(config, onChange));
  }

  reconfigure(config: ClusterEngineConfig): void {
    callNative('reconfigure', () => this.raw.reconfigure(config));
  }

  /** What this node announces from now on (sent at once). */
  setLocal(state: ClusterNodeState, flags: number): void {
    this.raw.setLocal(state, flags);
  }

  status(): ClusterEngineStatus {
    return this.raw.status();
  }

  /** Sends a last heartbeat with the current state and stops. */
  stop(): void {
    this.raw.stop();
  }
}

/** One round of gratuitous ARP (request and reply) for an address on an interface. */
export function gratuitousArp(ifname: string, address: string): void {
  callNative('gratuitous ARP', () => nativeAddon().clusterGarp(ifname, address));
}
