// Sends `count` datagrams of one UDP flow (one source port) to host:port, `pps` per second.
// Usage: udpStream.mjs host port count pps [sourcePort]
import { Buffer } from 'node:buffer';
import console from 'node:console';
import dgram from 'node:dgram';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const [host, portText, countText, ppsText, sportText = '0'] = process.argv.slice(2);
const s = dgram.createSocket('udp4');
await new Promise((r) => s.bind(Number(sportText), r));
const count = Number(countText);
const gapMs = 1000 / Number(ppsText);
for (let i = 0; i < count; i++) {
  await new Promise((resolve, reject) =>
    s.send(Buffer.from(`seq ${i}`), Number(portText), host, (e) => (e ? reject(e) : resolve())),
  );
  if (gapMs >= 1) await new Promise((r) => setTimeout(r, gapMs));
}
s.close();
console.log(count);
