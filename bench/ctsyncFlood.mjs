// Sends N synthetic connections (distinct UDP tuples, marked) as FTFW CT_NEW messages to the sync
// group from one interface, packed into datagrams and paced so nothing is dropped on the way.
// Usage: ctsyncFlood.mjs <ifaddr> <count>
import { Buffer } from 'node:buffer';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const [ifaddr, countText] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const addon = createRequire(import.meta.url)(join(root, 'build', 'Release', 'tandem_native.node'));
const s = dgram.createSocket('udp4');
await new Promise((r) => s.bind(0, ifaddr, r));
s.setMulticastInterface(ifaddr);
s.setMulticastLoopback(false);
let seq = 1;
let pending = [];
let size = 0;
const send = async () => {
  if (!pending.length) return;
  await new Promise((r) => s.send(Buffer.concat(pending), 3780, '225.0.0.50', r));
  pending = [];
  size = 0;
  await new Promise((r) => setTimeout(r, 1));
};
for (let i = 0; i < Number(countText); i++) {
  const msg = addon.ctsyncEncodeEntry(0, seq === 1 ? 0x20 : 0, seq++, {
    family: 4,
    l4proto: 17,
    source: `198.51.100.${128 + Math.floor(i / 60000)}`,
    destination: '203.0.113.80',
    sourcePort: 1024 + (i % 60000),
    destinationPort: 9,
    status: 0x0e,
    timeout: 600,
    mark: 0xc9,
  });
  if (size + msg.length > 1400) await send();
  pending.push(msg);
  size += msg.length;
}
await send();
s.close();
