// Runs inside router r1 of the forwarding lab while its flows are established: the fast-path
// program's cost per packet from BPF_PROG_TEST_RUN on crafted frames (a private copy of the
// program; the router's own keeps forwarding). Prints the figures as JSON.
// Usage: fastPathProbe.js <ingress ifname> <gen MAC> <first port> <flows> <mark>
import { readFileSync } from 'node:fs';
import { conntrackTimeouts } from '../src/features/fast-path/index.js';
import { BpfObject } from '../src/native/bpfObject.js';
import { writeFastPathConfig } from '../src/native/fastPath.js';

const [ifname, genMac, firstText, flowsText, markText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const ifindex = Number(readFileSync(`/sys/class/net/${ifname}/ifindex`, 'utf8'));
const routerMac = readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim();
const mac = (text: string) => Buffer.from(text.split(':').map((h) => Number.parseInt(h, 16)));

/** The flood's frame: 64 bytes of UDP from the generator to 203.0.113.100 port 9. */
function frame(sport: number): Buffer {
  const f = Buffer.alloc(60);
  mac(routerMac).copy(f, 0);
  mac(genMac).copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(46, 16);
  f[22] = 64;
  f[23] = 17;
  Buffer.from([192, 0, 2, 100]).copy(f, 26);
  Buffer.from([203, 0, 113, 100]).copy(f, 30);
  f.writeUInt16BE(sport, 34);
  f.writeUInt16BE(9, 36);
  f.writeUInt16BE(26, 38);
  // The IPv4 header checksum, so the frame is one the router would forward.
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  f.writeUInt16BE(~sum & 0xffff, 24);
  return f;
}

const TC_ACT_REDIRECT = 7;
const obj = BpfObject.load('fastpath');
try {
  writeFastPathConfig(obj, await conntrackTimeouts());
  const first = Number(firstText);
  const flows = Number(flowsText);
  const mark = Number(markText);
  let takenNs = 0;
  let taken = 0;
  // One call per flow and packet (the program rewrites the frame: a repeat would see it
  // translated). The first packet of each flow adds its counter entry; the second is measured.
  for (let i = 0; i < flows; i++) {
    obj.testRun('fp_ingress', frame(first + i), ifindex, { mark });
    const r = obj.testRun('fp_ingress', frame(first + i), ifindex, { mark });
    if (r.retval !== TC_ACT_REDIRECT) continue;
    takenNs += r.nsPerPacket;
    taken++;
  }
  let passNs = 0;
  const misses = 2000;
  for (let i = 0; i < misses; i++)
    passNs += obj.testRun('fp_ingress', frame(first + flows + (i % 1000)), ifindex, { mark }).nsPerPacket;
  // The cost of a call itself: a frame the program hands on at once (not IP).
  const arp = frame(0);
  arp.writeUInt16BE(0x0806, 12);
  let callNs = 0;
  for (let i = 0; i < misses; i++) callNs += obj.testRun('fp_ingress', arp, ifindex, { mark }).nsPerPacket;
  const out = {
    taken,
    takenNs: takenNs / Math.max(taken, 1),
    passNoConnectionNs: passNs / misses,
    callNs: callNs / misses,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  obj.close();
}
