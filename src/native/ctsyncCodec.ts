// The conntrackd-compatible sync wire format (native/core/ctsync/ctsync_msg.h) from TypeScript.
import { nativeAddon, type RawCtsyncEntry, type RawCtsyncMessage } from './addon.js';

export type CtsyncEntry = RawCtsyncEntry;
export type CtsyncMessage = RawCtsyncMessage;

export const CTSYNC_TYPE = {
  ctNew: 0,
  ctUpdate: 1,
  ctDelete: 2,
  expNew: 3,
  expUpdate: 4,
  expDelete: 5,
  control: 10,
} as const;
export const CTSYNC_FLAG = {
  resync: 0x02,
  nack: 0x04,
  ack: 0x08,
  alive: 0x10,
  hello: 0x20,
  helloBack: 0x40,
} as const;

export function decodeSyncDatagram(datagram: Buffer): { messages: CtsyncMessage[]; malformed: number } {
  return nativeAddon().ctsyncDecode(datagram);
}

export function encodeSyncEntry(type: number, flags: number, seq: number, entry: CtsyncEntry): Buffer {
  return nativeAddon().ctsyncEncodeEntry(type, flags, seq, entry);
}

export function encodeSyncControl(flags: number, seq: number, from = 0, to = 0): Buffer {
  return nativeAddon().ctsyncEncodeControl(flags, seq, from, to);
}
