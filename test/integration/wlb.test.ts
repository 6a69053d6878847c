// WAN load balancing end to end: tandemd in a lab router balances a LAN host's flows over two ISPs,
// source-NATs them, tests the uplinks' health and steers around a dead one.
import { describe, expect, it } from 'vitest';
import type { WlbRulesStatus, WlbStatus } from '../../src/features/wlb/status.js';
import type { Lab } from '../../src/lab/lab.js';
import { tandem } from './support/tandemd.js';
import { vrrpLabPerTest } from './support/vrrp.js';
import {
  WLB,
  countAtInet,
  inetCounts,
  pathDown,
  resetInetCounts,
  udpFlows,
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
});
