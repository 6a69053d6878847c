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
  close(): void;
}

export interface RawAddon {
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
