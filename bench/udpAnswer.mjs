// Answers every UDP datagram to host:port with the same payload, so the router's conntrack sees
// each flow both ways (established) before a benchmark floods it. Prints "ready" once bound.
// Usage: udpAnswer.mjs host port
import console from 'node:console';
import dgram from 'node:dgram';
import process from 'node:process';

const [host, port] = process.argv.slice(2);
const s = dgram.createSocket('udp4');
s.on('message', (msg, from) => s.send(msg, from.port, from.address));
s.bind(Number(port), host, () => console.log('ready'));
