// The conntrack-sync wire codec against the real conntrackd 1.4.7: what conntrackd sends decodes
// into the connection it synced, and what Tandem builds lands in conntrackd's external cache.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab, LabProcess } from '../../src/lab/lab.js';
import {
  CTSYNC_FLAG,
  CTSYNC_TYPE,
  decodeSyncDatagram,
  encodeSyncControl,
  encodeSyncEntry,
} from '../../src/native/ctsyncCodec.js';
import { packageRoot } from '../../src/packageRoot.js';
import { conntrackdCtl, ftpHelper, spawnConntrackd } from './support/ctsync.js';
import { upTestLab } from './support/testLab.js';

const A = '192.0.2.1';
const B = '192.0.2.2';
const mcast = join(packageRoot(), 'test', 'integration', 'support', 'mcastSync.mjs');
const engineRun = join(packageRoot(), 'test', 'integration', 'support', 'ctsyncEngineRun.mjs');
const ftp = join(packageRoot(), 'test', 'integration', 'support', 'ftpPassive.mjs');
const FTP_SERVER = '203.0.113.80';

/** A passive FTP session inside `node` (to an address on its loopback, the kernel's FTP helper
 * on): the client stops after the PASV reply, so the helper's expectation stays. Its port. */
async function pendingFtpData(l: Lab, node: string): Promise<number> {
  await l.exec(node, ['ip', 'addr', 'add', `${FTP_SERVER}/32`, 'dev', 'lo']);
  await ftpHelper(l, node);
  procs.push(l.spawn(node, [process.execPath, ftp, 'server', '1000'], { logName: 'ftp-server' }));
  await new Promise((r) => setTimeout(r, 300));
  const never = join(l.dir(node), 'never');
  const client = l.spawn(node, [process.execPath, ftp, 'client', FTP_SERVER, never, '1000'], {
    logName: 'ftp-client',
  });
  procs.push(client);
  for (let i = 0; i < 100; i++) {
    const m = /pasv (\d+)/.exec(await readFile(client.logFile, 'utf8'));
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no PASV reply');
}

/** `conntrack -I` of a connection from the LAN host to the server, with extra options. */
const conntrackInsert = (opts: string[]) => [
  'conntrack',
  '-I',
  '-s',
  '198.51.100.130',
  '-d',
  '203.0.113.80',
  ...opts,
];

let lab: Lab | undefined;
const procs: LabProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop();
  await lab?.down();
  lab = undefined;
});

async function pair(): Promise<Lab> {
  lab = await upTestLab({
    nodes: [
      { name: 'a', kind: 'host' },
      { name: 'b', kind: 'host' },
    ],
    links: [
      {
        a: { node: 'a', ifname: 'eth0', addresses: [`${A}/24`] },
        b: { node: 'b', ifname: 'eth0', addresses: [`${B}/24`] },
      },
    ],
  });
  return lab;
}

describe('conntrack-sync wire format against conntrackd 1.4.7', () => {
  it('decodes the CT_NEW conntrackd sends for a new connection, with its mark and TCP state', async () => {
    const l = await pair();
    const listener = l.spawn('b', [process.execPath, mcast, 'listen', B, '6'], { logName: 'listen' });
    procs.push(listener);
    procs.push(await spawnConntrackd(l, 'a', 'eth0', A));
    await new Promise((r) => setTimeout(r, 1500));
    await l.exec('a', [
      'conntrack',
      '-I',
      '-p',
      'tcp',
      '-s',
      '198.51.100.130',
      '-d',
      '203.0.113.80',
      '--sport',
      '40000',
      '--dport',
      '80',
      '--state',
      'ESTABLISHED',
      '--timeout',
      '120',
      '--mark',
      '201',
    ]);
    await listener.exited;
    const lines = (await readFile(listener.logFile, 'utf8')).split('\n').filter(Boolean);
    const messages = lines.flatMap((hex) => {
      const d = decodeSyncDatagram(Buffer.from(hex, 'hex'));
      expect(d.malformed).toBe(0);
      return d.messages;
    });
    // Between messages conntrackd keeps the channel alive with control messages.
    expect(messages.some((m) => m.type === CTSYNC_TYPE.control)).toBe(true);
    const created = messages.find((m) => m.type === CTSYNC_TYPE.ctNew && m.entry?.sourcePort === 40000);
    expect(created?.error).toBeUndefined();
    expect(created?.entry).toMatchObject({
      family: 4,
      l4proto: 6,
      source: '198.51.100.130',
      destination: '203.0.113.80',
      sourcePort: 40000,
      destinationPort: 80,
      tcpState: 3, // ESTABLISHED
      mark: 201,
    });
    expect(created!.entry!.attributes).toEqual(
      expect.arrayContaining(['ipv4', 'l4proto', 'port', 'status', 'mark']),
    );
  });

  it('conntrackd takes a connection Tandem encoded into its external cache', async () => {
    const l = await pair();
    procs.push(await spawnConntrackd(l, 'b', 'eth0', B));
    await new Promise((r) => setTimeout(r, 1500));
    const seq = 1000;
    const entry = {
      family: 4 as const,
      l4proto: 17,
      source: '198.51.100.131',
      destination: '203.0.113.81',
      sourcePort: 5353,
      destinationPort: 53,
      status: 0x0e, // SEEN_REPLY | ASSURED | CONFIRMED
      timeout: 180,
      mark: 202,
    };
    const datagrams = [
      encodeSyncEntry(CTSYNC_TYPE.ctNew, CTSYNC_FLAG.hello, seq, entry),
      encodeSyncControl(CTSYNC_FLAG.alive, seq + 1),
    ];
    await l.exec('a', [process.execPath, mcast, 'send', A, ...datagrams.map((d) => d.toString('hex'))]);
    let external = '';
    for (let i = 0; i < 40 && !external.includes('198.51.100.131'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      external = await conntrackdCtl(l, 'b', ['-e']);
    }
    expect(external).toContain('src=198.51.100.131 dst=203.0.113.81 sport=5353 dport=53');
    expect(external).toMatch(/mark=202/);
    const stats = await conntrackdCtl(l, 'b', ['-s', 'network']);
    expect(stats).not.toMatch(/Malformed msgs:\s+[1-9]/);
  });

  it('the engine streams kernel connections to conntrackd: a new entry appears in its external cache', async () => {
    const l = await pair();
    procs.push(await spawnConntrackd(l, 'b', 'eth0', B));
    const engine = l.spawn('a', [process.execPath, engineRun, 'eth0', A, '5'], { logName: 'engine' });
    procs.push(engine);
    await new Promise((r) => setTimeout(r, 1500));
    await l.exec(
      'a',
      conntrackInsert(['-p', 'udp', '--sport', '5000', '--dport', '53', '--timeout', '120', '--mark', '203']),
    );
    let external = '';
    for (let i = 0; i < 40 && !external.includes('sport=5000'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      external = await conntrackdCtl(l, 'b', ['-e']);
    }
    expect(external).toMatch(/src=198\.51\.100\.130 dst=203\.0\.113\.80 sport=5000 dport=53 .*mark=203/);
    await engine.exited;
    const out = JSON.parse(
      (await readFile(engine.logFile, 'utf8')).split('\n').find((x) => x.startsWith('{'))!,
    ) as {
      stats: {
        eventsNew: number;
        txMessages: number;
        rxMessages: number;
        malformed: number;
        peerSeen: boolean;
      };
    };
    expect(out.stats.eventsNew).toBeGreaterThanOrEqual(1);
    expect(out.stats.rxMessages).toBeGreaterThan(0); // conntrackd's acks and alives came back
    expect(out.stats.malformed).toBe(0);
    expect(out.stats.peerSeen).toBe(true);
  });

  it("the engine takes conntrackd's connections into its external cache and commits them, NAT and mark included", async () => {
    const l = await pair();
    procs.push(await spawnConntrackd(l, 'a', 'eth0', A));
    const engine = l.spawn('b', [process.execPath, engineRun, 'eth0', B, '5', 'commit'], {
      logName: 'engine',
    });
    procs.push(engine);
    await new Promise((r) => setTimeout(r, 1500));
    await l.exec(
      'a',
      conntrackInsert([
        '-p',
        'tcp',
        '--sport',
        '40001',
        '--dport',
        '80',
        '--state',
        'ESTABLISHED',
        '--timeout',
        '300',
        '--mark',
        '201',
        '--src-nat',
        '192.0.2.99',
      ]),
    );
    await engine.exited;
    const out = JSON.parse(
      (await readFile(engine.logFile, 'utf8')).split('\n').find((x) => x.startsWith('{'))!,
    ) as {
      external: { sourcePort: number; mark: number; snatIpv4: string; tcpState: number }[];
      committed: number;
    };
    expect(out.external).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourcePort: 40001, mark: 201, snatIpv4: '192.0.2.99', tcpState: 3 }),
      ]),
    );
    expect(out.committed).toBeGreaterThanOrEqual(1);
    const table = (await l.exec('b', ['conntrack', '-L'], { allowFailure: true })).stdout;
    expect(table).toMatch(
      /tcp .* ESTABLISHED src=198\.51\.100\.130 dst=203\.0\.113\.80 sport=40001 dport=80 .*src=203\.0\.113\.80 dst=192\.0\.2\.99 sport=80 dport=40001 .*mark=201/,
    );
  });

  it('a starting standby asks for the whole table: conntrackd answers the RESYNC with what it already had', async () => {
    const l = await pair();
    // Known to conntrackd only from its start-up dump: no event will ever carry it.
    await l.exec(
      'a',
      conntrackInsert(['-p', 'udp', '--sport', '6000', '--dport', '53', '--timeout', '300', '--mark', '204']),
    );
    procs.push(await spawnConntrackd(l, 'a', 'eth0', A));
    await new Promise((r) => setTimeout(r, 1500));
    const engine = l.spawn('b', [process.execPath, engineRun, 'eth0', B, '4', 'resync'], {
      logName: 'engine',
    });
    procs.push(engine);
    await engine.exited;
    const out = JSON.parse(
      (await readFile(engine.logFile, 'utf8')).split('\n').find((x) => x.startsWith('{'))!,
    ) as {
      external: { sourcePort: number; mark: number }[];
    };
    expect(out.external).toEqual(
      expect.arrayContaining([expect.objectContaining({ sourcePort: 6000, mark: 204 })]),
    );
  });

  it('decodes the EXP_NEW conntrackd sends for the expectation of a passive FTP transfer', async () => {
    const l = await pair();
    const listener = l.spawn('b', [process.execPath, mcast, 'listen', B, '6'], { logName: 'listen' });
    procs.push(listener);
    procs.push(await spawnConntrackd(l, 'a', 'eth0', A, { expectSync: ['ftp'] }));
    await new Promise((r) => setTimeout(r, 1500));
    const port = await pendingFtpData(l, 'a');
    await listener.exited;
    const messages = (await readFile(listener.logFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .flatMap((hex) => decodeSyncDatagram(Buffer.from(hex, 'hex')).messages);
    const announced = messages.find(
      (m) => m.type === CTSYNC_TYPE.expNew && m.expectation?.expected.destinationPort === port,
    );
    expect(announced?.error).toBeUndefined();
    expect(announced?.expectation).toMatchObject({
      helper: 'ftp',
      master: { l4proto: 6, destination: FTP_SERVER, destinationPort: 21 },
      expected: { l4proto: 6, destination: FTP_SERVER, destinationPort: port },
      mask: { sourcePort: 0, destinationPort: 65535 },
    });
  });

  it('conntrackd takes the expectation the engine sends into its external expectation cache', async () => {
    const l = await pair();
    procs.push(await spawnConntrackd(l, 'b', 'eth0', B, { expectSync: ['ftp'] }));
    const engine = l.spawn('a', [process.execPath, engineRun, 'eth0', A, '6'], {
      logName: 'engine',
      env: { TANDEM_CTSYNC_EXPECT: 'ftp' },
    });
    procs.push(engine);
    await new Promise((r) => setTimeout(r, 1500));
    const port = await pendingFtpData(l, 'a');
    let external = '';
    for (let i = 0; i < 40 && !external.includes(`dport=${port}`); i++) {
      await new Promise((r) => setTimeout(r, 200));
      external = await conntrackdCtl(l, 'b', ['-e', 'expect']);
    }
    expect(external).toContain(`dport=${port}`);
    await engine.exited;
    const out = JSON.parse(
      (await readFile(engine.logFile, 'utf8')).split('\n').find((x) => x.startsWith('{'))!,
    ) as { expectInternal: { helper: string; expected: { destinationPort: number } }[] };
    expect(out.expectInternal).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          helper: 'ftp',
          expected: expect.objectContaining({ destinationPort: port }),
        }),
      ]),
    );
    const stats = await conntrackdCtl(l, 'b', ['-s', 'network']);
    expect(stats).not.toMatch(/Malformed msgs:\s+[1-9]/);
  });
});
