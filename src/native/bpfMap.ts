import { callNative, nativeAddon, type RawMapInfo } from './addon.js';

export type MapInfo = RawMapInfo;

/** BPF_ANY / BPF_NOEXIST / BPF_EXIST flags of map updates. */
export const UpdateFlag = { any: 0, noExist: 1, exist: 2 } as const;

/**
 * A BPF map held by file descriptor: from a loaded object or from a pinned path of a running
 * router. Keys and values are raw Buffers of the map's exact sizes; per-CPU maps also offer the
 * value split per CPU.
 */
export class BpfMap {
  readonly info: MapInfo;
  private fd: number | undefined;

  constructor(fd: number) {
    this.fd = fd;
    this.info = callNative('map info', () => nativeAddon().mapInfo(fd));
  }

  static openPinned(path: string): BpfMap {
    return new BpfMap(callNative('open pinned map', () => nativeAddon().mapOpenPinned(path)));
  }

  private get handle(): number {
    if (this.fd === undefined) throw new Error(`BPF map ${this.info.name} is closed`);
    return this.fd;
  }

  lookup(key: Buffer): Buffer | undefined {
    return callNative('map lookup', () => nativeAddon().mapLookup(this.handle, key)) ?? undefined;
  }

  /** One value per possible CPU (per-CPU maps only). */
  lookupPerCpu(key: Buffer): Buffer[] | undefined {
    if (!this.info.perCpu) throw new Error(`map ${this.info.name} is not per-CPU`);
    const raw = this.lookup(key);
    if (!raw) return undefined;
    const stride = Math.ceil(this.info.valueSize / 8) * 8;
    const out: Buffer[] = [];
    for (let off = 0; off < raw.length; off += stride) out.push(raw.subarray(off, off + this.info.valueSize));
    return out;
  }

  update(key: Buffer, value: Buffer, flags: number = UpdateFlag.any): void {
    callNative('map update', () => nativeAddon().mapUpdate(this.handle, key, value, flags));
  }

  /** False when the key was absent. */
  delete(key: Buffer): boolean {
    return callNative('map delete', () => nativeAddon().mapDelete(this.handle, key));
  }

  *keys(): Generator<Buffer> {
    let key: Buffer | null = null;
    for (;;) {
      const prev: Buffer | null = key;
      key = callNative('map next key', () => nativeAddon().mapNextKey(this.handle, prev));
      if (!key) return;
      yield key;
    }
  }

  *entries(): Generator<[Buffer, Buffer]> {
    for (const key of this.keys()) {
      const value = this.lookup(key);
      if (value) yield [key, value];
    }
  }

  pin(path: string): void {
    callNative('pin', () => nativeAddon().objPin(this.handle, path));
  }

  close(): void {
    if (this.fd !== undefined) nativeAddon().closeFd(this.fd);
    this.fd = undefined;
  }
}

/** Removes a pinned map or program path from bpffs. */
export function unpin(path: string): void {
  callNative('unpin', () => nativeAddon().objUnpin(path));
}
