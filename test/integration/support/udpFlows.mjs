// Sends `count` single-datagram UDP flows (a fresh source port each) to host:port, `pps` per second
// (0 = as fast as possible) from source ports base, base+1, … so every flow is distinct. Prints the
// number sent. Usage: udpFlows.mjs host port count [pps] [base]
import { Buffer } from 'node:buffer';
import console from 'node:console';
import dgram from 'node:dgram';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const [host, portText, countText, ppsText = '0', baseText = '20000'] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const pps = Number(ppsText);
const payload = Buffer.alloc(16, 0x61);
const base = Number(baseText);
const start = process.hrtime.bigint();
let sent = 0;
for (let i = 0; i < count; i++) {
  if (pps > 0) {
    const due = start + BigInt(Math.round((i * 1e9) / pps));
    const now = process.hrtime.bigint();
    if (due > now) await new Promise((r) => setTimeout(r, Number((due - now) / 1_000_000n)));
  }
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(base + (i % 40000), r));
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.send(payload, port, host, (err) => (err ? reject(err) : resolve()));
  });
  s.close();
  sent++;
}
console.log(sent);
