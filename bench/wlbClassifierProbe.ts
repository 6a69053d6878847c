// Runs inside a private lab namespace (own network and mount namespace, own bpffs): measures the
// WLB classifier with BPF_PROG_TEST_RUN on crafted frames and prints the figures as JSON.
import { execFileSync } from 'node:child_process';
import { WlbDataplane, wlbObjectPath, type WlbRuleSpec } from '../src/native/wlbDataplane.js';

const IFINDEX = Number(execFileSync('cat', ['/sys/class/net/eth0/ifindex']).toString());

function frame(proto: number, sport: number, dport: number): Buffer {
  const f = Buffer.alloc(14 + 20 + 8 + 18);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(20 + 8 + 18, 16);
  f[22] = 64;
  f[23] = proto;
  Buffer.from([198, 51, 100, 130]).copy(f, 26);
  Buffer.from([203, 0, 113, 80]).copy(f, 30);
  f.writeUInt16BE(sport, 34);
  f.writeUInt16BE(dport, 36);
  return f;
}

/** n rules; only the last one matches (UDP to port 9): the new-flow path walks them all. */
function rules(n: number): WlbRuleSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    number: (i + 1) * 10,
    exclude: false,
    failover: false,
    perPacket: false,
    protocol: 17,
    protocolNegate: false,
    source: null,
    destination: null,
    sourcePorts: null,
    destinationPorts: { ranges: [[i === n - 1 ? 9 : 10000 + i, i === n - 1 ? 9 : 10000 + i]], negate: false },
    inboundIfindexes: [IFINDEX],
    pool: [
      { slot: 0, weight: 2 },
      { slot: 1, weight: 1 },
    ],
    limit: null,
  }));
}

const dp = WlbDataplane.open(wlbObjectPath(), '/sys/fs/bpf');
dp.setActive([0, 1]);

/** Mean ns per packet over `calls` runs of one packet each, every one a new flow. */
function newFlowNs(calls: number, base: number): number {
  let total = 0;
  for (let i = 0; i < calls; i++)
    total += dp.testRun(frame(17, 1024 + ((base + i) % 60000), 9), IFINDEX, 1).nsPerPacket;
  return total / calls;
}

const out: Record<string, number> = {};
dp.setRules([]);
out.no_rules_ns = dp.testRun(frame(17, 5000, 9), IFINDEX, 200_000).nsPerPacket;
let base = 0;
for (const n of [1, 10, 100]) {
  dp.setRules(rules(n));
  out[`new_flow_${n}_rules_ns`] = newFlowNs(2000, (base += 2000));
}
// Established: a real conntrack entry with the slot-1 mark; the program restores it.
execFileSync(
  'conntrack',
  [
    '-I',
    '-p',
    'udp',
    '-s',
    '198.51.100.130',
    '-d',
    '203.0.113.80',
    '--sport',
    '65000',
    '--dport',
    '9',
    '--timeout',
    '120',
    '--mark',
    '0xca',
  ],
  { stdio: 'ignore' },
);
dp.setRules(rules(100));
const est = dp.testRun(frame(17, 65000, 9), IFINDEX, 200_000);
if (est.mark !== 0xca) throw new Error(`established packet got mark ${est.mark}`);
out.established_100_rules_ns = est.nsPerPacket;
dp.setRules([]);
out.no_rules_repeat1_ns = newFlowNs(2000, (base += 2000));
process.stdout.write(`${JSON.stringify(out)}\n`);
dp.close();
