// The fast path's differential traffic mix, run on a LAN host against mixServer.mjs. Every flow
// has fixed ports and runs in lockstep (each message waits for its echo), so two runs put the
// same packets on the wire. `trafficMix.mjs <target> <basePort>`; exits 0 when every exchange
// that must succeed did, printing what it checked.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const [target, baseText] = process.argv.slice(2);
const base = Number(baseText);
const v6 = net.isIPv6(target);
const PORT = 7;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const payload = (n, seed) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));

/** A TCP connection from a fixed port; `exchange` sends and waits until the echo is complete. */
function tcp(localPort) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: target, port: PORT, localPort, noDelay: true });
    let got = Buffer.alloc(0);
    let want = 0;
    let wake = () => {};
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= want) wake();
    });
    sock.on('error', reject);
    sock.on('connect', () =>
      resolve({
        async exchange(buf) {
          got = Buffer.alloc(0);
          want = buf.length;
          const done = new Promise((r) => (wake = r));
          sock.write(buf);
          await done;
          if (!got.equals(buf)) throw new Error(`tcp ${localPort}: echo differs`);
        },
        close: () => new Promise((r) => sock.end(() => sock.on('close', r))),
      }),
    );
  });
}

/** A UDP socket on a fixed port; `exchange` resolves with the echo or null after `waitMs`. */
async function udp(localPort) {
  const sock = dgram.createSocket(v6 ? 'udp6' : 'udp4');
  await new Promise((r) => sock.bind(localPort, r));
  let pending;
  sock.on('message', (m) => pending?.(m));
  return {
    sock,
    async exchange(buf, waitMs = 2000) {
      const reply = new Promise((r) => {
        pending = r;
        setTimeout(() => r(null), waitMs);
      });
      sock.send(buf, PORT, target);
      const m = await reply;
      pending = undefined;
      if (m && !m.equals(buf)) throw new Error(`udp ${localPort}: echo differs`);
      return m;
    },
    close: () => new Promise((r) => sock.close(r)),
  };
}

const checked = [];

// A short TCP connection: handshake, one exchange, FIN both ways.
{
  const c = await tcp(base + 1);
  await c.exchange(Buffer.from('hello'));
  await c.close();
  checked.push('tcp-short');
}
// A TCP connection with messages of several sizes (one larger than a segment).
{
  const c = await tcp(base + 2);
  for (const [i, n] of [1, 100, 1000, 1300, 3000, 8000].entries()) await c.exchange(payload(n, i));
  await c.close();
  checked.push('tcp-sizes');
}
// Bulk TCP: its segmentation follows timing, so it is checked by content here, not by packets.
{
  const c = await tcp(base + 4);
  const data = payload(400_000, 3);
  await c.exchange(data);
  await c.close();
  checked.push(`tcp-bulk ${createHash('sha256').update(data).digest('hex').slice(0, 12)}`);
}
// UDP of several sizes; then one larger than the router's egress MTU: dropped with an ICMP
// "fragmentation needed" / "packet too big", after which this host fragments it and it arrives.
{
  const u = await udp(base + 3);
  for (const [i, n] of [1, 64, 512, 1200, 1300].entries())
    if (!(await u.exchange(payload(n, i)))) throw new Error(`udp ${n}: no echo`);
  const big = payload(1380, 9);
  if (await u.exchange(big, 500)) throw new Error('udp oversize: echoed although larger than the MTU');
  if (!(await u.exchange(big))) throw new Error('udp oversize: no echo after the MTU was learnt');
  await u.close();
  checked.push('udp-sizes', 'udp-oversize');
}
// TTL: 1 dies at the router (Time Exceeded); 2 on an established flow arrives with 1.
{
  const u = await udp(base + 5);
  if (!(await u.exchange(Buffer.from('first')))) throw new Error('udp ttl: no echo');
  u.sock.setTTL(1);
  if (await u.exchange(Buffer.from('ttl1'), 500)) throw new Error('udp ttl 1: crossed the router');
  u.sock.setTTL(2);
  if (!(await u.exchange(Buffer.from('ttl2')))) throw new Error('udp ttl 2: no echo');
  await u.close();
  checked.push('udp-ttl');
}
// ICMP echo, too short to carry ping's timestamp (which would differ between runs).
{
  const r = spawnSync('ping', ['-c', '2', '-i', '0.2', '-W', '2', '-q', '-s', '8', '-p', '5a', target], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ping: ${r.stdout}${r.stderr}`);
  checked.push('icmp-echo');
}
await sleep(100);
console.log(JSON.stringify({ target, checked }));
