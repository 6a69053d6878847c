// The WAN load-balancing classifier (bpf/wlb.bpf.c) seen from TypeScript: typed errors around the
// addon's WlbDataplane. Map layouts live in bpf/include/wlb.h and are handled in C only.
import { join } from 'node:path';
import { bpfObjectDir } from '../packageRoot.js';
import {
  callNative,
  nativeAddon,
  type RawWlbCounterRow,
  type RawWlbDataplane,
  type RawWlbFlow,
  type RawWlbRuleSpec,
} from './addon.js';

export type WlbRuleSpec = RawWlbRuleSpec;
export type WlbCounterRow = RawWlbCounterRow;
export type WlbFlow = RawWlbFlow;

/** Counter rows besides the interface slots (bpf/include/wlb.h). */
export const WLB_ENTRY = {
  restore: 0x100,
  exclude: 0x101,
  limitConform: 0x102,
  limitExcess: 0x103,
  /** Rule 0, entry restoreSlot + slot: later packets of assigned flows, per uplink. */
  restoreSlot: 0x200,
} as const;

export function wlbObjectPath(): string {
  return join(bpfObjectDir(), 'wlb.bpf.o');
}

export class WlbDataplane {
  private constructor(private readonly raw: RawWlbDataplane) {}

  /** Loads the program; maps already pinned under pinRoot are reused. A verifier refusal throws
   * with the verifier's log and leaves any attached program in place. */
  static open(objectPath: string, pinRoot: string): WlbDataplane {
    return new WlbDataplane(callNative('load', () => new (nativeAddon().WlbDataplane)(objectPath, pinRoot)));
  }

  /** Replaces the rule set atomically (generation swap). */
  setRules(rules: WlbRuleSpec[]): void {
    callNative('rules', () => this.raw.setRules(rules));
  }

  /** Exactly these interface slots are ACTIVE. */
  setActive(slots: number[]): void {
    callNative('health', () => this.raw.setActive(slots));
  }

  attach(ifindex: number): void {
    callNative('attach', () => this.raw.attach(ifindex));
  }

  static detach(ifindex: number): void {
    callNative('detach', () => nativeAddon().WlbDataplane.detach(ifindex));
  }

  /** Id of the classifier attached to the interface, 0 when none. */
  static attachedProgramId(ifindex: number): number {
    return callNative('query', () => nativeAddon().WlbDataplane.attachedProgramId(ifindex));
  }

  resetLimit(rule: number): void {
    callNative('limit', () => this.raw.resetLimit(rule));
  }

  totals(): { packets: number; bytes: number } {
    return callNative('totals', () => this.raw.totals());
  }

  counters(): WlbCounterRow[] {
    return callNative('counters', () => this.raw.counters());
  }

  clearCounters(): void {
    callNative('counters', () => this.raw.clearCounters());
  }

  flows(): WlbFlow[] {
    return callNative('flows', () => this.raw.flows());
  }

  testRun(frame: Buffer, ingressIfindex: number, repeat = 1) {
    return callNative('test-run', () => this.raw.testRun(frame, ingressIfindex, repeat));
  }

  close(): void {
    this.raw.close();
  }
}
