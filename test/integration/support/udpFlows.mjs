// Sends `count` single-datagram UDP flows (a fresh source port each) to host:port, `pps` per second
// (0 = as fast as possible). Prints the number sent. Usage: udpFlows.mjs host port count [pps] [payload]
import dgram from 'node:dgram';

const [host, portText, countText, ppsText = '0', payloadText = '16'] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const pps = Number(ppsText);
const payload = Buffer.alloc(Number(payloadText), 0x61);
const start = process.hrtime.bigint();
let sent = 0;
for (let i = 0; i < count; i++) {
  if (pps > 0) {
    const due = start + BigInt(Math.round((i * 1e9) / pps));
    const now = process.hrtime.bigint();
    if (due > now) await new Promise((r) => setTimeout(r, Number((due - now) / 1_000_000n)));
  }
  const s = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.send(payload, port, host, (err) => (err ? reject(err) : resolve()));
  });
  s.close();
  sent++;
}
console.log(sent);
