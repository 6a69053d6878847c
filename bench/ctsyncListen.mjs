// A passive listener on the conntrack-sync group for the replication benchmark: counts the
// distinct connections announced (CT_NEW/CT_UPD) until it has `count` of them or `seconds` pass,
// then prints {distinct, firstMs, lastMs} (wall clock of the first and of the count-th arrival).
// It never answers, so the senders' FTFW sees no peer — what is measured is what they send.
// Usage: ctsyncListen.mjs <ifaddr> <count> <seconds>
import console from 'node:console';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const [ifaddr, countText, seconds] = process.argv.slice(2);
const want = Number(countText);
const root = new URL('..', import.meta.url).pathname;
const addon = createRequire(import.meta.url)(join(root, 'build', 'Release', 'tandem_native.node'));
const seen = new Set();
let firstMs = 0;
let lastMs = 0;
const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
const done = () => {
  console.log(JSON.stringify({ distinct: seen.size, firstMs, lastMs }));
  process.exit(0);
};
s.on('message', (buf) => {
  // Messages are parsed up to an authentication trailer, which the walk counts as malformed.
  for (const m of addon.ctsyncDecode(buf).messages) {
    if ((m.type !== 0 && m.type !== 1) || !m.entry) continue;
    if (!firstMs) firstMs = Date.now();
    seen.add(`${m.entry.source}:${m.entry.sourcePort}`);
    if (seen.size === want) {
      lastMs = Date.now();
      done();
    }
  }
});
s.bind(3780, () => {
  s.setRecvBufferSize(64 << 20);
  s.addMembership('225.0.0.50', ifaddr);
  console.error('listening');
});
setTimeout(done, Number(seconds) * 1000);
