// tandemd and the tandem CLI in a lab router: configure by script, commit, save, restart; a
// rejected commit changes nothing; archive, rollback, commit-confirm; one daemon per state dir.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabProcess } from '../../src/lab/lab.js';
import { configure, startTandemd, tandem } from './support/tandemd.js';
import { upTestLab } from './support/testLab.js';

let lab: Lab;
let daemon: LabProcess;

const BOOT = `interfaces {
    ethernet eth0 {
        address 198.51.100.1/24
    }
}
system {
    host-name first-name
}
`;

async function addresses(ifname: string): Promise<string[]> {
  const { stdout } = await lab.exec('r', ['ip', '-j', 'addr', 'show', ifname]);
  const [link] = JSON.parse(stdout) as {
    addr_info: { family: string; local: string; prefixlen: number }[];
  }[];
  return link!.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
}

const running = async () => (await tandem(lab, 'r', ['show', 'configuration'])).stdout;
const saved = () => readFile(lab.env('r').TANDEM_CONFIG!, 'utf8');

describe('tandemd with the tandem CLI', () => {
  beforeAll(async () => {
    lab = await upTestLab({
      nodes: [
        { name: 'r', kind: 'router' },
        { name: 'h', kind: 'host' },
      ],
      links: [
        {
          a: { node: 'r', ifname: 'eth0' },
          b: { node: 'h', ifname: 'eth0', addresses: ['198.51.100.100/24'] },
        },
      ],
    });
    daemon = await startTandemd(lab, 'r', BOOT);
  });
  afterAll(async () => {
    await daemon?.stop();
    await lab?.down();
  });

  it('applies the boot configuration at start', async () => {
    expect(await addresses('eth0')).toEqual(['198.51.100.1/24']);
    expect((await lab.exec('r', ['hostname'])).stdout.trim()).toBe('first-name');
    expect(await running()).toBe(BOOT); // printed exactly as the canonical file
    const ping = await lab.exec('h', ['ping', '-c', '1', '-W', '2', '198.51.100.1'], { allowFailure: true });
    expect(ping.code).toBe(0);
  });

  it('configures from a script, commits, saves, and finds it active after a restart', async () => {
    const r = await configure(lab, 'r', [
      'set interfaces ethernet eth0 address 198.51.100.2/24',
      'set interfaces ethernet eth0 description "uplink to h"',
      'set system host-name second-name',
      'commit comment "second address"',
      'save',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Commit complete \(revision 2\)/);
    expect(await addresses('eth0')).toEqual(['198.51.100.1/24', '198.51.100.2/24']);
    expect(await saved()).toContain('description "uplink to h"');

    await daemon.stop();
    await lab.exec('r', ['ip', 'addr', 'flush', 'dev', 'eth0']); // the new daemon must put them back
    daemon = await startTandemd(lab, 'r');
    expect(await addresses('eth0')).toEqual(['198.51.100.1/24', '198.51.100.2/24']);
    expect((await lab.exec('r', ['hostname'])).stdout.trim()).toBe('second-name');
    expect(await running()).toContain('host-name second-name');
  });

  it('rejects an invalid commit naming the path, and changes nothing', async () => {
    const before = { running: await running(), saved: await saved(), addrs: await addresses('eth0') };
    const r = await configure(lab, 'r', [
      'set interfaces ethernet eth0 address 198.51.100.3/24',
      'set interfaces ethernet eth9 address 192.0.2.1/24',
      'commit',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('interfaces ethernet eth9: no such interface on this router');
    expect(await running()).toBe(before.running);
    expect(await saved()).toBe(before.saved);
    expect(await addresses('eth0')).toEqual(before.addrs);

    const bad = await configure(lab, 'r', ['set interfaces ethernet eth0 address 300.1.1.1/24']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/interfaces ethernet eth0 address/);
  });

  it('never stores a plaintext password', async () => {
    const r = await configure(lab, 'r', [
      'set system login user ops authentication plaintext-password "s3cret pass"',
      'commit',
      'save',
    ]);
    expect(r.code).toBe(0);
    const text = await running();
    expect(text).toMatch(/encrypted-password \$6\$/);
    expect(text).not.toContain('s3cret');
    expect(await saved()).not.toContain('s3cret');
  });

  it('keeps an archive and rolls back to a revision', async () => {
    const commits = JSON.parse((await tandem(lab, 'r', ['show', 'system', 'commit', '--json'])).stdout) as {
      revisions: { index: number; via: string; comment?: string }[];
    };
    expect(commits.revisions[0]!.index).toBe(0);
    const second = commits.revisions.find((v) => v.comment === 'second address')!;
    const r = await configure(lab, 'r', [`rollback ${second.index}`, 'commit comment "back"']);
    expect(r.code).toBe(0);
    expect(await running()).not.toContain('user ops');
    expect((await tandem(lab, 'r', ['show', 'configuration', 'system', '--json'])).stdout).toContain(
      '"host-name": "second-name"',
    );
  });

  it('reverts a commit-confirm that is not confirmed, and keeps a confirmed one', async () => {
    const r = await configure(lab, 'r', [
      'set interfaces ethernet eth0 address 198.51.100.4/24',
      'commit-confirm 0.02',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Confirm with 'confirm'/);
    expect(await addresses('eth0')).toContain('198.51.100.4/24');
    // 0.02 min = 1.2 s; wait for the revert (bounded, a hang guard only).
    for (let i = 0; i < 100 && (await addresses('eth0')).includes('198.51.100.4/24'); i++) {
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(await addresses('eth0')).not.toContain('198.51.100.4/24');
    const log = JSON.parse((await tandem(lab, 'r', ['show', 'system', 'commit', '--json'])).stdout) as {
      revisions: { via: string }[];
    };
    expect(log.revisions[0]!.via).toBe('commit-confirm');

    const ok = await configure(lab, 'r', [
      'set interfaces ethernet eth0 address 198.51.100.5/24',
      'commit-confirm 0.02',
      'confirm',
    ]);
    expect(ok.stdout).toContain('Commit confirmed');
    await new Promise((res) => setTimeout(res, 2000));
    expect(await addresses('eth0')).toContain('198.51.100.5/24');
  });

  it('refuses a second daemon on the same state directory', async () => {
    const second = lab.spawn('r', [process.execPath, `${process.cwd()}/bin/tandemd`], {
      logName: 'tandemd-second',
    });
    expect(await second.exited).toBe(1);
    expect(await readFile(second.logFile, 'utf8')).toMatch(/already runs/);
  });

  it('answers show commands in a table and in JSON, and exits 2 on bad usage', async () => {
    const table = await tandem(lab, 'r', ['show', 'system', 'commit']);
    expect(table.stdout).toMatch(/^Rev\s+Time\s+User\s+Via\s+Comment/);
    const logs = JSON.parse((await tandem(lab, 'r', ['show', 'log', 'daemon', '--json'])).stdout) as {
      entries: { msg: string }[];
    };
    expect(logs.entries.some((e) => e.msg === 'configuration committed')).toBe(true);
    expect((await tandem(lab, 'r', ['show', 'nonsense'])).code).toBe(2);
    // Operational commands from configuration mode.
    const run = await configure(lab, 'r', ['run show system commit', 'run show nonsense']);
    expect(run.stdout).toMatch(/^Rev\s+Time/m);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2: run show nonsense');
  });

  it('runs operational mode as a shell (the login shell option): each line a command, until exit', async () => {
    const r = await tandem(
      lab,
      'r',
      ['shell'],
      [
        'help',
        'show system commit',
        'show nonsense',
        'show configuration system host-name',
        'exit',
        'show version',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shell                                      operational mode');
    expect(r.stdout).toMatch(/^Rev\s+Time\s+User\s+Via\s+Comment/m);
    // A bad command is reported and the shell goes on to the next line.
    expect(r.stderr).toContain('usage: tandem');
    expect(r.stdout).toContain('host-name');
    // Nothing after exit runs.
    expect(r.stdout).not.toContain('Version:');
  });
});
