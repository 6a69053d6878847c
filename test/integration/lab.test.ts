// The lab harness itself: isolation of routers, process handling, teardown, and the sweep of
// labs left by a crashed run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/lab.js';
import { testLabName } from '../../src/lab/labPaths.js';
import { LAB_ADDRESSES, standardTopology } from '../../src/lab/standardTopology.js';
import { sweepStaleLabs } from '../../src/lab/sweep.js';
import { packageRoot } from '../../src/packageRoot.js';
import * as ip from '../../src/platform/ip.js';
import { processAlive } from '../../src/platform/process.js';
import { rootNamespaceSnapshot } from './support/rootSnapshot.js';
import { upTestLab } from './support/testLab.js';

const labNamespaces = async (lab: string) =>
  (await ip.netnsList()).filter((ns) => ns.startsWith(`tandem-${lab}-`));

describe('lab harness', () => {
  it('builds isolated routers, runs processes in nodes, and leaves the root namespace as it was', async () => {
    const before = await rootNamespaceSnapshot();
    const lab = await upTestLab(standardTopology({ viaVips: false }));
    let sleeper: number | undefined;
    try {
      expect(await labNamespaces(lab.name)).toHaveLength(standardTopology().nodes.length);
      // Routers have their own host name, sysfs and bpffs; the host keeps its own.
      expect((await lab.exec('r1', ['hostname'])).stdout.trim()).toBe('r1');
      expect(hostname()).not.toBe('r1');
      expect(
        (await lab.exec('r1', ['ls', '/sys/class/net'])).stdout.split(/\s+/).filter(Boolean).sort(),
      ).toEqual(['eth0', 'eth1', 'eth2', 'lo']);
      expect((await lab.exec('r1', ['cat', '/proc/self/mounts'])).stdout).toMatch(/^bpf \/sys\/fs\/bpf bpf/m);
      expect(readFileSync('/proc/self/mounts', 'utf8')).not.toMatch(/^\S+ \/sys\/fs\/bpf bpf/m);
      // The topology routes: LAN host to the server through r1 and isp1.
      const ping = await lab.exec('h1', ['ping', '-c', '1', '-W', '2', LAB_ADDRESSES.server], {
        allowFailure: true,
      });
      expect(ping.code).toBe(0);
      const proc = lab.spawn('srv', ['sleep', '1000']);
      sleeper = proc.pid;
      expect(processAlive(sleeper)).toBe(true);
    } finally {
      await lab.down();
    }
    expect(processAlive(sleeper!)).toBe(false);
    expect(await labNamespaces(lab.name)).toEqual([]);
    expect(await rootNamespaceSnapshot()).toBe(before);
  });

  it('rejects a second lab of the same name and cleans up a half-built one', async () => {
    const lab = await upTestLab({ nodes: [{ name: 'a', kind: 'host' }], links: [] });
    try {
      await expect(Lab.up(lab.name, { nodes: [], links: [] })).rejects.toThrow(/already exists/);
    } finally {
      await lab.down();
    }
    const broken = testLabName(process.pid, 999);
    await expect(
      Lab.up(broken, {
        nodes: [{ name: 'a', kind: 'host', routes: [{ dst: '203.0.113.0/24', via: '192.0.2.99' }] }],
        links: [],
      }),
    ).rejects.toThrow(/Nexthop|unreachable|Network/i);
    expect(await labNamespaces(broken)).toEqual([]);
  });

  it('sweeps the lab of a test run that crashed mid-test', async () => {
    // A child process builds a lab under its own PID and dies by SIGKILL without tearing down.
    const script = `
      const { Lab } = await import(${JSON.stringify(join(packageRoot(), 'dist/src/lab/lab.js'))});
      const { testLabName } = await import(${JSON.stringify(join(packageRoot(), 'dist/src/lab/labPaths.js'))});
      const lab = await Lab.up(testLabName(process.pid, 0), {
        nodes: [{ name: 'r', kind: 'router' }, { name: 'h', kind: 'host' }],
        links: [{ a: { node: 'r', ifname: 'eth0', addresses: ['192.0.2.1/24'] }, b: { node: 'h', ifname: 'eth0' } }],
      });
      lab.spawn('h', ['sleep', '1000']);
      process.stdout.write('built\\n');
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out).toContain('built');
    const crashed = testLabName(child.pid!, 0);
    expect(await labNamespaces(crashed)).toHaveLength(2);

    expect(await sweepStaleLabs()).toContain(crashed);
    expect(await labNamespaces(crashed)).toEqual([]);
  });
});
