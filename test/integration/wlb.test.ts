// WAN load balancing end to end: tandemd in a lab router balances a LAN host's flows over two ISPs,
// source-NATs them, tests the uplinks' health and steers around a dead one.
import { describe, expect, it } from 'vitest';
import type { WlbConnections, WlbRulesStatus, WlbStatus } from '../../src/features/wlb/status.js';
import type { Lab } from '../../src/lab/lab.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../src/packageRoot.js';
import { LAB_ADDRESSES, operatorLabLines, standardTopology } from '../../src/lab/standardTopology.js';
import { waitState } from './support/vrrp.js';
import { configure, tandem } from './support/tandemd.js';
import { dhcpServer } from './support/dhcpServer.js';
import { countPackets, packetCounts } from './support/packetCounts.js';
import { vrrpLabPerTest } from './support/vrrp.js';
import {
  WLB,
  countAtInet,
  inetCounts,
  pathDown,
  resetInetCounts,
  udpFlows,
  udpStream,
  wlbTopology,
} from './support/wlb.js';

const labs = vrrpLabPerTest();
const LB = 'load-balancing wan';

/** Two uplinks with one ping test each (fast to fail: failure-count 2). */
function twoUplinks(weights: [number, number] = [1, 1]): string[] {
  return [
    `${LB} interface-health eth0 nexthop ${WLB.isp1}`,
    `${LB} interface-health eth0 failure-count 2`,
    `${LB} interface-health eth0 test 10 target ${WLB.targets1[0]}`,
    `${LB} interface-health eth0 test 10 resp-time 1`,
    `${LB} interface-health eth1 nexthop ${WLB.isp2}`,
    `${LB} interface-health eth1 failure-count 2`,
    `${LB} interface-health eth1 test 10 target ${WLB.targets2[0]}`,
    `${LB} interface-health eth1 test 10 resp-time 1`,
    `${LB} rule 10 inbound-interface eth3`,
    `${LB} rule 10 interface eth0 weight ${weights[0]}`,
    `${LB} rule 10 interface eth1 weight ${weights[1]}`,
  ];
}

async function json<T>(lab: Lab, args: string[]): Promise<T> {
  const r = await tandem(lab, 'r1', [...args, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as T;
}

/** Polls until `cond` holds (a hang guard, not a timing goal). */
async function until<T>(
  what: string,
  fn: () => Promise<T>,
  cond: (v: T) => boolean,
  limitMs = 60_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (cond(v)) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`${what}: not reached, last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const statusOf = (lab: Lab) => json<WlbStatus>(lab, ['show', 'wan-load-balance']);
const stateOf = async (lab: Lab, ifname: string) =>
  (await statusOf(lab)).interfaces.find((i) => i.interface === ifname)?.status;

async function balancedLab(lines: string[]) {
  const lab = await labs.up(wlbTopology());
  await countAtInet(lab);
  await labs.router('r1', lines);
  return lab;
}

describe('WAN load balancing with tandemd', () => {
  it('splits 3,000 new flows 2:1 over two ISPs with SNAT, and shows health and per-rule counters', async () => {
    const lab = await balancedLab(twoUplinks([2, 1]));
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    await udpFlows(lab, 'h3', 3000);
    const c = await until(
      'flows counted',
      () => inetCounts(lab),
      (v) => v.via1 + v.via2 + v.other >= 3000,
      10_000,
    );
    expect(c.other).toBe(0); // every flow arrived with an uplink address (SNAT)
    expect(c.via1 + c.via2).toBe(3000);
    const share = c.via1 / 3000;
    expect(share).toBeGreaterThan(2 / 3 - 0.05);
    expect(share).toBeLessThan(2 / 3 + 0.05);

    const text = (await tandem(lab, 'r1', ['show', 'wan-load-balance'])).stdout;
    expect(text).toMatch(
      /^Interface: {2}eth0\n {2}Status: {2}active\n {2}Last Status Change: {2}\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n {2}\+Test: {2}ping {2}Target: 203\.0\.113\.44\n/,
    );
    expect(text).toContain('Interface:  eth1\n  Status:  active');
    expect(text).toContain('    # Interface Failure(s):  0');

    const rules = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    const entries = rules.forward!.rules[0]!.entries;
    expect(entries.map((e) => e.target)).toEqual(['ISP_eth0', 'ISP_eth1', 'CONNMARK']);
    expect(entries[0]!.probability).toBeCloseTo(2 / 3, 5);
    expect(entries[0]!.packets + entries[1]!.packets).toBe(3000);
    expect(entries[0]!.packets).toBe(c.via1);
    const listing = (await tandem(lab, 'r1', ['show', 'wan-load-balance', 'status'])).stdout;
    expect(listing).toMatch(/^Chain PREROUTING \(policy ACCEPT \d+ packets, \d+ bytes\)\n/);
    expect(listing).toContain('state NEW statistic mode random probability 0.666667');
  });

  it('marks an uplink FAILED after failure-count failed cycles, steers new flows away, runs the hook, and takes it back', async () => {
    const lab0 = await labs.up(wlbTopology());
    const hookLog = `${lab0.dir('r1')}/hook.log`;
    const hook = `${lab0.dir('r1')}/hook.sh`;
    await lab0.exec('r1', [
      'sh',
      '-c',
      `printf '#!/bin/sh\\necho "$WLB_INTERFACE_NAME $WLB_INTERFACE_STATE" >> ${hookLog}\\n' > ${hook} && chmod +x ${hook}`,
    ]);
    await countAtInet(lab0);
    await labs.router('r1', [...twoUplinks(), `${LB} hook ${hook}`]);
    const lab = lab0;
    const hookLines = async () =>
      (await lab.exec('r1', ['cat', hookLog], { allowFailure: true })).stdout.split('\n').filter(Boolean);
    // W-3: the first cycle of each interface runs the hook as a start-up change.
    await until('start-up hooks', hookLines, (l) => l.length >= 2, 30_000);
    expect((await hookLines()).sort()).toEqual(['eth0 ACTIVE', 'eth1 ACTIVE']);

    await pathDown(lab, 'isp1', true);
    await until(
      'eth0 FAILED',
      () => stateOf(lab, 'eth0'),
      (s) => s === 'failed',
      40_000,
    );
    expect(await stateOf(lab, 'eth1')).toBe('active');
    await until('hook for FAILED', hookLines, (l) => l.includes('eth0 FAILED'), 10_000);
    const text = (await tandem(lab, 'r1', ['show', 'wan-load-balance'])).stdout;
    expect(text).toContain('Interface:  eth0\n  Status:  failed');
    expect(text).toContain('  -Test:  ping  Target: 203.0.113.44');

    await resetInetCounts(lab);
    await udpFlows(lab, 'h3', 300);
    const c = await until(
      'flows counted',
      () => inetCounts(lab),
      (v) => v.via2 >= 300,
      10_000,
    );
    expect(c.via1).toBe(0);

    await pathDown(lab, 'isp1', false);
    await until(
      'eth0 ACTIVE again',
      () => stateOf(lab, 'eth0'),
      (s) => s === 'active',
      30_000,
    );
    await until(
      'hook for ACTIVE',
      hookLines,
      (l) => l.filter((x) => x === 'eth0 ACTIVE').length === 2,
      10_000,
    );
    await resetInetCounts(lab);
    await udpFlows(lab, 'h3', 400, 0, 30000);
    const back = await until(
      'flows counted',
      () => inetCounts(lab),
      (v) => v.via1 + v.via2 >= 400,
      10_000,
    );
    expect(back.via1).toBeGreaterThan(100);
  });

  it('keeps a TCP stream on its uplink through a SIGKILL of tandemd, and lists it again after the restart', async () => {
    const lab = await balancedLab(twoUplinks());
    const echo = join(packageRoot(), 'test', 'integration', 'support', 'tcpEcho.mjs');
    labs.track(lab.spawn('inet', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    await new Promise((r) => setTimeout(r, 300));
    const client = labs.track(
      lab.spawn('h3', [process.execPath, echo, 'client', WLB.server, '80', '12'], { logName: 'echo-client' }),
    );
    const stream = async () =>
      (await json<WlbConnections>(lab, ['show', 'wan-load-balance', 'connection'])).connections.find(
        (c) => c.protocol === 'tcp' && c.destinationPort === 80,
      );
    const before = await until('stream listed', stream, (c) => c !== undefined, 10_000);
    expect(before!.state).toBe('ESTABLISHED');
    expect(before!.rule).toBe(10);
    const human = (await tandem(lab, 'r1', ['show', 'wan-load-balance', 'connection'])).stdout;
    expect(human).toMatch(
      /^Type {4}State {9}Src {21}Dst {21}Packets {2}Bytes\ntcp {5}estab {9}198\.51\.100\.130:\d+ +203\.0\.113\.80:80 +\d+ +\d+$/m,
    );

    const [daemon] = labs.procs('r1');
    process.kill(daemon!.pid, 'SIGKILL');
    await daemon!.exited;
    labs.forget(daemon!);
    await new Promise((r) => setTimeout(r, 2000)); // the stream runs with no daemon at all
    await labs.router('r1', twoUplinks());
    const after = await until(
      'stream listed again',
      stream,
      (c) => c !== undefined && c.packets > before!.packets,
      10_000,
    );
    expect(after!.interface).toBe(before!.interface);
    expect(after!.sourcePort).toBe(before!.sourcePort);
    expect(await client.exited).toBe(0);
    expect(await readFile(client.logFile, 'utf8')).toMatch(/sent (\d+) received \1/);
  });

  it('matches rules by protocol, port and address in rule order, excludes, and fails over by weight', async () => {
    const lab = await balancedLab([
      ...twoUplinks(),
      `${LB} rule 5 destination address ${WLB.lans}`,
      `${LB} rule 5 exclude`,
      `${LB} rule 5 inbound-interface eth+`,
      `${LB} rule 7 inbound-interface eth3`,
      `${LB} rule 7 protocol udp`,
      `${LB} rule 7 destination port 5060,7000-7010`,
      `${LB} rule 7 interface eth1`,
      `${LB} rule 8 inbound-interface eth3`,
      `${LB} rule 8 failover`,
      `${LB} rule 8 source address ${WLB.h3}-${WLB.h3}`,
      `${LB} rule 8 protocol udp`,
      `${LB} rule 8 destination port 9`,
      `${LB} rule 8 interface eth0 weight 10`,
      `${LB} rule 8 interface eth1 weight 1`,
    ]);
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    const send = (port: number, count: number, base: number) =>
      lab.exec('h3', [
        process.execPath,
        join(packageRoot(), 'test', 'integration', 'support', 'udpFlows.mjs'),
        WLB.server,
        String(port),
        String(count),
        '0',
        String(base),
      ]);
    await send(5060, 50, 21000);
    await send(7005, 50, 22000);
    let c = await until(
      'port rule',
      () => inetCounts(lab),
      (v) => v.via2 >= 100,
      10_000,
    );
    expect(c.via1).toBe(0);
    await resetInetCounts(lab);
    await send(9, 200, 23000); // rule 8: failover, the heavier eth0 only
    c = await until(
      'failover rule',
      () => inetCounts(lab),
      (v) => v.via1 + v.via2 >= 200,
      10_000,
    );
    expect(c).toEqual({ via1: 200, via2: 0, other: 0 });
    // Rule 5 keeps LAN-to-LAN traffic off the uplinks: h4 sees h3's own address.
    const ping = await lab.exec('h3', ['ping', '-c', '2', '-W', '1', WLB.h4], { allowFailure: true });
    expect(ping.code).toBe(0);
    const rules = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    const r5 = rules.forward!.rules.find((r) => r.rule === 5)!;
    expect(r5.entries[0]).toMatchObject({ target: 'ACCEPT' });
    expect(r5.entries[0]!.packets).toBeGreaterThanOrEqual(2);
    const r8 = rules.forward!.rules.find((r) => r.rule === 8)!;
    expect(r8.entries.map((e) => e.target)).toEqual(['ISP_eth0', 'CONNMARK']);
  });

  it('enforces a rule limit with a token bucket: within rate + burst via eth0, the rest via the next rule', async () => {
    const lab = await balancedLab([
      ...twoUplinks().filter((l) => !l.includes('rule 10')),
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 interface eth0`,
      `${LB} rule 10 limit rate 100`,
      `${LB} rule 10 limit burst 5`,
      `${LB} rule 20 inbound-interface eth3`,
      `${LB} rule 20 interface eth1`,
    ]);
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    await udpFlows(lab, 'h3', 900, 300); // 300 new flows a second for 3 s
    const c = await until(
      'flows counted',
      () => inetCounts(lab),
      (v) => v.via1 + v.via2 >= 900,
      15_000,
    );
    // 100/s for ~3 s plus the burst of 5 (±15 %: the sender's pace is not exact).
    expect(c.via1).toBeGreaterThan(255);
    expect(c.via1).toBeLessThan(360);
    const rules = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    const limit = rules.forward!.rules[0]!.limit!;
    expect(limit.conforming).toBe(c.via1);
    expect(limit.excess).toBe(900 - c.via1);
  });

  it('without source NAT balances per packet and leaves the LAN address on the wire', async () => {
    const lab = await balancedLab([
      ...twoUplinks(),
      `${LB} disable-source-nat`,
      `${LB} rule 10 per-packet-balancing`,
    ]);
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    for (const isp of ['isp1', 'isp2'])
      await countPackets(lab, isp, 'seen', 'forward', { lan: `ip saddr ${WLB.h3} udp dport 9` });
    await udpStream(lab, 'h3', 1000, 1000, 40000);
    const seen = async (isp: string) => (await packetCounts(lab, isp, 'seen'))['lan'] ?? 0;
    const [a, b] = [await seen('isp1'), await seen('isp2')];
    expect(a + b).toBe(1000);
    expect(a / 1000).toBeGreaterThan(0.4);
    expect(a / 1000).toBeLessThan(0.6);
    expect((await inetCounts(lab)).other).toBe(1000); // the server saw h3's own address
  });

  it("balances the router's own connections only with enable-local-traffic, SNATs them, and leaves its pings and replies alone (WS-15)", async () => {
    const lab = await balancedLab([
      ...twoUplinks(),
      // Router TCP to port 80 always takes eth1, away from the main-table route via eth0.
      `${LB} rule 5 inbound-interface eth3`,
      `${LB} rule 5 protocol tcp`,
      `${LB} rule 5 destination port 80`,
      `${LB} rule 5 interface eth1`,
    ]);
    await lab.exec('r1', ['ip', 'route', 'add', 'default', 'via', WLB.isp1]);
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    const flowsFromRouter = async (count: number, base: number) => {
      await resetInetCounts(lab);
      await udpFlows(lab, 'r1', count, 0, base);
      return until(
        'flows counted',
        () => inetCounts(lab),
        (v) => v.via1 + v.via2 + v.other >= count,
        10_000,
      );
    };
    // W-65: without it, the router's flows follow the main table.
    expect(await flowsFromRouter(400, 20000)).toEqual({ via1: 400, via2: 0, other: 0 });
    expect((await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status'])).local).toBeNull();

    expect((await configure(lab, 'r1', [`set ${LB} enable-local-traffic`, 'commit'])).code).toBe(0);
    // W-66, W-52: now they split over both uplinks, each with its uplink's address.
    const split = await flowsFromRouter(400, 30000);
    expect(split.other).toBe(0);
    expect(split.via1 / 400).toBeGreaterThan(0.4);
    expect(split.via1 / 400).toBeLessThan(0.6);
    const status = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    const rule10 = status.local!.rules.find((r) => r.rule === 10)!;
    expect(rule10.entries.map((e) => e.target)).toEqual(['ISP_eth0', 'ISP_eth1', 'CONNMARK']);
    expect(rule10.entries[0]!.packets).toBe(split.via1);
    expect(rule10.entries[1]!.packets).toBe(split.via2);
    expect((await tandem(lab, 'r1', ['show', 'wan-load-balance', 'status'])).stdout).toMatch(
      /\n\nChain OUTPUT \(policy ACCEPT \d+ packets, \d+ bytes\)\n/,
    );

    // Router ICMP is never balanced (W-66): every ping leaves eth0.
    await resetInetCounts(lab);
    await lab.exec('r1', ['ping', '-c', '20', '-i', '0.01', '-q', WLB.server]);
    expect(await inetCounts(lab)).toEqual({ via1: 20, via2: 0, other: 0 });

    // A TCP connection rerouted to eth1 works both ways (SNAT, replies de-NATed to the socket).
    const echo = join(packageRoot(), 'test', 'integration', 'support', 'tcpEcho.mjs');
    labs.track(lab.spawn('inet', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    labs.track(lab.spawn('r1', [process.execPath, echo, 'server', '7000'], { logName: 'r1-server' }));
    await new Promise((r) => setTimeout(r, 300));
    const out = labs.track(
      lab.spawn('r1', [process.execPath, echo, 'client', WLB.server, '80', '2'], { logName: 'out-client' }),
    );
    expect(await out.exited).toBe(0);
    const entries = (await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', '80'])).stdout;
    expect(entries).toMatch(new RegExp(`dst=${WLB.r1Wan2.replace(/\./g, '\\.')} .*mark=${0xca}`));
    // A connection opened from outside to the router: its replies are never steered (W-67).
    const inbound = labs.track(
      lab.spawn('inet', [process.execPath, echo, 'client', WLB.r1Wan2, '7000', '2'], {
        logName: 'in-client',
      }),
    );
    expect(await inbound.exited).toBe(0);
    const served = (await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', '7000'])).stdout;
    expect(served).toMatch(/mark=0 /);

    // Health changes rewrite the chain and keep its counters: eth1 fails, router flows avoid it.
    const before = status.local!.packets;
    await pathDown(lab, 'isp2', true);
    await until(
      'eth1 failed',
      () => stateOf(lab, 'eth1'),
      (s) => s === 'failed',
    );
    expect(await flowsFromRouter(100, 40000)).toEqual({ via1: 100, via2: 0, other: 0 });
    const after = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    expect(after.local!.packets).toBeGreaterThan(before);
    expect(after.local!.rules.find((r) => r.rule === 10)!.entries.map((e) => e.target)).toEqual([
      'ISP_eth0',
      'CONNMARK',
    ]);
  });

  it('follows a DHCP lease: the nexthop, the table and the SNAT address move with it, without a state change (WS-21)', async () => {
    const topology = wlbTopology();
    topology.links[0]!.a.addresses = []; // r1 eth0 leases its address from isp1
    const lab = await labs.up(topology);
    await lab.exec('isp1', ['ip', 'address', 'add', '192.0.2.62/26', 'dev', 'eth0']);
    await countPackets(lab, 'inet', 'leased', 'prerouting', {
      from2: `ip daddr ${WLB.server} ip saddr 192.0.2.2`,
      from3: `ip daddr ${WLB.server} ip saddr 192.0.2.3`,
    });
    const from = async () => {
      const c = await packetCounts(lab, 'inet', 'leased');
      return { two: c['from2'], three: c['from3'] };
    };
    // isp1's DHCP server hands out one address and its router; a new configuration, another.
    const dhcp = dhcpServer(lab, labs, 'isp1');
    const serve = (address: string, router: string) =>
      dhcp(address, ['subnet 255.255.255.192', `router ${router}`]);
    await serve('192.0.2.2', WLB.isp1);
    await labs.router('r1', [
      'interfaces ethernet eth0 address dhcp',
      `${LB} interface-health eth0 nexthop dhcp`,
      // A renewal that changes the address goes through NAK and a new discovery: for a few
      // seconds eth0 has no address and its test fails at once (W-33). One such cycle must not
      // turn it FAILED.
      `${LB} interface-health eth0 failure-count 3`,
      `${LB} interface-health eth1 nexthop ${WLB.isp2}`,
      `${LB} rule 10 inbound-interface eth3`,
      `${LB} rule 10 interface eth0`,
    ]);
    // Until a lease is known the table is empty (and the kernel says it does not exist).
    const table = async () =>
      (await lab.exec('r1', ['ip', 'route', 'show', 'table', '201'], { allowFailure: true })).stdout;
    await until("the lease's router in eth0's table", table, (t) =>
      t.includes(`default via ${WLB.isp1} dev eth0`),
    );
    const eth0 = async () => (await statusOf(lab)).interfaces.find((i) => i.interface === 'eth0')!;
    const settled = await until(
      'eth0 active with its nexthop',
      eth0,
      (i) => i.status === 'active' && i.nexthop === WLB.isp1 && i.tests[0]!.result === 'success',
    );
    expect(settled.nexthopSource).toBe('dhcp');
    expect((await tandem(lab, 'r1', ['show', 'wan-load-balance'])).stdout).toContain(
      `  +Test:  ping  Target: ${WLB.isp1}\n`,
    );
    // The main table got the lease's default route at distance 2 (metric 210).
    expect((await lab.exec('r1', ['ip', 'route', 'show', 'default'])).stdout).toContain(
      `default via ${WLB.isp1} dev eth0 proto dhcp metric 210`,
    );
    await udpFlows(lab, 'h3', 20, 0, 21000);
    await until('flows from the first lease', from, (c) => c.two === 20);

    // The next lease brings another address and router: within the poll, the table and SNAT follow.
    await serve('192.0.2.3', '192.0.2.62');
    const pid = Number((await lab.exec('r1', ['cat', `${lab.dir('r1')}/state/dhcp/eth0.pid`])).stdout);
    await lab.exec('r1', ['kill', '-USR1', String(pid)]); // renew: isp1 refuses .2, offers .3
    await until("the new router in eth0's table", table, (t) =>
      t.includes('default via 192.0.2.62 dev eth0'),
    );
    expect(await table()).toContain('192.0.2.0/26 dev eth0');
    await until(
      'eth0 tested through the new router',
      eth0,
      (i) => i.nexthop === '192.0.2.62' && i.address === '192.0.2.3' && i.tests[0]!.result === 'success',
    );
    await udpFlows(lab, 'h3', 20, 0, 22000);
    await until('flows from the second lease', from, (c) => c.three === 20);
    const after = await eth0();
    expect(after.nexthop).toBe('192.0.2.62');
    expect(after.address).toBe('192.0.2.3');
    expect(after.lastStatusChange).toBe(settled.lastStatusChange); // no state change, no restart
    const log = (await tandem(lab, 'r1', ['show', 'log', 'wlb'])).stdout;
    expect(log).toContain('Interface eth0 nexthop is now 192.0.2.62, address 192.0.2.3');
  });

  it('rejects a bad commit with the path and keeps the running configuration and dataplane', async () => {
    const lab = await balancedLab(twoUplinks());
    const r = await configure(lab, 'r1', [`set ${LB} rule 10 interface eth4`, 'commit']);
    expect(r.stdout + r.stderr).toContain(
      'load-balancing wan rule 10 interface eth4: interface eth4 has no interface-health',
    );
    const rules = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    expect(rules.forward!.rules[0]!.entries.map((e) => e.target)).toEqual([
      'ISP_eth0',
      'ISP_eth1',
      'CONNMARK',
    ]);
    // Deleting the node removes everything WLB put in the kernel (W-1) and the commands say so.
    const del = await configure(lab, 'r1', [`delete load-balancing`, 'commit']);
    expect(del.code).toBe(0);
    for (const args of [
      ['show', 'wan-load-balance'],
      ['show', 'wan-load-balance', 'connection'],
      ['show', 'wan-load-balance', 'status'],
      ['restart', 'wan-load-balance'],
    ]) {
      const out = await tandem(lab, 'r1', args);
      expect(out.code).toBe(0);
      expect(out.stdout).toBe('WAN load balancing is not configured\n');
    }
    expect((await lab.exec('r1', ['ip', 'rule'])).stdout).not.toContain('fwmark');
    expect((await lab.exec('r1', ['nft', 'list', 'tables'])).stdout).not.toContain('tandem_wlb');
    expect((await lab.exec('r1', ['tc', 'filter', 'show', 'dev', 'eth3', 'ingress'])).stdout).not.toContain(
      'wlb_ingress',
    );
  });

  it('in the HA lab, the VRRP master balances the LAN host over both ISPs (what `tandem lab up` runs)', async () => {
    const lab = await labs.up(standardTopology({ wan2ViaVip: true }));
    for (const r of ['r1', 'r2']) await labs.router(r, operatorLabLines(r));
    await waitState(lab, 'r1', 'MASTER');
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    const flows = join(packageRoot(), 'test', 'integration', 'support', 'udpFlows.mjs');
    await lab.exec('h1', [process.execPath, flows, LAB_ADDRESSES.server, '9', '400', '0', '20000']);
    const rules = await json<WlbRulesStatus>(lab, ['show', 'wan-load-balance', 'status']);
    const byUplink = Object.fromEntries(rules.forward!.rules[0]!.entries.map((e) => [e.target, e.packets]));
    // Unicast to the router itself from the LAN passes the rule too (the cluster's monitor pings
    // of h1 get their replies on eth1): a few packets beside h1's 400 flows.
    expect(byUplink['ISP_eth0']! + byUplink['ISP_eth2']!).toBeGreaterThanOrEqual(400);
    expect(byUplink['ISP_eth0']! + byUplink['ISP_eth2']!).toBeLessThan(410);
    expect(byUplink['ISP_eth0']).toBeGreaterThan(140);
    expect(byUplink['ISP_eth2']).toBeGreaterThan(140);
    // Both uplinks really carry them: the server's replies come back to each uplink address.
    const ping = await lab.exec('h1', ['ping', '-c', '2', '-W', '1', LAB_ADDRESSES.server], {
      allowFailure: true,
    });
    expect(ping.code).toBe(0);
  });

  it('ttl tests pass on Time Exceeded from a hop and fail when the target answers; user-defined tests follow their script', async () => {
    const lab0 = await labs.up(wlbTopology());
    const flag = `${lab0.dir('r1')}/eth1-ok`;
    const seen = `${lab0.dir('r1')}/probe-iface`;
    const probe = `${lab0.dir('r1')}/probe.sh`;
    await lab0.exec('r1', [
      'sh',
      '-c',
      `printf '#!/bin/sh\necho "$WLB_SCRIPT_IFACE" > ${seen}\ntest -e ${flag}\n' > ${probe} && chmod +x ${probe} && touch ${flag}`,
    ]);
    await countAtInet(lab0);
    const lab = lab0;
    const ttl = (limit: number) => [
      `${LB} interface-health eth0 test 10 type ttl`,
      `${LB} interface-health eth0 test 10 ttl-limit ${limit}`,
    ];
    await labs.router('r1', [
      ...twoUplinks().filter((l) => !l.includes('eth1 test')),
      ...ttl(1),
      `${LB} interface-health eth1 test 10 type user-defined`,
      `${LB} interface-health eth1 test 10 test-script ${probe}`,
    ]);
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    const text = (await tandem(lab, 'r1', ['show', 'wan-load-balance'])).stdout;
    expect(text).toContain('  +Test:  ttl  Target: 203.0.113.44\n');
    expect(text).toContain(`  +Test:  user  Script: ${probe}\n`);
    expect((await lab.exec('r1', ['cat', seen])).stdout).toBe('eth1\n');

    await lab.exec('r1', ['rm', flag]);
    await until(
      'eth1 FAILED by its script',
      () => stateOf(lab, 'eth1'),
      (s) => s === 'failed',
      30_000,
    );
    await lab.exec('r1', ['touch', flag]);
    await until(
      'eth1 back',
      () => stateOf(lab, 'eth1'),
      (s) => s === 'active',
      30_000,
    );

    // Beyond the 2-hop path the target itself answers (Port Unreachable): the ttl test fails. The
    // probes that reach it are UDP datagrams to traceroute ports.
    await countPackets(lab, 'inet', 'ttlprobe', 'input', {
      probes: `ip daddr ${WLB.targets1[0]} udp dport 33434-33534`,
    });
    const r = await configure(lab, 'r1', [`set ${LB} interface-health eth0 test 10 ttl-limit 10`, 'commit']);
    expect(r.code).toBe(0);
    await until(
      'eth0 FAILED by its ttl test',
      () => stateOf(lab, 'eth0'),
      (s) => s === 'failed',
      30_000,
    );
    expect((await packetCounts(lab, 'inet', 'ttlprobe'))['probes']).toBeGreaterThan(0);
    expect(await stateOf(lab, 'eth1')).toBe('active');
  });

  it('an uplink whose interface disappears turns FAILED and new flows avoid it; tandemd keeps serving', async () => {
    const lab = await balancedLab(twoUplinks());
    await until(
      'first health cycles',
      () => statusOf(lab),
      (s) => s.interfaces.every((i) => i.lastStatusChange !== null),
    );
    await lab.exec('r1', ['ip', 'link', 'del', 'eth1']);
    await until(
      'eth1 FAILED',
      () => stateOf(lab, 'eth1'),
      (s) => s === 'failed',
      30_000,
    );
    const text = (await tandem(lab, 'r1', ['show', 'wan-load-balance'])).stdout;
    expect(text).toContain('Interface:  eth1\n  Status:  failed');
    await resetInetCounts(lab);
    await udpFlows(lab, 'h3', 200, 0, 31000);
    const c = await until(
      'flows counted',
      () => inetCounts(lab),
      (v) => v.via1 >= 200,
      10_000,
    );
    expect(c.via2).toBe(0);
    expect((await tandem(lab, 'r1', ['show', 'system', 'commit'])).code).toBe(0);
  });
});
