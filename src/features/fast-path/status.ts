// What `show system fast-path` reports (the RPC result, rendered by show.ts).
import type { FastPathCounter, FastPathFlow, FastPathReason } from '../../native/fastPath.js';

export type FastPathState = 'active' | 'disabled' | 'unavailable';

export interface FastPathStatus {
  state: FastPathState;
  /** Why the fast path is unavailable (the loader's or verifier's message). */
  reason: string | null;
  interfaces: { name: string; attached: boolean }[];
  /** Per-netns sysctl the fast path turns on (see docs/fast-path.md). */
  tcpBeLiberal: boolean;
  counters: Record<FastPathReason, FastPathCounter>;
}

export interface FastPathFlowRow extends Omit<FastPathFlow, 'lastNs'> {
  /** Seconds since the last fast-path packet. */
  idleSeconds: number;
}
