// Raw sync datagrams for interop tests. `listen <ifaddr> <seconds>`: joins the sync group on the
// interface and prints every datagram as one hex line. `send <ifaddr> <hex>…`: sends each hex
// string as one datagram to the group from that interface.
import console from 'node:console';
import { Buffer } from 'node:buffer';
import dgram from 'node:dgram';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const GROUP = '225.0.0.50';
const PORT = 3780;
const [mode, ifaddr, ...rest] = process.argv.slice(2);
const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
if (mode === 'listen') {
  s.on('message', (m) => console.log(m.toString('hex')));
  s.bind(PORT, () => s.addMembership(GROUP, ifaddr));
  setTimeout(() => process.exit(0), Number(rest[0]) * 1000);
} else {
  s.bind(0, ifaddr, async () => {
    s.setMulticastInterface(ifaddr);
    s.setMulticastLoopback(false);
    for (const hex of rest) {
      await new Promise((r) => s.send(Buffer.from(hex, 'hex'), PORT, GROUP, r));
      await new Promise((r) => setTimeout(r, 200));
    }
    s.close();
  });
}
