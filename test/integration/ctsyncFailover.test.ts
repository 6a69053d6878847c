// Stateful failover end to end: h1's TCP stream runs through r1's source NAT (to the wan1 VIP);
// r1 loses power; r2 takes over the VIPs and — with conntrack-sync — commits r1's connections
// before their next packets, so the stream goes on with its NAT mapping. Without sync the same
// failover breaks it (TCP loose pick-up is off, as the lab of the issue requires), which shows the
// test measures the feature.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CtsyncStatus } from '../../src/features/conntrack-sync/index.js';
import type { CtsyncStatistics } from '../../src/features/conntrack-sync/statistics.js';
import type { FastPathFlowRow } from '../../src/features/fast-path/status.js';
import { Capture } from '../../src/lab/capture.js';
import type { Lab } from '../../src/lab/lab.js';
import {
  LAB_ADDRESSES,
  operatorLabLines,
  standardRouterHaLines,
  standardRouterSyncLines,
  standardRouterWlbLines,
  standardTopology,
} from '../../src/lab/standardTopology.js';
import type { WlbConnections } from '../../src/features/wlb/status.js';
import { packageRoot } from '../../src/packageRoot.js';
import { natRouter, syncLines } from './support/ctsync.js';
import { countPackets, packetCounts } from './support/packetCounts.js';
import { configure, tandem } from './support/tandemd.js';
import { waitHolder } from './support/cluster.js';
import { vrrpLabPerTest, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();
const echo = join(packageRoot(), 'test', 'integration', 'support', 'tcpEcho.mjs');

const SECRET = 'correct horse battery';
const secretLine = (secret: string) => `service conntrack-sync authentication pre-shared-secret '${secret}'`;

async function syncStatus(lab: Lab, node: string): Promise<CtsyncStatus> {
  return JSON.parse(
    (await tandem(lab, node, ['show', 'conntrack-sync', 'status', '--json'])).stdout,
  ) as CtsyncStatus;
}

/** The HA pair with conntrack-sync (r1's and r2's secrets, undefined: none) and h1's stream running. */
async function syncingPair(secrets: { r1?: string; r2?: string }): Promise<Lab> {
  const lab = await labs.up(standardTopology());
  for (const r of ['r1', 'r2'] as const) {
    await natRouter(lab, r);
    const secret = secrets[r];
    await labs.router(r, [
      ...standardRouterHaLines(r),
      ...syncLines,
      ...(secret ? [secretLine(secret)] : []),
    ]);
  }
  await waitState(lab, 'r1', 'MASTER');
  await waitState(lab, 'r2', 'BACKUP');
  labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
  await new Promise((r) => setTimeout(r, 300));
  labs.track(
    lab.spawn('h1', [process.execPath, echo, 'client', LAB_ADDRESSES.server, '80', '20', '12'], {
      logName: 'echo-client',
    }),
  );
  return lab;
}

/** The same pair as a cluster (spec clustering.md §5.2): the two VIPs as cluster addresses. */
const CG = 'cluster group LAB';
const clusterLines = [
  'cluster interface eth1',
  'cluster interface eth2',
  'cluster keepalive-interval 200',
  'cluster dead-interval 1000',
  'cluster monitor-dead-interval 1000',
  'cluster init-dead-interval 3000',
  'cluster pre-shared-secret testing',
  `${CG} primary r1`,
  `${CG} secondary r2`,
  `${CG} monitor ${LAB_ADDRESSES.h1}`,
  `${CG} monitor ${LAB_ADDRESSES.isp1}`,
  `${CG} service ${LAB_ADDRESSES.lanVip}/24/eth1`,
  `${CG} service ${LAB_ADDRESSES.wan1Vip}/26/eth0`,
];
const clusterSyncLines = [
  'service conntrack-sync interface eth2',
  'service conntrack-sync failover-mechanism cluster group LAB',
];

/** Packets the fast path of `node` carried for TCP connections to port 80 (both directions). */
async function fastPathPackets(lab: Lab, node: string): Promise<number> {
  const { flows } = JSON.parse(
    (await tandem(lab, node, ['show', 'system', 'fast-path', 'flows', '--json'])).stdout,
  ) as { flows: FastPathFlowRow[] };
  return flows
    .filter((f) => f.protocol === 6 && f.destinationPort === 80)
    .reduce((n, f) => n + f.packets[0] + f.packets[1], 0);
}

async function streamThroughFailover(
  sync: boolean,
  mechanism: 'vrrp' | 'cluster' = 'vrrp',
  secret?: string,
): Promise<{
  code: number | null;
  log: string;
  r2: CtsyncStatus | null;
  fastPath: { r1: number; r2: number };
}> {
  const lab = await labs.up(standardTopology());
  for (const r of ['r1', 'r2']) {
    await natRouter(lab, r);
    await labs.router(
      r,
      mechanism === 'vrrp'
        ? [...standardRouterHaLines(r), ...(sync ? syncLines : []), ...(secret ? [secretLine(secret)] : [])]
        : [...clusterLines, ...(sync ? clusterSyncLines : [])],
    );
  }
  if (mechanism === 'vrrp') {
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
  } else {
    await waitHolder(lab, 'r1', 'r1');
    await waitHolder(lab, 'r2', 'r1');
  }
  labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
  await new Promise((r) => setTimeout(r, 300));
  // 20 s of lines every 50 ms; a reply gap over 12 s (the takeover takes about 4) fails it.
  const client = labs.track(
    lab.spawn('h1', [process.execPath, echo, 'client', LAB_ADDRESSES.server, '80', '20', '12'], {
      logName: 'echo-client',
    }),
  );
  await new Promise((r) => setTimeout(r, 4000));
  if (sync) {
    // r2 already holds r1's connection in its external cache.
    const s = JSON.parse(
      (await tandem(lab, 'r2', ['show', 'conntrack-sync', 'statistics', '--json'])).stdout,
    ) as CtsyncStatistics;
    expect(s.main.external.active).toBeGreaterThanOrEqual(1);
    expect(s.main.external.created).toBeGreaterThanOrEqual(1);
    expect(s.main.channel.packetsRecv).toBeGreaterThanOrEqual(1);
    expect((await tandem(lab, 'r2', ['show', 'conntrack-sync', 'statistics'])).stdout).toMatch(
      /^cache external:\ncurrent active connections: +[1-9]\d*$/m,
    );
    // The spec's table (§3.4) and JSON (§3.7), the latter with the NAT translation.
    const table = (await tandem(lab, 'r2', ['show', 'conntrack-sync', 'external-cache', 'main'])).stdout;
    expect(table).toMatch(/^\|192\.0\.2\.100\|:\d+ +\|203\.0\.113\.100\|:80 +tcp \[6\]$/m);
    const { main } = JSON.parse(
      (await tandem(lab, 'r2', ['show', 'conntrack-sync', 'external-cache', '--json'])).stdout,
    ) as { main: { destinationPort: number; reply: { destination: string } }[] };
    expect(main.find((m) => m.destinationPort === 80)?.reply.destination).toBe(LAB_ADDRESSES.wan1Vip);
  }
  const r1FastPath = await fastPathPackets(lab, 'r1');
  await lab.kill('r1');
  if (mechanism === 'vrrp') await waitState(lab, 'r2', 'MASTER');
  else await waitHolder(lab, 'r2', 'r2');
  const code = await client.exited;
  const r2 = sync
    ? (JSON.parse(
        (await tandem(lab, 'r2', ['show', 'conntrack-sync', 'status', '--json'])).stdout,
      ) as CtsyncStatus)
    : null;
  return {
    code,
    log: await readFile(client.logFile, 'utf8'),
    r2,
    fastPath: { r1: r1FastPath, r2: await fastPathPackets(lab, 'r2') },
  };
}

describe('conntrack-sync failover with tandemd', () => {
  it('a NATed TCP stream survives the master losing power, with no lost data, on the fast path', async () => {
    const { code, log, r2, fastPath } = await streamThroughFailover(true);
    expect(log).toMatch(/sent (\d+) received \1/);
    expect(code).toBe(0);
    expect(r2!.lastTransition?.state).toBe('MASTER');
    expect(r2!.lastCommit!.entries).toBeGreaterThanOrEqual(1);
    // Its packets rode the fast path on r1, and on r2 from the committed entry on.
    expect(fastPath.r1).toBeGreaterThan(20);
    expect(fastPath.r2).toBeGreaterThan(20);
  });

  it('bound to a cluster group instead of VRRP, the stream survives the holder losing power', async () => {
    const { code, log, r2, fastPath } = await streamThroughFailover(true, 'cluster');
    expect(log).toMatch(/sent (\d+) received \1/);
    expect(code).toBe(0);
    expect(r2!.failoverMechanism).toBe('cluster [group LAB]');
    expect(r2!.lastTransition?.state).toBe('MASTER');
    expect(r2!.lastCommit!.entries).toBeGreaterThanOrEqual(1);
    expect(fastPath.r2).toBeGreaterThan(20);
  });

  it('with an authenticated channel the stream survives the same failover, and nothing is dropped', async () => {
    const { code, log, r2 } = await streamThroughFailover(true, 'vrrp', SECRET);
    expect(log).toMatch(/sent (\d+) received \1/);
    expect(code).toBe(0);
    expect(r2!.authenticated).toBe(true);
    expect(r2!.lastCommit!.entries).toBeGreaterThanOrEqual(1);
    expect(r2!.stats!.authBad + r2!.stats!.authMissing + r2!.stats!.authReplay).toBe(0);
  });

  it.each([
    ['another secret', 'a different secret', 'authBad'],
    ['no secret (the conntrackd format)', undefined, 'authMissing'],
  ] as const)(
    'a standby with authentication drops a peer with %s, counted',
    async (_what, r1Secret, counter) => {
      const lab = await syncingPair({ r1: r1Secret, r2: SECRET });
      await new Promise((r) => setTimeout(r, 3000));
      const s = (await syncStatus(lab, 'r2')).stats!;
      expect(s[counter]).toBeGreaterThanOrEqual(1);
      expect(s.rxMessages).toBe(0); // nothing of r1's was parsed
      expect(s.external).toBe(0);
      const r1 = (await syncStatus(lab, 'r1')).stats!;
      expect(r1.internal).toBeGreaterThanOrEqual(1); // r1 did have the connection to send
    },
  );

  it('a replayed or altered datagram is dropped and counted; the entries stay as sent', async () => {
    const lab = await syncingPair({ r1: SECRET, r2: SECRET });
    const capture = await Capture.start(lab, 'r2', 'eth2', 'udp port 3780');
    for (let i = 0; i < 50 && !(await syncStatus(lab, 'r2')).stats!.external; i++)
      await new Promise((r) => setTimeout(r, 100));
    // The connection may have been synced before the capture started: an idle sender still
    // sends ALIVE (and acknowledgements) every second, so 2.5 s catch some of its datagrams.
    const rows = await capture.stop(['ip.src', 'udp.payload'], undefined, 2500);
    const datagram = rows.find((r) => r['ip.src'] === LAB_ADDRESSES.r1Wan2)?.['udp.payload'];
    expect(datagram).toBeTruthy();
    const before = (await syncStatus(lab, 'r2')).stats!;
    expect(before.authReplay + before.authBad).toBe(0);

    // Sent again from r1's own address: authentic, but already seen.
    const send = (hex: string) =>
      lab.exec('r1', [
        process.execPath,
        '-e',
        `const s = require('dgram').createSocket('udp4');
         s.bind({ address: '${LAB_ADDRESSES.r1Wan2}' }, () => {
           s.setMulticastInterface('${LAB_ADDRESSES.r1Wan2}');
           s.send(Buffer.from('${hex}', 'hex'), 3780, '225.0.0.50', () => s.close());
         });`,
      ]);
    await send(datagram!);
    const flipped = datagram!.slice(0, 8) + (datagram![8] === '0' ? '1' : '0') + datagram!.slice(9);
    await send(flipped);
    for (let i = 0; i < 30; i++) {
      const s = (await syncStatus(lab, 'r2')).stats!;
      if (s.authReplay + s.authBad >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = (await syncStatus(lab, 'r2')).stats!;
    expect(after.authReplay).toBe(1);
    expect(after.authBad).toBe(1);
    expect(after.malformed).toBe(before.malformed);
  });

  it('a router demoted to standby purges its forwarded connections after purge-timeout, keeping sessions to itself (S-8)', async () => {
    const lab = await labs.up(standardTopology());
    for (const r of ['r1', 'r2']) {
      await natRouter(lab, r);
      await labs.router(r, [
        ...standardRouterHaLines(r),
        ...syncLines,
        'service conntrack-sync purge-timeout 3',
      ]);
    }
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    labs.track(lab.spawn('r1', [process.execPath, echo, 'server', '2222'], { logName: 'echo-local' }));
    await new Promise((r) => setTimeout(r, 300));
    const forwarded = labs.track(
      lab.spawn('h1', [process.execPath, echo, 'client', LAB_ADDRESSES.server, '80', '4', '12'], {
        logName: 'echo-forwarded',
      }),
    );
    // A management session to r1's own address, running across the purge.
    const local = labs.track(
      lab.spawn('h1', [process.execPath, echo, 'client', LAB_ADDRESSES.r1Lan, '2222', '16', '12'], {
        logName: 'echo-local-client',
      }),
    );
    expect(await forwarded.exited).toBe(0);
    const entries = async (port: number) =>
      (
        await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', String(port)], {
          allowFailure: true,
        })
      ).stdout
        .split('\n')
        .filter((l) => l.startsWith('tcp')).length;
    expect(await entries(80)).toBe(1); // the finished connection lingers in TIME_WAIT on r1

    // r1 is demoted (its priorities drop below r2's): r2 takes over, r1 schedules the purge.
    const G = (ifname: string, vrid: number) => `interfaces ethernet ${ifname} vrrp vrrp-group ${vrid}`;
    await configure(lab, 'r1', [
      `set ${G('eth1', 10)} priority 50`,
      `set ${G('eth0', 20)} priority 50`,
      'commit',
    ]);
    await waitState(lab, 'r1', 'BACKUP');
    await waitState(lab, 'r2', 'MASTER');
    const pending = await syncStatus(lab, 'r1');
    expect(pending.purgePending).toBe(true);
    expect(await entries(80)).toBe(1); // not before purge-timeout
    for (let i = 0; i < 100 && !(await syncStatus(lab, 'r1')).lastPurge; i++)
      await new Promise((r) => setTimeout(r, 100));
    const done = await syncStatus(lab, 'r1');
    expect(done.purgePending).toBe(false);
    expect(done.lastPurge!.entries).toBeGreaterThanOrEqual(1);
    expect(await entries(80)).toBe(0);
    expect(await entries(2222)).toBe(1); // the session to r1 itself stays
    expect(await local.exited).toBe(0);
    const log = (await tandem(lab, 'r1', ['show', 'log', 'conntrack-sync'])).stdout;
    expect(log).toContain('flushing conntrack table in 3 secs');
    expect(log).toContain('flushing kernel conntrack table (scheduled)');
  });

  it('with WAN load balancing on both routers, each flow keeps its uplink through the failover and the failback', async () => {
    const lab = await labs.up(standardTopology({ wan2ViaVip: true }));
    const a = LAB_ADDRESSES;
    const lines = (r: string) => [
      ...standardRouterHaLines(r),
      ...standardRouterSyncLines(r),
      ...standardRouterWlbLines(),
    ];
    for (const r of ['r1', 'r2']) {
      await lab.exec(r, ['sysctl', '-q', '-w', 'net.netfilter.nf_conntrack_tcp_loose=0']);
      await labs.router(r, lines(r));
    }
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    await new Promise((r) => setTimeout(r, 300));
    const uplinks = async (node: string) =>
      new Map(
        (
          JSON.parse(
            (await tandem(lab, node, ['show', 'wan-load-balance', 'connection', '--json'])).stdout,
          ) as WlbConnections
        ).connections
          .filter((c) => c.protocol === 'tcp' && c.destinationPort === 80)
          .map((c) => [c.sourcePort, c.interface]),
      );
    /** The streams `node` lists, once it lists `n` (it commits them when it becomes master). */
    const listed = async (node: string, n: number) => {
      for (let i = 0; i < 50; i++) {
        const now = await uplinks(node);
        if (now.size >= n) return now;
        await new Promise((r) => setTimeout(r, 200));
      }
      return uplinks(node);
    };
    // Streams of 40 s until both uplinks carry some (a 1:1 draw; 16 streams at most).
    const clients = [];
    let before = new Map<number | null, string | null>();
    while (clients.length < 16 && new Set(before.values()).size < 2) {
      clients.push(
        labs.track(
          lab.spawn('h1', [process.execPath, echo, 'client', a.server, '80', '40', '12'], {
            logName: `echo-client-${clients.length}`,
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
      before = await uplinks('r1');
    }
    expect(new Set(before.values())).toEqual(new Set(['eth0', 'eth2']));
    expect(before.size).toBe(clients.length);
    // SNAT to each uplink's VIP: the mapping moves with the gateway.
    const nat = (await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', '80'])).stdout;
    expect(nat).toContain(`dst=${a.wan1Vip}`);
    expect(nat).toContain(`dst=${a.wan2Vip}`);

    await new Promise((r) => setTimeout(r, 2000));
    await lab.kill('r1');
    await waitState(lab, 'r2', 'MASTER');
    expect(await listed('r2', before.size)).toEqual(before);

    // r1 comes back as after a power loss — with an empty connection table — learns the
    // connections from r2 and takes over again (preempt).
    for (const proc of labs.procs('r1')) labs.forget(proc);
    await lab.exec('r1', ['conntrack', '-F'], { allowFailure: true });
    for (const l of ['eth0', 'eth1', 'eth2']) await lab.exec('r1', ['ip', 'link', 'set', l, 'up']);
    await labs.router('r1', lines('r1'));
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    expect(await listed('r1', before.size)).toEqual(before);
    for (const c of clients) {
      const code = await c.exited;
      const log = await readFile(c.logFile, 'utf8');
      expect(code, log).toBe(0);
      expect(log).toMatch(/sent (\d+) received \1/);
    }
  });

  it('after a steady load the caches and statistics match the kernel table: 50 idle connections on both sides (S-6)', async () => {
    const lab = await labs.up(standardTopology());
    for (const r of ['r1', 'r2']) {
      await natRouter(lab, r);
      await labs.router(r, [...standardRouterHaLines(r), ...syncLines]);
    }
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    await new Promise((r) => setTimeout(r, 300));
    // 50 connections opened, then idle.
    labs.track(
      lab.spawn(
        'h1',
        [
          process.execPath,
          '-e',
          `const net = require('net'); for (let i = 0; i < 50; i++) net.connect(80, '${LAB_ADDRESSES.server}').on('error', () => {}); setTimeout(() => {}, 120000);`,
        ],
        { logName: 'idle-clients' },
      ),
    );
    const key = (c: { source: string; sourcePort: number | null; destinationPort: number | null }) =>
      `${c.source}:${c.sourcePort}>${c.destinationPort}`;
    const kernel = async () =>
      (await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', '80'])).stdout
        .split('\n')
        .filter((l) => l.includes('ESTABLISHED'))
        .map((l) => `${/src=(\S+)/.exec(l)![1]}:${/sport=(\d+)/.exec(l)![1]}>80`)
        .sort();
    type Row = {
      source: string;
      sourcePort: number | null;
      destinationPort: number | null;
      protocol: string;
    };
    const cache = async (node: string, which: string) =>
      (
        JSON.parse((await tandem(lab, node, ['show', 'conntrack-sync', which, 'main', '--json'])).stdout) as {
          main: Row[];
        }
      ).main;
    const streams = (rows: Row[]) =>
      rows
        .filter((r) => r.protocol === 'tcp' && r.destinationPort === 80)
        .map(key)
        .sort();
    let inKernel: string[] = [];
    for (let i = 0; i < 50 && (inKernel = await kernel()).length < 50; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(inKernel).toHaveLength(50);
    let internal: Row[] = [];
    let external: Row[] = [];
    for (let i = 0; i < 50; i++) {
      [internal, external] = [await cache('r1', 'internal-cache'), await cache('r2', 'external-cache')];
      if (streams(external).length === 50) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(streams(internal)).toEqual(inKernel);
    expect(streams(external)).toEqual(inKernel);
    // Tandem's own control traffic is never synced (CS-13).
    expect(internal.some((r) => r.sourcePort === 3780 || r.destinationPort === 3780)).toBe(false);
    const stat = async (node: string) =>
      JSON.parse(
        (await tandem(lab, node, ['show', 'conntrack-sync', 'statistics', '--json'])).stdout,
      ) as CtsyncStatistics;
    let [s1, s2] = [await stat('r1'), await stat('r2')];
    for (let i = 0; i < 30 && s1.main.internal.active !== s2.main.external.active; i++) {
      await new Promise((r) => setTimeout(r, 200));
      [s1, s2] = [await stat('r1'), await stat('r2')];
    }
    expect(s1.main.internal.active).toBe(s2.main.external.active);
    expect(s1.main.internal.active).toBeGreaterThanOrEqual(50);
    expect(s2.main.tracking.malformed).toBe(0);
  });

  it('a router whose daemon restarts takes its stream back, replacing the entries it still holds (CS-51)', async () => {
    const lab = await labs.up(standardTopology());
    const lines = (r: string) => [...standardRouterHaLines(r), ...syncLines];
    for (const r of ['r1', 'r2']) {
      await natRouter(lab, r);
      await labs.router(r, lines(r));
    }
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    labs.track(lab.spawn('srv', [process.execPath, echo, 'server', '80'], { logName: 'echo-server' }));
    await new Promise((r) => setTimeout(r, 300));
    const client = labs.track(
      lab.spawn('h1', [process.execPath, echo, 'client', LAB_ADDRESSES.server, '80', '25', '12'], {
        logName: 'echo-client',
      }),
    );
    await new Promise((r) => setTimeout(r, 3000));
    // A clean stop hands over at once and leaves r1's kernel table as it was.
    for (const p of labs.procs('r1')) {
      await p.stop();
      labs.forget(p);
    }
    await waitState(lab, 'r2', 'MASTER');
    // The stream goes on through r2, beyond the sequence windows of r1's leftover entry.
    await new Promise((r) => setTimeout(r, 3000));
    const leftover = (await lab.exec('r1', ['conntrack', '-L', '-p', 'tcp', '--dport', '80'])).stdout;
    expect(leftover).toContain(`dst=${LAB_ADDRESSES.wan1Vip}`);
    await labs.router('r1', lines('r1'));
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    const commit = (await syncStatus(lab, 'r1')).lastCommit!;
    expect(commit.recreated).toBeGreaterThanOrEqual(1);
    expect(commit.failed).toBe(0);
    const code = await client.exited;
    const log = await readFile(client.logFile, 'utf8');
    expect(code, log).toBe(0);
    expect(log).toMatch(/sent (\d+) received \1/);
  });

  it('the standby drops would-be connections that are not a TCP SYN until its commit has run (CS-54)', async () => {
    const lab = await syncingPair({});
    const a = LAB_ADDRESSES;
    expect((await syncStatus(lab, 'r2')).guard).toEqual({ armed: true, dropped: 0 });
    expect((await syncStatus(lab, 'r1')).guard!.armed).toBe(false);
    // h1 sends to isp2 through r2's own LAN address: r2 would forward it.
    await lab.exec('h1', ['ip', 'route', 'add', `${a.isp2}/32`, 'via', a.r2Lan]);
    await countPackets(lab, 'isp2', 'seen', 'input', {
      udp9: `ip saddr ${a.h1} udp dport 9`,
      syn9: `ip saddr ${a.h1} tcp dport 9`,
    });
    const seen = async () => {
      const c = await packetCounts(lab, 'isp2', 'seen');
      return { udp: c['udp9'], syn: c['syn9'] };
    };
    const udp = () =>
      lab.exec('h1', [
        process.execPath,
        '-e',
        `const s = require('dgram').createSocket('udp4'); s.send('x', 9, '${a.isp2}', () => s.close());`,
      ]);
    const syn = () =>
      lab.exec('h1', [
        process.execPath,
        '-e',
        `require('net').connect(9, '${a.isp2}').on('error', () => process.exit(0)); setTimeout(() => process.exit(0), 1000);`,
      ]);
    await udp();
    await syn();
    await new Promise((r) => setTimeout(r, 500));
    expect(await seen()).toEqual({ udp: 0, syn: 1 });
    expect((await syncStatus(lab, 'r2')).guard!.dropped).toBeGreaterThanOrEqual(1);

    // Once r2 is master and has committed, the guard is gone.
    await lab.kill('r1');
    await waitState(lab, 'r2', 'MASTER');
    for (let i = 0; i < 50 && (await syncStatus(lab, 'r2')).guard!.armed; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await syncStatus(lab, 'r2')).guard!.armed).toBe(false);
    expect((await syncStatus(lab, 'r2')).lastCommit).not.toBeNull();
    await udp();
    await new Promise((r) => setTimeout(r, 500));
    expect((await seen()).udp).toBe(1);
  });

  it('the operator lab (`tandem lab up`) carries `tandem lab stream` through `tandem lab kill r1`', async () => {
    const lab = await labs.up(standardTopology({ wan2ViaVip: true }));
    for (const r of ['r1', 'r2']) await labs.router(r, operatorLabLines(r));
    await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    const tandemBin = join(packageRoot(), 'bin', 'tandem');
    labs.track(
      lab.spawn('srv', [process.execPath, tandemBin, 'lab', 'stream-server', '5001'], {
        logName: 'stream-server',
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const client = labs.track(
      lab.spawn(
        'h1',
        [process.execPath, tandemBin, 'lab', 'stream-client', LAB_ADDRESSES.server, '5001', '20'],
        {
          logName: 'stream-client',
        },
      ),
    );
    await new Promise((r) => setTimeout(r, 5000));
    await lab.kill('r1');
    await waitState(lab, 'r2', 'MASTER');
    const code = await client.exited;
    const out = await readFile(client.logFile, 'utf8');
    expect(code, out).toBe(0);
    expect(out).toMatch(/^ +5 s {2}sent \d+ {2}echoed \d+ {2}longest wait/m);
    expect(out).toMatch(/the connection lasted 20 s with every line echoed: sent (\d+), echoed \1,/);
  });

  it('without conntrack-sync the same failover breaks the stream (the control)', async () => {
    const { code } = await streamThroughFailover(false);
    expect(code).not.toBe(0);
  });
});
