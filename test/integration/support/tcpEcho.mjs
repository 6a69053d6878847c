// TCP echo pair for continuity tests. `server port`: echoes every connection. `client host port
// seconds`: sends a line every 50 ms and exits 0 only if every line came back and no reply took
// longer than [stall] seconds (default 3); prints the local port first.
import console from 'node:console';
import net from 'node:net';
import process from 'node:process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'server') {
  net.createServer((s) => s.pipe(s)).listen(Number(args[0]));
} else {
  const [host, port, seconds, stall = '3'] = args;
  const sock = net.connect(Number(port), host, () => {
    console.log(sock.localPort);
    let sent = 0;
    let received = '';
    let lastReply = Date.now();
    const tick = setInterval(() => {
      sock.write(`${sent++}\n`);
      if (Date.now() - lastReply > Number(stall) * 1000) {
        console.log(`stalled after ${sent} lines`);
        process.exit(2);
      }
    }, 50);
    sock.on('data', (d) => {
      received += d.toString();
      lastReply = Date.now();
    });
    setTimeout(
      () => {
        clearInterval(tick);
        setTimeout(() => {
          const lines = received.split('\n').filter(Boolean).length;
          console.log(`sent ${sent} received ${lines}`);
          process.exit(lines === sent ? 0 : 3);
        }, 1000);
      },
      Number(seconds) * 1000,
    );
  });
  sock.on('error', (e) => {
    console.log(`error ${e.message}`);
    process.exit(4);
  });
}
