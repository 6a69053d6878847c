// The native conntrack-sync engine (native/core/ctsync/ctsync_engine.h) from TypeScript.
import {
  callNative,
  nativeAddon,
  type RawCtsyncCommitResult,
  type RawCtsyncEngine,
  type RawCtsyncEngineConfig,
  type RawCtsyncExpectation,
  type RawCtsyncStats,
} from './addon.js';
import type { CtsyncEntry } from './ctsyncCodec.js';

export type CtsyncEngineConfig = RawCtsyncEngineConfig;
export type CtsyncStats = RawCtsyncStats;
export type CtsyncCommitResult = RawCtsyncCommitResult;
export type CtsyncExpectation = RawCtsyncExpectation;

export const CTSYNC_PORT = 3780;

export class CtsyncEngine {
  private readonly raw: RawCtsyncEngine;

  constructor(config: CtsyncEngineConfig) {
    this.raw = callNative('start', () => new (nativeAddon().CtsyncEngine)(config));
  }

  stats(): CtsyncStats {
    return this.raw.stats();
  }

  cache(which: 'internal' | 'external'): CtsyncEntry[] {
    return this.raw.cache(which);
  }

  expectCache(which: 'internal' | 'external'): CtsyncExpectation[] {
    return this.raw.expectCache(which);
  }

  /** Injects the external cache into the kernel: connections, then expectations. */
  commit(): CtsyncCommitResult {
    return callNative('commit', () => this.raw.commit());
  }

  /**
   * The standby purge: deletes the kernel's entries the sync filters accept, except those from
   * or to `keep` (this router's own addresses); the number deleted.
   */
  purge(keep: string[]): number {
    return callNative('purge', () => this.raw.purge(keep));
  }

  stop(): void {
    this.raw.stop();
  }
}
