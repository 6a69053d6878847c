import { join } from 'node:path';
import { bpfObjectDir } from '../packageRoot.js';
import { callNative, nativeAddon, type RawTcLink, type RawTestRun, type XdpMode } from './addon.js';
import { BpfMap } from './bpfMap.js';

export type TcDirection = 'ingress' | 'egress';
export type { XdpMode };

/** A tc filter this process (or an earlier one) attached; enough to find and remove it again. */
export type TcLink = RawTcLink;

export interface OpenOptions {
  /** bpffs directory where the object's LIBBPF_PIN_BY_NAME maps are pinned and reused. */
  pinRoot?: string;
}

/**
 * An eBPF object file opened and loaded through libbpf. Attachments are made through netlink and
 * stay in the kernel after close() (and after this process exits) until detached.
 */
export class BpfObject {
  private readonly raw;

  private constructor(path: string, opts: OpenOptions) {
    this.raw = callNative('open', () => new (nativeAddon().BpfObject)(path, opts.pinRoot));
  }

  /** Opens and loads `<name>.bpf.o` from the build directory (or an explicit path). */
  static load(nameOrPath: string, opts: OpenOptions = {}): BpfObject {
    const path = nameOrPath.includes('/') ? nameOrPath : join(bpfObjectDir(), `${nameOrPath}.bpf.o`);
    const obj = new BpfObject(path, opts);
    try {
      callNative('load', () => obj.raw.load());
    } catch (e) {
      obj.close();
      throw e;
    }
    return obj;
  }

  names(): { programs: string[]; maps: string[] } {
    return this.raw.names();
  }

  programFd(name: string): number {
    return callNative('program', () => this.raw.programFd(name));
  }

  /** A map of this object; it stays usable after the object is closed (its own fd). */
  map(name: string): BpfMap {
    return new BpfMap(callNative('map', () => this.raw.mapFd(name)));
  }

  /** BPF_PROG_TEST_RUN of `program` on a frame arriving on `ingressIfindex` with `mark`, `repeat` times. */
  testRun(
    program: string,
    frame: Buffer,
    ingressIfindex: number,
    opts: { repeat?: number; mark?: number } = {},
  ): RawTestRun {
    return callNative('test-run', () =>
      this.raw.testRun(program, frame, ingressIfindex, opts.repeat ?? 1, opts.mark ?? 0),
    );
  }

  attachTc(
    ifname: string,
    direction: TcDirection,
    program: string,
    at: { handle?: number; priority?: number } = {},
  ): TcLink {
    const fd = this.programFd(program);
    return callNative('tc attach', () =>
      nativeAddon().tcAttach(ifname, direction, fd, at.handle, at.priority),
    );
  }

  attachXdp(ifname: string, program: string, mode: XdpMode = 'auto'): void {
    const fd = this.programFd(program);
    callNative('xdp attach', () => nativeAddon().xdpAttach(ifname, fd, mode));
  }

  close(): void {
    this.raw.close();
  }
}

export function detachTc(link: TcLink): void {
  callNative('tc detach', () => nativeAddon().tcDetach(link));
}

/** Id of the program attached by this link, 0 when nothing is attached there. */
export function tcProgramId(link: TcLink): number {
  return callNative('tc query', () => nativeAddon().tcQuery(link));
}

export function detachXdp(ifname: string, mode: XdpMode = 'auto'): void {
  callNative('xdp detach', () => nativeAddon().xdpDetach(ifname, mode));
}

export function xdpProgramId(ifname: string, mode: XdpMode = 'auto'): number {
  return callNative('xdp query', () => nativeAddon().xdpQuery(ifname, mode));
}

export function ifIndex(ifname: string): number {
  return callNative('interface', () => nativeAddon().ifIndex(ifname));
}
