// Expectation sync end to end (spec S-5): an FTP client behind the HA pair has asked for a passive
// data connection — the kernel's FTP helper on r1 expects it — when r1 loses power. With
// `expect-sync ftp` r2 has the expectation from r1 and commits it after the control connection, so
// the data connection opens through r2 as a related connection (the routers drop new connections
// to the server's high ports, as a stateful firewall does). Without it the data connection is
// dropped while the control connection still carries.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CtsyncStatus } from '../../src/features/conntrack-sync/index.js';
import type { Lab, LabProcess } from '../../src/lab/lab.js';
import { LAB_ADDRESSES, standardRouterHaLines, standardTopology } from '../../src/lab/standardTopology.js';
import { packageRoot } from '../../src/packageRoot.js';
import { ftpHelper, natRouter, syncLines } from './support/ctsync.js';
import { tandem } from './support/tandemd.js';
import { vrrpLabPerTest, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();
const ftp = join(packageRoot(), 'test', 'integration', 'support', 'ftpPassive.mjs');
const SIZE = 200_000;

/** A firewall that lets connections to the server's high ports in only as related ones. */
async function dataOnlyRelated(lab: Lab, node: string): Promise<void> {
  await lab.exec(node, ['nft', '-f', '-'], {
    input: `table ip labfw {
  chain dataonly {
    type filter hook forward priority filter; policy accept;
    iifname "eth1" ip daddr ${LAB_ADDRESSES.server} tcp dport > 1023 ct state new drop
  }
}
`,
  });
}

const json = async <T>(lab: Lab, node: string, args: string[]): Promise<T> =>
  JSON.parse((await tandem(lab, node, [...args, '--json'])).stdout) as T;

interface ExpectRow {
  sourcePort: number | null;
  destinationPort: number;
  helper: string | null;
}

async function expectRows(lab: Lab, node: string, which: string): Promise<ExpectRow[]> {
  return (await json<{ expect: ExpectRow[] }>(lab, node, ['show', 'conntrack-sync', which, 'expect'])).expect;
}

/** Polls until `check` holds (a hang guard, not a timing goal). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** r1 fails while h1's FTP client waits between PASV and its data connection. */
async function passiveTransferThroughFailover(expectSync: boolean): Promise<{
  lab: Lab;
  client: LabProcess;
  port: number;
}> {
  const lab = await labs.up(standardTopology());
  for (const r of ['r1', 'r2']) {
    await natRouter(lab, r);
    await ftpHelper(lab, r);
    await dataOnlyRelated(lab, r);
    await labs.router(r, [
      ...standardRouterHaLines(r),
      ...syncLines,
      ...(expectSync ? ['service conntrack-sync expect-sync ftp'] : []),
    ]);
  }
  await waitState(lab, 'r1', 'MASTER');
  await waitState(lab, 'r2', 'BACKUP');
  labs.track(lab.spawn('srv', [process.execPath, ftp, 'server', String(SIZE)], { logName: 'ftp-server' }));
  await new Promise((r) => setTimeout(r, 300));
  const go = join(lab.dir('h1'), 'ftp-go');
  const client = labs.track(
    lab.spawn('h1', [process.execPath, ftp, 'client', LAB_ADDRESSES.server, go, String(SIZE)], {
      logName: 'ftp-client',
    }),
  );
  let port = 0;
  await until(async () => {
    port = Number(/pasv (\d+)/.exec(await readFile(client.logFile, 'utf8'))?.[1] ?? 0);
    return port > 0;
  }, 'the PASV reply');
  if (expectSync) {
    // r1's helper expects the data connection; r2 holds the expectation from r1.
    const announced = (rows: ExpectRow[]) =>
      rows.some((x) => x.destinationPort === port && x.sourcePort === null && x.helper === 'ftp');
    expect(announced(await expectRows(lab, 'r1', 'internal-cache'))).toBe(true);
    await until(async () => announced(await expectRows(lab, 'r2', 'external-cache')), "r2's copy");
    expect((await tandem(lab, 'r1', ['show', 'conntrack-sync', 'internal-cache', 'expect'])).stdout).toMatch(
      new RegExp(`^\\|${LAB_ADDRESSES.h1}\\|:any +\\|${LAB_ADDRESSES.server}\\|:${port} +tcp \\[6\\]$`, 'm'),
    );
  }
  await lab.kill('r1');
  await waitState(lab, 'r2', 'MASTER');
  await until(
    async () =>
      (await json<CtsyncStatus>(lab, 'r2', ['show', 'conntrack-sync', 'status'])).lastCommit !== null,
    "r2's commit",
  );
  await writeFile(go, '');
  return { lab, client, port };
}

describe('conntrack-sync expectation sync with tandemd', () => {
  it('with expect-sync ftp, a passive data connection announced before the failover opens through the new master (S-5)', async () => {
    const { lab, client } = await passiveTransferThroughFailover(true);
    const code = await client.exited;
    const out = await readFile(client.logFile, 'utf8');
    expect(code, out).toBe(0);
    expect(out).toContain(`received ${SIZE} bytes`);
    const status = await json<CtsyncStatus>(lab, 'r2', ['show', 'conntrack-sync', 'status']);
    expect(status.lastCommit!.expectations).toBeGreaterThanOrEqual(1);
    expect(status.lastCommit!.expectationsFailed).toBe(0);
    expect((await tandem(lab, 'r2', ['show', 'conntrack-sync', 'status'])).stdout).toContain(
      'ExpectationSync       : enabled for FTP',
    );
    const stats = (await tandem(lab, 'r2', ['show', 'conntrack-sync', 'statistics'])).stdout;
    expect(stats).toContain('Main Table Statistics:');
    expect(stats).toContain('Expect Table Statistics:');
  });

  it('without expect-sync the data connection is dropped while the control connection survives', async () => {
    const { client } = await passiveTransferThroughFailover(false);
    const code = await client.exited;
    const out = await readFile(client.logFile, 'utf8');
    expect(code, out).toBe(4);
    expect(out).toContain('control alive');
  });
});
