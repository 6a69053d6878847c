// VRRP election among tandemd routers on one LAN: three routers elect by priority and the next
// in line takes over when the master dies; preemption off keeps a live lower-priority master;
// preempt-delay holds a returning higher-priority router back before it takes over.
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/lab/topology.js';
import { configure } from './support/tandemd.js';
import { vrrpLabPerTest, vrrpStatus, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();

const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';
const group = (priority: number, extra: string[] = []) => [
  `${G} virtual-address 192.0.2.1/24`,
  `${G} priority ${priority}`,
  ...extra,
];

/** r1, r2, r3 (192.0.2.2-4) and nothing else on one switch. */
const trio: Topology = {
  nodes: [
    { name: 'lan', kind: 'switch' },
    ...['r1', 'r2', 'r3'].map((name) => ({ name, kind: 'router' as const })),
  ],
  links: ['r1', 'r2', 'r3'].map((node, i) => ({
    a: { node, ifname: 'eth1', addresses: [`192.0.2.${i + 2}/24`] },
    b: { node: 'lan', ifname: node },
  })),
};

describe('VRRP election', () => {
  it('three routers: the highest priority is master; when it dies the next highest takes over, and it preempts on return', async () => {
    const lab = await labs.up(trio);
    const r1 = await labs.router('r1', group(150));
    await labs.router('r2', group(100));
    await labs.router('r3', group(120));
    await waitState(lab, 'r1', 'MASTER');
    for (const node of ['r2', 'r3']) {
      const b = (await waitState(lab, node, 'BACKUP')).groups[0]!;
      expect(b.master?.priority).toBe(150);
    }

    // SIGKILL: no priority-0 release, the backups wait their Master_Down_Interval. r3's skew time
    // is the shorter (priority 120), so it takes over and r2 hears it in time to stay backup.
    process.kill(r1.pid, 'SIGKILL');
    await r1.exited;
    labs.forget(r1);
    await waitState(lab, 'r3', 'MASTER');
    const r2 = (await vrrpStatus(lab, 'r2')).groups[0]!;
    expect(r2.state).toBe('BACKUP');
    expect(r2.counters.becameMaster).toBe(0);
    expect(r2.master?.priority).toBe(120);

    // r1 returns (its state record is stale by now): it starts as backup, hears r3's lower
    // priority and preempts it.
    await labs.router('r1', group(150));
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r3', 'BACKUP');
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.master?.priority).toBe(150);
  });

  it('preempt false keeps a live lower-priority master; preempt-delay holds the takeover back', async () => {
    const lab = await labs.up(trio);
    await labs.router('r2', group(100));
    await waitState(lab, 'r2', 'MASTER');
    await labs.router('r1', group(150, [`${G} preempt false`]));
    await waitState(lab, 'r1', 'BACKUP');
    await new Promise((r) => setTimeout(r, 5000)); // longer than the Master_Down_Interval
    const held = (await vrrpStatus(lab, 'r1')).groups[0]!;
    expect(held.state).toBe('BACKUP');
    expect(held.master?.priority).toBe(100);
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.state).toBe('MASTER');

    // Preemption back on, with a 3 s delay: still backup well inside the delay, master after it.
    const changed = await configure(lab, 'r1', [`delete ${G} preempt`, `set ${G} preempt-delay 3`, 'commit']);
    expect(changed.stderr).toBe('');
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('BACKUP');
    await waitState(lab, 'r1', 'MASTER');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2500);
    await waitState(lab, 'r2', 'BACKUP');
  });

  it('start-delay keeps the groups in INIT after the first start since boot, not after a daemon restart (V-4)', async () => {
    const lab = await labs.up(trio);
    const lines = group(150, ['interfaces ethernet eth1 vrrp start-delay 3']);
    const first = await labs.router('r1', lines);
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('INIT');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('INIT'); // well inside the 3 s
    await waitState(lab, 'r1', 'MASTER');

    // The daemon restarts (same boot): the groups take part at once.
    await first.stop();
    labs.forget(first);
    await labs.router('r1', lines);
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).not.toBe('INIT');
    await waitState(lab, 'r1', 'MASTER');
  });
});
