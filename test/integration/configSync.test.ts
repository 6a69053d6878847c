// Config-sync end to end: master r1 pushes its sync-map's scope to standbys r2 and r3 (real
// tandemd each, HTTPS API with pinned self-signed certificates) on every commit.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RemoteDifference, RemoteStatus } from '../../src/features/config-sync/index.js';
import type { Lab } from '../../src/lab/lab.js';
import type { Topology } from '../../src/lab/topology.js';
import { configure, startTandemd, tandem } from './support/tandemd.js';
import { vrrpLabPerTest } from './support/vrrp.js';

const labs = vrrpLabPerTest();
const R2 = '192.0.2.2';
const R3 = '192.0.2.3';

/** r1-r3 on one LAN (eth1); each with a private segment eth2; r1 alone has eth3. */
function topology(): Topology {
  return {
    nodes: [
      { name: 'lan', kind: 'switch' },
      ...['r1', 'r2', 'r3'].map((name) => ({ name, kind: 'router' as const })),
      ...['h1', 'h2', 'h3'].map((name) => ({ name, kind: 'host' as const })),
      { name: 'x1', kind: 'host' },
    ],
    links: [
      ...[1, 2, 3].flatMap((i) => [
        {
          a: { node: `r${i}`, ifname: 'eth1', addresses: [`192.0.2.${i}/24`] },
          b: { node: 'lan', ifname: `r${i}` },
        },
        {
          a: { node: `r${i}`, ifname: 'eth2', addresses: [`198.51.100.${i}/24`] },
          b: { node: `h${i}`, ifname: 'eth0', addresses: ['198.51.100.100/24'] },
        },
      ]),
      { a: { node: 'r1', ifname: 'eth3', addresses: ['203.0.113.1/24'] }, b: { node: 'x1', ifname: 'eth0' } },
    ],
  };
}

const STANDBY = [
  'service https',
  'system login user sync authentication plaintext-password sync-secret',
  'system login user sync level admin',
];
const CS = 'system config-sync';
function masterLines(password = 'sync-secret'): string[] {
  return [
    ...[R2, R3].flatMap((a) => [
      `${CS} remote-router ${a} username sync`,
      `${CS} remote-router ${a} password ${password}`,
      `${CS} remote-router ${a} sync-map MAP`,
    ]),
    `${CS} sync-map MAP rule 10 action exclude`,
    `${CS} sync-map MAP rule 10 location "interfaces ethernet eth2 address"`,
    `${CS} sync-map MAP rule 20 action include`,
    `${CS} sync-map MAP rule 20 location "interfaces ethernet eth2"`,
    `${CS} sync-map MAP rule 30 action include`,
    `${CS} sync-map MAP rule 30 location "system fast-path"`,
  ];
}

async function up(): Promise<Lab> {
  const lab = await labs.up(topology());
  await labs.router('r2', STANDBY);
  await labs.router('r3', STANDBY);
  await labs.router('r1', masterLines());
  return lab;
}

async function commit(lab: Lab, node: string, lines: string[]): Promise<string> {
  const r = await configure(lab, node, [...lines, 'commit']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout + r.stderr;
}

async function alias(lab: Lab, node: string): Promise<string> {
  return JSON.parse((await lab.exec(node, ['ip', '-j', 'link', 'show', 'eth2'])).stdout)[0].ifalias ?? '';
}

async function json<T>(lab: Lab, args: string[]): Promise<T> {
  const r = await tandem(lab, 'r1', [...args, '--json']);
  return JSON.parse(r.stdout) as T;
}

const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

describe('config-sync', () => {
  it('a mapped change on the master is applied and saved on both standbys; excluded and unmapped settings stay', async () => {
    const lab = await up();
    const out = await commit(lab, 'r1', [
      'set interfaces ethernet eth2 description "synced by r1"',
      'set system fast-path disable',
    ]);
    expect(out).toContain(`config-sync: ${R2} updated`);
    expect(out).toContain(`config-sync: ${R3} updated`);
    for (const node of ['r2', 'r3']) {
      // Active in the kernel: the interface description, and the fast path detached.
      expect(await alias(lab, node)).toBe('synced by r1');
      const fp = JSON.parse((await tandem(lab, node, ['show', 'system', 'fast-path', '--json'])).stdout);
      expect(fp.state).toBe('disabled');
      // The standby's own address of eth2 (excluded) and host name (unmapped) are untouched.
      const cfg = JSON.parse((await tandem(lab, node, ['show', 'configuration', '--json'])).stdout);
      expect(cfg.interfaces.ethernet.eth2.address).toEqual([`198.51.100.${node.slice(1)}/24`]);
      expect(cfg.system['host-name']).toBe(node);
      // Saved, with the origin in the commit archive.
      const saved = await readFile(lab.env(node).TANDEM_CONFIG!, 'utf8');
      expect(saved).toContain('synced by r1');
      const commits = (await tandem(lab, node, ['show', 'system', 'commit'])).stdout;
      expect(commits).toContain('config-sync from r1 (192.0.2.1)');
    }
    const st = await json<RemoteStatus[]>(lab, ['show', 'config-sync', 'status']);
    expect(st.map((s) => [s.remoteRouter, s.lastSync, s.inSync, s.accessStatus])).toEqual([
      [R2, 'good', true, 'connected'],
      [R3, 'good', true, 'connected'],
    ]);
    expect(st[0]!.tlsFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // Narrowing or deleting on the master removes the line on the standbys too (in scope).
    await commit(lab, 'r1', ['delete system fast-path']);
    expect(
      JSON.parse((await tandem(lab, 'r2', ['show', 'system', 'fast-path', '--json'])).stdout).state,
    ).toBe('active');
  });

  it('a standby down during a commit is reported out of sync; update config-sync repairs it', async () => {
    const lab = await up();
    await commit(lab, 'r1', ['set interfaces ethernet eth2 description first']);
    const r3 = labs.procs('r3')[0]!;
    await r3.stop();
    labs.forget(r3);
    const out = await commit(lab, 'r1', ['set interfaces ethernet eth2 description second']);
    expect(out).toContain(`config-sync: ${R2} updated`);
    expect(out).toMatch(new RegExp(`config-sync: ${R3} FAILED \\(connect\\)`));
    let st = await json<RemoteStatus[]>(lab, ['show', 'config-sync', 'status', R3]);
    expect(st[0]).toMatchObject({ lastSync: 'failed', accessStatus: 'unreachable', errorStage: 'connect' });
    // r3 comes back with its saved (first) configuration.
    labs.track(await startTandemd(lab, 'r3'));
    const diff = await json<RemoteDifference[]>(lab, ['show', 'config-sync', 'difference', R3, 'detail']);
    expect(diff[0]).toMatchObject({
      inSync: false,
      onlyOnMaster: ['interfaces ethernet eth2 description second'],
      onlyOnRemote: ['interfaces ethernet eth2 description first'],
    });
    const text = (await tandem(lab, 'r1', ['show', 'config-sync', 'difference', R3, 'detail'])).stdout;
    expect(text).toContain(
      `Configuration only on master (compared to ${R3}):\n  interfaces ethernet eth2 description second`,
    );
    expect(text).toContain(`${R3} configuration is out of sync`);
    const upd = await tandem(lab, 'r1', ['update', 'config-sync']);
    expect(upd.stdout).toBe(`${R2}: already in sync\n${R3}: configuration synchronized\n`);
    expect(await alias(lab, 'r3')).toBe('second');
    const after = await json<RemoteDifference[]>(lab, ['show', 'config-sync', 'difference']);
    expect(after.map((d) => [d.inSync, d.onlyOnMaster, d.onlyOnRemote])).toEqual([
      [true, [], []],
      [true, [], []],
    ]);
    st = await json<RemoteStatus[]>(lab, ['show', 'config-sync', 'status', R3]);
    expect(st[0]).toMatchObject({ lastSync: 'good', inSync: true, accessStatus: 'connected' });
  });

  it('refuses wrong credentials and a replaced certificate (a man in the middle), changing nothing', async () => {
    const lab = await up();
    await commit(lab, 'r1', ['set interfaces ethernet eth2 description pinned']);
    // r2 gets a new self-signed certificate (as an impostor on its address would have).
    const r2 = labs.procs('r2')[0]!;
    await r2.stop();
    labs.forget(r2);
    await rm(join(lab.env('r2').TANDEM_STATE_DIR!, 'https'), { recursive: true, force: true });
    labs.track(await startTandemd(lab, 'r2'));
    const out = await commit(lab, 'r1', ['set interfaces ethernet eth2 description after-mitm']);
    expect(out).toMatch(
      new RegExp(`config-sync: ${R2} FAILED \\(connect\\): certificate .* is not the pinned`),
    );
    expect(await alias(lab, 'r2')).toBe('pinned');
    expect((await json<RemoteStatus[]>(lab, ['show', 'config-sync', 'status', R2]))[0]!.accessStatus).toBe(
      'certificate-mismatch',
    );
    // Wrong password towards r3 (which took the previous change).
    expect(await alias(lab, 'r3')).toBe('after-mitm');
    await commit(lab, 'r1', [
      `set ${CS} remote-router ${R3} password wrong`,
      'set interfaces ethernet eth2 description with-wrong-password',
    ]);
    const st = (await json<RemoteStatus[]>(lab, ['show', 'config-sync', 'status', R3]))[0]!;
    expect(st).toMatchObject({
      lastSync: 'failed',
      accessStatus: 'authentication-failed',
      errorStage: 'authenticate',
    });
    expect(await alias(lab, 'r3')).toBe('after-mitm');
  });

  it('warns when a standby syncs back to its master (each ignores what the other passes on)', async () => {
    const lab = await labs.up(topology());
    await labs.router('r2', [
      ...STANDBY,
      `${CS} remote-router 192.0.2.1 username sync`,
      `${CS} remote-router 192.0.2.1 password sync-secret`,
      `${CS} remote-router 192.0.2.1 sync-map BACK`,
      `${CS} sync-map BACK rule 10 action include`,
      `${CS} sync-map BACK rule 10 location cluster`,
    ]);
    await labs.router('r3', STANDBY);
    await labs.router('r1', masterLines());
    await commit(lab, 'r1', ['set interfaces ethernet eth2 description mutual']);
    expect(await alias(lab, 'r2')).toBe('mutual');
    const log = (await tandem(lab, 'r1', ['show', 'log', 'config-sync'])).stdout;
    expect(log).toContain(`mutual config-sync between r1 and ${R2}`);
    expect(log).not.toContain(`mutual config-sync between r1 and ${R3}`);
  });

  it('a sync the standby rejects leaves its running and saved configuration byte-identical', async () => {
    const lab = await up();
    await commit(lab, 'r1', [
      `set ${CS} sync-map MAP rule 40 action include`,
      `set ${CS} sync-map MAP rule 40 location "interfaces ethernet eth3"`,
    ]);
    const before = {
      saved: await sha(lab.env('r2').TANDEM_CONFIG!),
      running: (await tandem(lab, 'r2', ['show', 'configuration'])).stdout,
    };
    // eth3 exists on r1 only: r2's commit refuses it (no such interface).
    const out = await commit(lab, 'r1', ['set interfaces ethernet eth3 description only-here']);
    expect(out).toMatch(new RegExp(`config-sync: ${R2} FAILED \\(commit\\): .*eth3.*no such interface`));
    expect(await sha(lab.env('r2').TANDEM_CONFIG!)).toBe(before.saved);
    expect((await tandem(lab, 'r2', ['show', 'configuration'])).stdout).toBe(before.running);
  });
});
