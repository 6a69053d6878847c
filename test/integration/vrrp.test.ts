// VRRP end to end: tandemd in lab routers elects, fails over (crash and clean stop), keeps the
// two-router HA lab forwarding, puts correct adverts on the wire, and authenticates with keepalived
// (plain interop with keepalived and FRR: vrrpInterop.test.ts).
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VrrpStatus } from '../../src/features/vrrp/status.js';
import { Capture } from '../../src/lab/capture.js';
import { keepalivedInstance, spawnKeepalived } from '../../src/lab/keepalived.js';
import { packageRoot } from '../../src/packageRoot.js';
import { LAB_ADDRESSES, standardRouterHaLines, standardTopology } from '../../src/lab/standardTopology.js';
import { configure, tandem } from './support/tandemd.js';
import { hasAddress, lanPairTopology, ping, vrrpLabPerTest, vrrpStatus, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();

const SCHED_FIFO = 1;

/** Scheduling policy (field 41 of /proc/<pid>/task/<tid>/stat) of the thread named `name`. */
async function threadPolicy(pid: number, name: string): Promise<number | undefined> {
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const comm = (await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8')).trim();
    if (comm !== name) continue;
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
  }
  return undefined;
}

const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';
const groupLines = (prio: number) => [`${G} virtual-address 192.0.2.1/24`, `${G} priority ${prio}`];

/** The pair with group 10 elected: r1 (150) MASTER, r2 (100) BACKUP. */
async function electedPair() {
  const lab = await labs.up(lanPairTopology());
  const r1 = await labs.router('r1', groupLines(150));
  const r2 = await labs.router('r2', groupLines(100));
  await waitState(lab, 'r1', 'MASTER');
  await waitState(lab, 'r2', 'BACKUP');
  return { lab, r1, r2 };
}

describe('VRRP with tandemd', () => {
  it('the HA lab elects r1, fails over to r2 when r1 dies, and keeps h1 reaching the server', async () => {
    const topology = standardTopology();
    const lab = await labs.up(topology);
    for (const r of ['r1', 'r2']) await labs.router(r, standardRouterHaLines(r));
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    expect(await hasAddress(lab, 'r1', 'eth1', LAB_ADDRESSES.lanVip)).toBe(true);
    expect(await hasAddress(lab, 'r2', 'eth1', LAB_ADDRESSES.lanVip)).toBe(false);
    expect(await ping(lab, 'h1', LAB_ADDRESSES.server)).toBe(0);

    await lab.kill('r1');
    await waitState(lab, 'r2', 'MASTER');
    const sync = JSON.parse(
      (await tandem(lab, 'r2', ['show', 'vrrp', 'sync-group', '--json'])).stdout,
    ) as VrrpStatus;
    expect(sync.syncGroups).toEqual([
      {
        name: 'LAB',
        state: 'MASTER',
        members: [
          { interface: 'eth0', group: 20, state: 'MASTER' },
          { interface: 'eth1', group: 10, state: 'MASTER' },
        ],
      },
    ]);
    expect(await hasAddress(lab, 'r2', 'eth1', LAB_ADDRESSES.lanVip)).toBe(true);
    expect(await hasAddress(lab, 'r2', 'eth0', LAB_ADDRESSES.wan1Vip)).toBe(true);
    expect(await ping(lab, 'h1', LAB_ADDRESSES.server)).toBe(0);
    const table = (await tandem(lab, 'r2', ['show', 'vrrp'])).stdout;
    expect(table).toMatch(/^eth1\s+10\s+MASTER\s+no\s+no\s+\d+s\s+LAB$/m);
  });

  it('a clean stop releases with priority 0 and the backup takes over on it', async () => {
    const lab = await labs.up(lanPairTopology());
    const r1 = await labs.router('r1', [`${G} virtual-address 192.0.2.1/24`, `${G} priority 200`]);
    await labs.router('r2', [`${G} virtual-address 192.0.2.1/24`]);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    // monitor vrrp on r2 streams the takeover as it happens.
    const bin = join(packageRoot(), 'bin', 'tandem');
    const monitor = lab.exec('r2', [process.execPath, bin, 'monitor', 'vrrp'], {
      env: { ...lab.env('r2'), TANDEM_MONITOR_SECONDS: '4' },
    });
    await new Promise((r) => setTimeout(r, 500));
    await r1.stop();
    const s = await waitState(lab, 'r2', 'MASTER');
    expect((await monitor).stdout).toMatch(
      /\[vrrp\] VRRP_Instance\(eth1-10\) Entering MASTER STATE \(priority 0 received\)/,
    );
    expect(s.groups[0]!.counters.priorityZeroReceived).toBeGreaterThanOrEqual(1);
    expect(await hasAddress(lab, 'r1', 'eth1', '192.0.2.1')).toBe(false);
    const log = (await tandem(lab, 'r2', ['show', 'log', 'vrrp'])).stdout;
    expect(log).toContain('Transition to MASTER STATE (priority 0 received)');
  });

  it('monitor vrrp background prints the VRRP log inside a shell session while it goes on, until stopped', async () => {
    const lab = await labs.up(lanPairTopology());
    await labs.router('r1', groupLines(150));
    await waitState(lab, 'r1', 'MASTER');
    // Outside a session there is nothing to keep the stream: refused with the reason.
    const oneShot = await tandem(lab, 'r1', ['monitor', 'vrrp', 'background', 'start']);
    expect(oneShot.code).not.toBe(0);
    expect(oneShot.stderr).toContain('needs an interactive session');

    const [file, ...args] = lab.wrap('r1', [process.execPath, join(packageRoot(), 'bin', 'tandem'), 'shell']);
    const shell = spawn(file!, args, { env: lab.env('r1'), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    shell.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => shell.on('exit', r));
    const seen = async (text: string, times = 1) => {
      for (let i = 0; i < 100 && out.split(text).length - 1 < times; i++)
        await new Promise((r) => setTimeout(r, 100));
      return out.split(text).length - 1;
    };
    try {
      shell.stdin.write('monitor vrrp background start\n');
      expect(await seen('VRRP background monitoring started')).toBe(1);
      // Another operator restarts VRRP: the line appears in this session, which keeps working.
      await tandem(lab, 'r1', ['restart', 'vrrp']);
      expect(await seen('VRRP engine restarting')).toBe(1);
      shell.stdin.write('show vrrp\n');
      expect(await seen('MASTER')).toBeGreaterThanOrEqual(1);

      shell.stdin.write('monitor vrrp background stop\n');
      expect(await seen('VRRP background monitoring stopped')).toBe(1);
      await tandem(lab, 'r1', ['restart', 'vrrp']);
      await new Promise((r) => setTimeout(r, 1500));
      expect(out.split('VRRP engine restarting').length - 1).toBe(1);
      shell.stdin.write('monitor vrrp background start\nexit\n');
      // Leaving the session ends its background stream with it.
      expect(await exited).toBe(0);
    } finally {
      shell.kill('SIGKILL');
    }
  });

  it('sends adverts a keepalived peer and Wireshark agree with', async () => {
    const lab = await labs.up(lanPairTopology());
    const capture = await Capture.start(lab, 'h1', 'eth0', 'ip proto 112');
    await labs.router('r1', [`${G} virtual-address 192.0.2.1/24`, `${G} priority 150`]);
    await waitState(lab, 'r1', 'MASTER');
    await new Promise((r) => setTimeout(r, 1500));
    const adverts = await capture.stop([
      'ip.src',
      'ip.dst',
      'ip.ttl',
      'ip.dsfield',
      'vrrp.version',
      'vrrp.virt_rtr_id',
      'vrrp.prio',
      'vrrp.ip_addr',
      'vrrp.checksum.status',
    ]);
    expect(adverts.length).toBeGreaterThanOrEqual(2);
    for (const a of adverts) {
      expect(a).toEqual({
        'ip.src': '192.0.2.2',
        'ip.dst': '224.0.0.18',
        'ip.ttl': '255',
        'ip.dsfield': '0xc0',
        'vrrp.version': '2',
        'vrrp.virt_rtr_id': '10',
        'vrrp.prio': '150',
        'vrrp.ip_addr': '192.0.2.1',
        'vrrp.checksum.status': '1', // Wireshark: 0 bad, 1 good, 2 unverified
      });
    }
  });

  it('a stalled JavaScript event loop on the master causes no failover: the native engine keeps advertising', async () => {
    const lab = await labs.up(lanPairTopology());
    const stall = join(packageRoot(), 'test/integration/support/stallOnSignal.mjs');
    const r1 = await labs.router(
      'r1',
      [`${G} virtual-address 192.0.2.1/24`, `${G} priority 150`],
      ['--import', stall],
    );
    await labs.router('r2', [`${G} virtual-address 192.0.2.1/24`]);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    // The engine is its own thread with real-time scheduling, so CPU load cannot delay it either.
    expect(await threadPolicy(r1.pid, 'tandem-vrrp')).toBe(SCHED_FIFO);
    expect((await tandem(lab, 'r1', ['show', 'log', 'vrrp'])).stdout).toContain(
      'VRRP engine thread runs with real-time scheduling (SCHED_FIFO)',
    );
    const before = (await vrrpStatus(lab, 'r2')).groups[0]!.counters.advertisementsReceived;

    process.kill(r1.pid, 'SIGUSR2'); // r1's main thread spins 8 s, over twice Master_Down_Interval
    await new Promise((r) => setTimeout(r, 300));
    // The stall is real: r1's daemon does not answer its CLI meanwhile.
    const answer = tandem(lab, 'r1', ['show', 'vrrp', '--json']).then(() => 'answered');
    expect(await Promise.race([answer, new Promise((r) => setTimeout(() => r('stalled'), 3000))])).toBe(
      'stalled',
    );
    await new Promise((r) => setTimeout(r, 5500));
    expect(await answer).toBe('answered');

    const b = (await vrrpStatus(lab, 'r2')).groups[0]!;
    expect(b.state).toBe('BACKUP');
    expect(b.counters.becameMaster).toBe(0);
    expect(b.counters.advertisementsReceived - before).toBeGreaterThanOrEqual(7);
    expect(await hasAddress(lab, 'r2', 'eth1', '192.0.2.1')).toBe(false);
  });

  it('a daemon crash and restart within the master down interval resumes MASTER without a failover', async () => {
    const { lab, r1 } = await electedPair();

    process.kill(r1.pid, 'SIGKILL'); // tandemd dies; the router's links stay up
    await r1.exited;
    labs.forget(r1);
    await labs.router('r1', groupLines(150));
    const s = await waitState(lab, 'r1', 'MASTER');
    await new Promise((r) => setTimeout(r, 4000)); // longer than the backup's Master_Down_Interval

    expect(s.groups[0]!.counters.becameMaster).toBe(0); // resumed, not re-elected
    const b = (await vrrpStatus(lab, 'r2')).groups[0]!;
    expect(b.state).toBe('BACKUP');
    expect(b.counters.becameMaster).toBe(0);
    expect(await hasAddress(lab, 'r1', 'eth1', '192.0.2.1')).toBe(true);
    expect((await tandem(lab, 'r1', ['show', 'log', 'vrrp'])).stdout).toContain('resuming MASTER state');
  });

  it.each([
    ['plaintext-password', 'PASS'],
    ['ah', 'AH'],
  ])('authenticates with keepalived using %s', async (type, kaType) => {
    const lab = await labs.up(lanPairTopology());
    labs.track(
      await spawnKeepalived(
        lab,
        'r2',
        keepalivedInstance({
          name: 'LAN',
          ifname: 'eth1',
          vrid: 10,
          priority: 200,
          vips: ['192.0.2.1/24'],
          auth: { type: kaType as 'PASS' | 'AH', pass: 's3cret' },
        }),
      ),
    );
    await labs.router('r1', [
      `${G} virtual-address 192.0.2.1/24`,
      `${G} priority 100`,
      `${G} authentication type ${type}`,
      `${G} authentication password s3cret`,
    ]);
    // keepalived (200) is master; tandemd accepts its authenticated adverts and stays backup.
    const s = await waitState(lab, 'r1', 'BACKUP');
    await new Promise((r) => setTimeout(r, 5000));
    const g = (await vrrpStatus(lab, 'r1')).groups[0]!;
    expect(g.state).toBe('BACKUP');
    expect(g.counters.advertisementsReceived).toBeGreaterThanOrEqual(3);
    expect(g.counters.authFailures + g.counters.authTypeMismatch + g.counters.checksumErrors).toBe(0);
    expect(g.master?.priority).toBe(200);
    expect(s.groups[0]!.authenticationType).toBe(type);
    expect(await hasAddress(lab, 'r1', 'eth1', '192.0.2.1')).toBe(false);

    // The other way: raised above keepalived, tandemd preempts and keepalived accepts its
    // authenticated adverts (for AH: the sequence continues above the one keepalived sent).
    const raised = await configure(lab, 'r1', [`set ${G} priority 250`, 'commit']);
    expect(raised.stderr).toBe('');
    await waitState(lab, 'r1', 'MASTER');
    for (let i = 0; i < 100 && (await hasAddress(lab, 'r2', 'eth1', '192.0.2.1')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await hasAddress(lab, 'r2', 'eth1', '192.0.2.1')).toBe(false);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('MASTER');
  });

  it('runs the transition scripts with state, interface and group', async () => {
    const lab = await labs.up(lanPairTopology());
    const script = join(lab.dir('r1'), 'on-master.sh');
    const out = join(lab.dir('r1'), 'script.out');
    await writeFile(script, `#!/bin/sh\necho "$1 $2 $3 $VRRP_VIPS $VRRP_PREVIOUS_STATE" >> ${out}\n`, {
      mode: 0o755,
    });
    await labs.router('r1', [
      `${G} virtual-address 192.0.2.1/24`,
      `${G} run-transition-scripts master ${script}`,
    ]);
    await waitState(lab, 'r1', 'MASTER');
    let text = '';
    for (let i = 0; i < 50 && !text; i++) {
      text = await readFile(out, 'utf8').catch(() => '');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toBe('master eth1 10 192.0.2.1/24 backup\n');
  });

  it('restart vrrp keeps the master without a failover; reset vrrp statistics zeroes the counters; reset master hands over', async () => {
    const { lab } = await electedPair();

    const sentBefore = (await vrrpStatus(lab, 'r1')).groups[0]!.counters.advertisementsSent;
    expect((await tandem(lab, 'r1', ['restart', 'vrrp'])).stdout).toBe('Restarting VRRP...\n');
    await new Promise((r) => setTimeout(r, 4500));
    const afterRestart = (await vrrpStatus(lab, 'r1')).groups[0]!;
    expect(afterRestart.state).toBe('MASTER');
    expect(afterRestart.counters.advertisementsSent).toBeGreaterThan(sentBefore + 2); // kept and growing
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.counters.becameMaster).toBe(0);

    expect((await vrrpStatus(lab, 'r2')).groups[0]!.counters.advertisementsReceived).toBeGreaterThan(3);
    expect((await tandem(lab, 'r2', ['reset', 'vrrp', 'statistics', 'interface', 'eth1'])).stdout).toBe(
      'VRRP statistics reset (1 group)\n',
    );
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.counters.advertisementsReceived).toBeLessThanOrEqual(1);

    const notMaster = await tandem(lab, 'r2', [
      'reset',
      'vrrp',
      'master',
      'interface',
      'eth1',
      'group',
      '10',
    ]);
    expect(notMaster.code).toBe(1);
    expect(notMaster.stderr).toContain('eth1-10 is not in MASTER state');
    const forced = await tandem(lab, 'r1', ['reset', 'vrrp', 'master', 'interface', 'eth1', 'group', '10']);
    expect(forced.stdout).toBe('Forcing eth1-10 to BACKUP...\n');
    await waitState(lab, 'r2', 'MASTER');
    // The forced backup holds preemption off: r1 stays BACKUP although its priority is higher.
    await new Promise((r) => setTimeout(r, 4500));
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('BACKUP');
  });

  it('goes to FAULT when its link drops, comes back when it returns, and tracks interfaces by weight', async () => {
    const topo = lanPairTopology();
    topo.nodes.push({ name: 'x', kind: 'host' });
    topo.links.push({ a: { node: 'r1', ifname: 'eth2' }, b: { node: 'x', ifname: 'eth0' } });
    const lab = await labs.up(topo);
    await labs.router('r1', [
      `${G} virtual-address 192.0.2.1/24`,
      `${G} priority 150`,
      `${G} track interface eth2 weight type decrement`,
      `${G} track interface eth2 weight value 60`,
    ]);
    await labs.router('r2', [`${G} virtual-address 192.0.2.1/24`]);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');

    // The tracked interface goes down: 150 - 60 = 90 < 100, so r2 preempts.
    await lab.exec('x', ['ip', 'link', 'set', 'eth0', 'down']);
    await waitState(lab, 'r2', 'MASTER');
    const r1 = await waitState(lab, 'r1', 'BACKUP');
    expect(r1.groups[0]!.effectivePriority).toBe(90);
    expect(r1.groups[0]!.track).toEqual([
      { interface: 'eth2', state: 'DOWN', weight: { type: 'decrement', value: 60 } },
    ]);
    await lab.exec('x', ['ip', 'link', 'set', 'eth0', 'up']);
    await waitState(lab, 'r1', 'MASTER');

    // r1's LAN link drops: FAULT, the VIP leaves it, r2 takes over; back up: BACKUP, then r1 preempts.
    await lab.exec('r1', ['ip', 'link', 'set', 'eth1', 'down']);
    await waitState(lab, 'r1', 'FAULT');
    expect(await hasAddress(lab, 'r1', 'eth1', '192.0.2.1')).toBe(false);
    await waitState(lab, 'r2', 'MASTER');
    await lab.exec('r1', ['ip', 'link', 'set', 'eth1', 'up']);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    expect(await ping(lab, 'h1', '192.0.2.1')).toBe(0);
  });

  it('a backup whose link flaps and whose address is flushed and added again keeps hearing the master (V-64)', async () => {
    const lab = await labs.up(lanPairTopology());
    await labs.router('r1', [`${G} virtual-address 192.0.2.1/24`, `${G} priority 150`]);
    await labs.router('r2', [`${G} virtual-address 192.0.2.1/24`]);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    // ifdown/ifup as a distribution's scripts do it: link down, addresses gone, link up, added.
    await lab.exec('r2', ['ip', 'link', 'set', 'eth1', 'down']);
    await waitState(lab, 'r2', 'FAULT');
    await lab.exec('r2', ['ip', 'address', 'flush', 'dev', 'eth1']);
    await lab.exec('r2', ['ip', 'link', 'set', 'eth1', 'up']);
    await lab.exec('r2', ['ip', 'address', 'add', '192.0.2.3/24', 'dev', 'eth1']);
    const back = await waitState(lab, 'r2', 'BACKUP');
    const heard = back.groups[0]!.counters.advertisementsReceived;
    // Longer than three master-down intervals: a deaf backup would have made itself master.
    await new Promise((r) => setTimeout(r, 5000));
    const later = await vrrpStatus(lab, 'r2');
    expect(later.groups[0]!.state).toBe('BACKUP');
    expect(later.groups[0]!.counters.advertisementsReceived).toBeGreaterThanOrEqual(heard + 4);
    expect(later.groups[0]!.sourceAddress).toBe('192.0.2.3');
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('MASTER');
  });

  it('announces the VIP with gratuitous ARP from the new master on takeover', async () => {
    const { lab, r1 } = await electedPair();
    const r2mac = JSON.parse((await lab.exec('r2', ['ip', '-j', 'link', 'show', 'eth1'])).stdout)[0]
      .address as string;
    const capture = await Capture.start(lab, 'h1', 'eth0', 'arp');
    await r1.stop();
    labs.forget(r1);
    await waitState(lab, 'r2', 'MASTER');
    const arps = await capture.stop([
      'arp.opcode',
      'arp.src.hw_mac',
      'arp.src.proto_ipv4',
      'arp.dst.proto_ipv4',
    ]);
    const garp = arps.filter(
      (a) => a['arp.src.proto_ipv4'] === '192.0.2.1' && a['arp.dst.proto_ipv4'] === '192.0.2.1',
    );
    // Legacy mode: 5 requests and 5 replies at once, from the parent's MAC.
    expect(garp.filter((a) => a['arp.opcode'] === '1')).toHaveLength(5);
    expect(garp.filter((a) => a['arp.opcode'] === '2')).toHaveLength(5);
    expect(new Set(garp.map((a) => a['arp.src.hw_mac']))).toEqual(new Set([r2mac]));
  });

  it('disable releases at once and re-enable preempts back (S-21)', async () => {
    const { lab } = await electedPair();
    expect((await configure(lab, 'r1', [`set ${G} disable`, 'commit'])).code).toBe(0);
    await waitState(lab, 'r1', 'DISABLED');
    const r2 = await waitState(lab, 'r2', 'MASTER');
    expect(r2.groups[0]!.counters.priorityZeroReceived).toBeGreaterThanOrEqual(1);
    expect(await hasAddress(lab, 'r1', 'eth1', '192.0.2.1')).toBe(false);
    expect((await tandem(lab, 'r1', ['show', 'vrrp'])).stdout).toMatch(/^eth1\s+10\s+DISABLED/m);
    expect((await configure(lab, 'r1', [`delete ${G} disable`, 'commit'])).code).toBe(0);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
  });

  it('counts an authentication type mismatch and an interval mismatch; both stay master until they agree (S-18, S-20)', async () => {
    const lab = await labs.up(lanPairTopology());
    await labs.router('r1', [
      `${G} virtual-address 192.0.2.1/24`,
      `${G} priority 150`,
      `${G} authentication type plaintext-password`,
      `${G} authentication password secret`,
    ]);
    await labs.router('r2', [`${G} virtual-address 192.0.2.1/24`, `${G} advertise-interval 3`]);
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'MASTER');
    await new Promise((r) => setTimeout(r, 3000));
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.counters.authTypeMismatch).toBeGreaterThanOrEqual(1);
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.counters.authTypeMismatch).toBeGreaterThanOrEqual(1);

    // Same authentication, different intervals: now the interval check drops them.
    const r2auth = [
      `set ${G} authentication type plaintext-password`,
      `set ${G} authentication password secret`,
    ];
    expect((await configure(lab, 'r2', [...r2auth, 'commit'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 4000));
    expect(
      (await vrrpStatus(lab, 'r2')).groups[0]!.counters.advertisementIntervalErrors,
    ).toBeGreaterThanOrEqual(2);
    expect((await vrrpStatus(lab, 'r2')).groups[0]!.state).toBe('MASTER');

    // They agree: the lower priority yields.
    expect((await configure(lab, 'r2', [`set ${G} advertise-interval 1`, 'commit'])).code).toBe(0);
    await waitState(lab, 'r2', 'BACKUP');
    expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('MASTER');
  });
});
