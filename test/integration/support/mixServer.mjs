// Echo server of the fast-path traffic mix: TCP port 7 on every address; UDP port 7 on each
// address given (a wildcard UDP socket would answer from whichever address routing picks).
// `mixServer.mjs <udp address>…`
import dgram from 'node:dgram';
import net from 'node:net';
import process from 'node:process';

net.createServer((s) => s.pipe(s).on('error', () => {})).listen({ port: 7, host: '::', ipv6Only: false });
for (const address of process.argv.slice(2)) {
  const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
  udp.bind(7, address);
}
