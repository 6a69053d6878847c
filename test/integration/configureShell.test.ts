// The interactive configure shell through a real pseudo-terminal (tmux): prompt, TAB completion
// and `?` help generated from the schema, the uncommitted-changes guard on exit.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabProcess } from '../../src/lab/lab.js';
import { packageRoot } from '../../src/packageRoot.js';
import { run } from '../../src/platform/run.js';
import { startTandemd, tandem } from './support/tandemd.js';
import { upTestLab } from './support/testLab.js';

let lab: Lab;
let daemon: LabProcess;
const server = `tandem-test-${process.pid}`; // a private tmux server, killed afterwards
const tmux = (...args: string[]) => run(['tmux', '-L', server, ...args]);

async function screen(): Promise<string> {
  return (await tmux('capture-pane', '-p', '-N', '-t', 'cfg')).stdout;
}

/** Waits until the pane shows `pattern` (a hang guard of 10 s). */
async function waitFor(pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = await screen();
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`screen never showed ${pattern}:\n${await screen()}`);
}

describe('tandem configure on a terminal', () => {
  beforeAll(async () => {
    lab = await upTestLab({
      nodes: [
        { name: 'r', kind: 'router' },
        { name: 'h', kind: 'host' },
      ],
      links: [{ a: { node: 'r', ifname: 'eth0' }, b: { node: 'h', ifname: 'eth0' } }],
    });
    daemon = await startTandemd(lab, 'r', '');
    const argv = lab.wrap('r', [
      'env',
      `TANDEM_SOCKET=${lab.env('r').TANDEM_SOCKET}`,
      `HOME=${lab.dir('r')}`,
      process.execPath,
      join(packageRoot(), 'bin', 'tandem'),
      'configure',
    ]);
    await tmux(
      'new-session',
      '-d',
      '-s',
      'cfg',
      '-x',
      '160',
      '-y',
      '50',
      argv.map((a) => `'${a}'`).join(' '),
    );
    await waitFor(/# $/m);
  });
  afterEach(async () => {
    await tmux('send-keys', '-t', 'cfg', 'C-u').catch(() => undefined); // a clean line for the next test
  });
  afterAll(async () => {
    await run(['tmux', '-L', server, 'kill-server'], { allowFailure: true });
    await daemon?.stop();
    await lab?.down();
  });

  it('shows the edit banner and a configuration prompt', async () => {
    expect(await screen()).toMatch(/\[edit\]\n.*@r# $/m);
  });

  it('completes a keyword with TAB, including words other features register (vrrp)', async () => {
    await tmux('send-keys', '-t', 'cfg', 'set interfaces ethernet eth0 desc', 'Tab');
    await waitFor(/set interfaces ethernet eth0 description $/m);
    await tmux('send-keys', '-t', 'cfg', 'C-u', 'set interfaces ethernet eth0 vr', 'Tab');
    await waitFor(/set interfaces ethernet eth0 vrrp $/m);
  });

  it('lists what may follow with help on ?, keeping the typed line', async () => {
    await tmux('send-keys', '-t', 'cfg', 'set interfaces ethernet eth0 ', '?');
    const text = await waitFor(/disable\s+Administratively disable the interface/);
    expect(text).toMatch(/address\s+IP address of the interface/);
    expect(text).toMatch(/# set interfaces ethernet eth0 $/m);
  });

  it('commits from the shell and refuses to exit with uncommitted changes', async () => {
    await tmux('send-keys', '-t', 'cfg', 'set system host-name shell-set', 'Enter');
    await tmux('send-keys', '-t', 'cfg', 'exit', 'Enter');
    await waitFor(/Cannot exit: configuration modified/);
    await tmux('send-keys', '-t', 'cfg', 'commit', 'Enter');
    await waitFor(/Commit complete/);
    expect((await tandem(lab, 'r', ['show', 'configuration', 'system'])).stdout).toContain(
      'host-name shell-set',
    );
    await tmux('send-keys', '-t', 'cfg', 'exit', 'Enter');
    for (let i = 0; i < 100 && (await tmux('has-session', '-t', 'cfg').catch(() => undefined)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await tmux('has-session', '-t', 'cfg').catch(() => 'gone')).toBe('gone');
  });
});
