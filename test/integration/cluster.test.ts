// Clustering end to end: tandemd in two lab routers heartbeats over two links, holds the cluster
// address on one of them, and moves it when that router dies, is cut off or loses a monitor.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/packageRoot.js';
import { LAB_ADDRESSES, operatorLabLines, standardTopology } from '../../src/lab/standardTopology.js';
import {
  CL,
  clusterLines,
  clusterStatus,
  clusterTopology,
  hasAddress,
  waitHolder,
} from './support/cluster.js';
import { tandem } from './support/tandemd.js';
import { vrrpLabPerTest } from './support/vrrp.js';

const labs = vrrpLabPerTest();

async function pair(opts: Parameters<typeof clusterLines>[0] = {}, r2opts = opts, nodeArgs: string[] = []) {
  const lab = await labs.up(clusterTopology());
  await labs.router('r1', clusterLines(opts), nodeArgs);
  await labs.router('r2', clusterLines(r2opts), nodeArgs);
  return lab;
}

const STALL = join(packageRoot(), 'test/integration/support/stallOnSignal.mjs');

describe('clustering', () => {
  it('the primary holds the address; when it dies the secondary takes it and h1 reaches it again', async () => {
    const lab = await pair();
    const s1 = await waitHolder(lab, 'r1', 'r1');
    await waitHolder(lab, 'r2', 'r1');
    expect(s1.thisNode).toMatchObject({ name: 'r1', role: 'primary', state: 'active', display: 'Active' });
    expect(s1.peer).toMatchObject({ name: 'r2', alive: true, state: 'standby', display: 'Active (standby)' });
    expect(s1.peer!.links.map((l) => l.up)).toEqual([true, true]);
    expect(s1.monitors!.map((m) => m.state)).toEqual(['reachable', 'reachable']);
    expect(s1.peer!.configDigestMatches).toBe(true);
    expect(await hasAddress(lab, 'r1', CL.vip)).toBe(true);
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(false);
    const text = (await tandem(lab, 'r2', ['show', 'cluster', 'status'])).stdout;
    expect(text.split('\n')).toEqual([
      '=== Status report on secondary node r2 ===',
      '',
      'Primary r1: Active',
      '',
      'Secondary r2 (this node): Active (standby)',
      '',
      `Monitor ${CL.h1}: Reachable`,
      `Monitor ${CL.m2}: Reachable`,
      '',
      `Resources [${CL.vip}]:`,
      '  Active on primary r1',
      '',
    ]);
    await lab.exec('h1', ['ping', '-c', '1', '-W', '2', CL.vip]);

    // Power loss of r1: processes killed, links down.
    const t0 = Date.now();
    await lab.kill('r1');
    labs.procs('r1').forEach((p) => labs.forget(p));
    const s2 = await waitHolder(lab, 'r2', 'r2');
    const took = Date.now() - t0;
    expect(s2.peer).toMatchObject({ alive: false, state: 'dead', display: 'Down' });
    expect(s2.resources!.display).toBe('Active on secondary r2 (this node)');
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(true);
    // dead-interval + one keepalive + slack for polling (generous: a hang guard).
    expect(took).toBeLessThan(5000);
    const r = await lab.exec('h1', ['ping', '-c', '1', '-W', '2', CL.vip], { allowFailure: true });
    expect(r.code).toBe(0);
    const neigh = (await lab.exec('h1', ['ip', '-j', 'neigh', 'show', CL.vip])).stdout;
    const r2mac = JSON.parse((await lab.exec('r2', ['ip', '-j', 'link', 'show', 'eth1'])).stdout)[0].address;
    expect(JSON.parse(neigh)[0].lladdr).toBe(r2mac);
  });

  it('a router with another secret counts its heartbeats as authentication failures and never trusts them', async () => {
    const lab = await pair({}, { secret: 'other-secret' });
    // Each side sees the other dead and holds the address alone (split brain, CL-13).
    await waitHolder(lab, 'r1', 'r1');
    await waitHolder(lab, 'r2', 'r2');
    const s2 = await clusterStatus(lab, 'r2');
    expect(s2.peer!.alive).toBe(false);
    expect(s2.counters!.authFailures).toBeGreaterThan(0);
    expect(s2.counters!.heartbeatsReceived).toBe(0);
  });

  it('one heartbeat link cut: no failover; both cut: both hold; healed: exactly one holds again', async () => {
    const lab = await pair();
    await waitHolder(lab, 'r2', 'r1');
    await lab.exec('r2', ['ip', 'link', 'set', 'eth2', 'down']);
    await new Promise((r) => setTimeout(r, 2000));
    let s2 = await clusterStatus(lab, 'r2');
    expect(s2.peer!.alive).toBe(true);
    expect(s2.peer!.links.map((l) => l.up)).toEqual([true, false]);
    expect(s2.resources!.holder).toBe('r1');
    // Cut the LAN path for heartbeats too (multicast from the other router dropped on r2).
    await lab.exec('r2', ['nft', '-f', '-'], {
      input: `table ip cut {\n  chain in {\n    type filter hook input priority -10;\n    udp dport 694 drop\n  }\n}\n`,
    });
    await waitHolder(lab, 'r2', 'r2');
    expect(await hasAddress(lab, 'r1', CL.vip)).toBe(true);
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(true);
    // Heal: the primary keeps (equal monitors), r2 releases.
    await lab.exec('r2', ['nft', 'delete', 'table', 'ip', 'cut']);
    await lab.exec('r2', ['ip', 'link', 'set', 'eth2', 'up']);
    await waitHolder(lab, 'r2', 'r1');
    s2 = await clusterStatus(lab, 'r2');
    expect(s2.thisNode!.state).toBe('standby');
    const log = (await tandem(lab, 'r2', ['show', 'log', 'cluster'])).stdout;
    for (const line of [
      'link r1/eth2 dead',
      'link r1/eth1 dead',
      'node r1 is dead',
      'node r1 is alive',
      'link r1/eth1 up',
    ])
      expect(log).toContain(line);
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(false);
    expect(await hasAddress(lab, 'r1', CL.vip)).toBe(true);
  });

  it('a holder that loses a monitor its peer still reaches hands over; non-revertive afterwards', async () => {
    const lab = await pair();
    await waitHolder(lab, 'r2', 'r1');
    // r1 stops hearing m2's echo replies.
    await lab.exec('r1', ['nft', '-f', '-'], {
      input: `table ip mon {\n  chain in {\n    type filter hook input priority -10;\n    ip saddr ${CL.m2} icmp type echo-reply drop\n  }\n}\n`,
    });
    const s2 = await waitHolder(lab, 'r2', 'r2');
    expect(s2.peer!.display).toBe('Down (at least 1 monitor node not reachable)');
    const s1 = await waitHolder(lab, 'r1', 'r2');
    expect(s1.thisNode!.display).toBe('Down (at least 1 monitor not reachable)');
    expect(s1.monitors!.map((m) => m.state)).toEqual(['reachable', 'unreachable']);
    expect((await tandem(lab, 'r1', ['show', 'log', 'cluster'])).stdout).toContain(
      `monitor ${CL.m2} unreachable`,
    );
    // The monitor comes back: with auto-failback false nothing moves.
    await lab.exec('r1', ['nft', 'delete', 'table', 'ip', 'mon']);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await clusterStatus(lab, 'r1')).resources!.holder).toBe('r2');
  });

  it('a stalled JavaScript event loop on either node causes no failover: the native engines keep heartbeating', async () => {
    // STALL_MS (8 s) is eight dead-intervals.
    const lab = await pair({}, {}, ['--import', STALL]);
    await waitHolder(lab, 'r2', 'r1');
    const [r1, r2] = [labs.procs('r1')[0]!, labs.procs('r2')[0]!];
    for (const stalled of [r1, r2]) {
      process.kill(stalled.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 300));
      // The stall is real: that daemon does not answer meanwhile.
      const answer = tandem(lab, stalled.node, ['show', 'cluster', 'status', '--json']).then(
        () => 'answered',
      );
      expect(await Promise.race([answer, new Promise((r) => setTimeout(() => r('stalled'), 3000))])).toBe(
        'stalled',
      );
      await answer;
      const other = stalled === r1 ? 'r2' : 'r1';
      const s = await clusterStatus(lab, other);
      expect(s.peer!.alive).toBe(true);
      expect(s.resources!.holder).toBe('r1');
      expect((await clusterStatus(lab, stalled.node)).resources!.holder).toBe('r1');
    }
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(false);
    const s2 = await clusterStatus(lab, 'r2');
    expect(s2.counters!.takeovers).toBe(0);
    expect(s2.counters!.lateHeartbeats).toBe(0);
  });

  it('restart cluster on the holder resumes it as holder, without a failover; force standby hands over', async () => {
    const lab = await pair();
    const before = await waitHolder(lab, 'r2', 'r1');
    const r = await tandem(lab, 'r1', ['restart', 'cluster']);
    expect(r.stdout).toBe('Restarting cluster node...\nSuccess!\n');
    const s1 = await waitHolder(lab, 'r1', 'r1');
    expect(s1.thisNode!.generation).toBe(before.thisNode!.generation + 1);
    await new Promise((res) => setTimeout(res, 1500)); // longer than dead-interval
    const s2 = await clusterStatus(lab, 'r2');
    expect(s2.counters!.takeovers).toBe(0);
    expect(s2.resources!.holder).toBe('r1');
    // force cluster standby on the holder moves the group to the secondary, and it sticks.
    expect((await tandem(lab, 'r1', ['force', 'cluster', 'standby'])).stdout).toBe(
      'Attempting to release cluster resources\n',
    );
    await waitHolder(lab, 'r2', 'r2');
    await new Promise((res) => setTimeout(res, 1000));
    expect((await clusterStatus(lab, 'r1')).resources!.holder).toBe('r2');
    expect(await hasAddress(lab, 'r1', CL.vip)).toBe(false);
  });

  it('in the standard HA lab (what `tandem lab up` runs) the cluster holds its address beside VRRP and WLB', async () => {
    const lab = await labs.up(standardTopology({ wan2ViaVip: true }));
    for (const r of ['r1', 'r2']) await labs.router(r, operatorLabLines(r));
    await waitHolder(lab, 'r2', 'r1');
    const text = (await tandem(lab, 'r1', ['show', 'cluster', 'status'])).stdout;
    expect(text).toContain('Primary r1 (this node): Active');
    expect(text).toContain('Secondary r2: Active (standby)');
    expect(text).toContain(
      `Resources [${LAB_ADDRESSES.clusterAddress}]:\n  Active on primary r1 (this node)`,
    );
    expect(
      (
        await lab.exec('h1', ['ping', '-c', '1', '-W', '2', LAB_ADDRESSES.clusterAddress], {
          allowFailure: true,
        })
      ).code,
    ).toBe(0);
  });

  it('with auto-failback the recovered primary gets the resources back', async () => {
    const lab = await pair({ autoFailback: true });
    await waitHolder(lab, 'r2', 'r1');
    await lab.exec('r1', ['nft', '-f', '-'], {
      input: `table ip mon {\n  chain in {\n    type filter hook input priority -10;\n    ip saddr ${CL.m2} icmp type echo-reply drop\n  }\n}\n`,
    });
    await waitHolder(lab, 'r2', 'r2');
    await lab.exec('r1', ['nft', 'delete', 'table', 'ip', 'mon']);
    await waitHolder(lab, 'r2', 'r1');
    expect(await hasAddress(lab, 'r1', CL.vip)).toBe(true);
    expect(await hasAddress(lab, 'r2', CL.vip)).toBe(false);
  });
});
