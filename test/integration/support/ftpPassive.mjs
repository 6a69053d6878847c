// A minimal FTP pair for expectation tests (passive mode only). `server <size>`: listens on port
// 21, answers USER/PASS/TYPE/PASV/RETR/QUIT and sends <size> bytes for any RETR. `client <host>
// <go-file> <size>`: logs in, asks PASV and prints `pasv <port>`, then waits until <go-file>
// exists (the test fails the router over meanwhile), opens the data connection, retrieves the
// file and exits 0 only if all <size> bytes and the 226 arrived; when the data connection cannot
// be opened it checks the control connection with a NOOP (`control alive`, exit 4). Every wait is
// bounded.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { existsSync } from 'node:fs';
import net from 'node:net';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const [mode, ...args] = process.argv.slice(2);

function lines(sock, onLine) {
  let buf = '';
  sock.on('data', (d) => {
    buf += d.toString();
    for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
  });
}

if (mode === 'server') {
  const size = Number(args[0]);
  net
    .createServer((ctl) => {
      const reply = (s) => ctl.write(`${s}\r\n`);
      let data; // the passive listener's first connection
      let listener;
      reply('220 tandem test ftp');
      lines(ctl, (line) => {
        const [cmd] = line.split(' ');
        if (cmd === 'USER') reply('331 password please');
        else if (cmd === 'PASS') reply('230 logged in');
        else if (cmd === 'TYPE') reply('200 binary');
        else if (cmd === 'PASV') {
          listener?.close();
          data = new Promise((resolve) => {
            listener = net
              .createServer((s) => resolve(s))
              .listen(0, ctl.localAddress, () => {
                const { port } = listener.address();
                const h = ctl.localAddress.replaceAll('.', ',');
                reply(`227 Entering Passive Mode (${h},${port >> 8},${port & 255})`);
              });
          });
        } else if (cmd === 'RETR' && data) {
          reply(`150 sending ${size} bytes`);
          void data.then((s) => s.end(Buffer.alloc(size, 0x5a), () => reply('226 transfer complete')));
        } else if (cmd === 'QUIT') {
          reply('221 bye');
          ctl.end();
        } else reply('502 not implemented');
      });
      ctl.on('error', () => {});
      ctl.on('close', () => listener?.close());
    })
    .listen(21, '0.0.0.0');
} else {
  const [host, goFile, size] = args;
  const fail = (why) => {
    console.log(`error ${why}`);
    process.exit(2);
  };
  setTimeout(() => fail('timeout'), 60_000).unref();
  const ctl = net.connect(21, host);
  ctl.on('error', (e) => fail(`control: ${e.message}`));
  const replies = [];
  let waiting;
  lines(ctl, (l) => {
    replies.push(l);
    waiting?.();
  });
  const next = async () => {
    while (!replies.length) await new Promise((r) => (waiting = r));
    return replies.shift();
  };
  const send = async (cmd, code) => {
    if (cmd) ctl.write(`${cmd}\r\n`);
    const r = await next();
    if (!r.startsWith(code)) fail(`${cmd ?? 'greeting'}: ${r}`);
    return r;
  };
  await send(undefined, '220');
  await send('USER anonymous', '331');
  await send('PASS tandem', '230');
  await send('TYPE I', '200');
  const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(await send('PASV', '227'));
  const port = Number(pasv[5]) * 256 + Number(pasv[6]);
  console.log(`pasv ${port}`);
  while (!existsSync(goFile)) await sleep(100);
  const data = net.connect(port, host);
  data.on('error', (e) => fail(`data: ${e.message}`));
  // A data connection the router drops: show that the control connection still carries.
  data.setTimeout(8000, async () => {
    console.log('data connection timed out');
    ctl.write('NOOP\r\n');
    await next();
    console.log('control alive');
    process.exit(4);
  });
  let received = 0;
  data.on('data', (d) => (received += d.length));
  const closed = new Promise((r) => data.on('close', r));
  await new Promise((r) => data.on('connect', r));
  await send('RETR file', '150');
  await closed;
  await send(undefined, '226');
  console.log(`received ${received} bytes`);
  ctl.end('QUIT\r\n');
  process.exit(received === Number(size) ? 0 : 3);
}
