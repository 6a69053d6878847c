// VRRP helpers for lab tests: each test's lab and daemons, torn down after it; state polling.
import { afterEach, expect } from 'vitest';
import { buildRegistry } from '../../../src/daemon/features.js';
import type { VrrpStatus } from '../../../src/features/vrrp/status.js';
import type { Lab, LabProcess } from '../../../src/lab/lab.js';
import { routerBootConfig } from '../../../src/lab/routerConfig.js';
import type { Topology } from '../../../src/lab/topology.js';
import { startTandemd, tandem } from './tandemd.js';
import { upTestLab } from './testLab.js';

/** The lab of the running test and the processes it started; call once per test file. */
export function vrrpLabPerTest() {
  const state: { lab: Lab | undefined; procs: LabProcess[] } = { lab: undefined, procs: [] };
  const cleanup = async () => {
    for (const p of state.procs.splice(0)) await p.stop();
    await state.lab?.down();
    state.lab = undefined;
  };
  afterEach(cleanup);
  return {
    /** Stops the test's processes and takes its lab down (before another lab in the same test). */
    cleanup,
    async up(topology: Topology): Promise<Lab> {
      state.lab = await upTestLab(topology);
      return state.lab;
    },
    /** Starts tandemd in `node` with the topology's addresses plus `lines`. */
    async router(node: string, lines: string[], nodeArgs: string[] = []): Promise<LabProcess> {
      const lab = state.lab!;
      const p = await startTandemd(
        lab,
        node,
        routerBootConfig(lab.topology, node, buildRegistry(), lines),
        nodeArgs,
      );
      state.procs.push(p);
      return p;
    },
    /** The processes this test started in `node` and that still run under its care. */
    procs(node: string): LabProcess[] {
      return state.procs.filter((p) => p.node === node);
    },
    track(p: LabProcess): LabProcess {
      state.procs.push(p);
      return p;
    },
    forget(p: LabProcess): void {
      state.procs.splice(state.procs.indexOf(p), 1);
    },
  };
}

/** Whether `addr` (either family) is on `ifname` of `node`. */
export async function hasAddress(lab: Lab, node: string, ifname: string, addr: string): Promise<boolean> {
  const { stdout } = await lab.exec(node, ['ip', '-o', 'addr', 'show', 'dev', ifname]);
  return stdout.includes(` ${addr}/`);
}

/** ping's exit code for two echoes from `from` to `to` (IPv4 or IPv6). */
export const ping = (lab: Lab, from: string, to: string) =>
  lab
    .exec(from, ['ping', ...(to.includes(':') ? ['-6'] : []), '-c', '2', '-i', '0.2', '-W', '1', to], {
      allowFailure: true,
    })
    .then((r) => r.code);

export async function vrrpStatus(lab: Lab, node: string): Promise<VrrpStatus> {
  const r = await tandem(lab, node, ['show', 'vrrp', 'detail', '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as VrrpStatus;
}

/** Polls until every group of `node` is in `state` (a 20 s hang guard, not a timing goal). */
export async function waitState(lab: Lab, node: string, state: string): Promise<VrrpStatus> {
  let last: VrrpStatus | undefined;
  for (let i = 0; i < 200; i++) {
    last = await vrrpStatus(lab, node);
    if (last.groups.length && last.groups.every((g) => g.state === state)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${node} never reached ${state}: ${JSON.stringify(last?.groups.map((g) => [g.instance, g.state]))}`,
  );
}

/**
 * A LAN with two routers and a host: r1 192.0.2.2, r2 192.0.2.3, h1 192.0.2.100 (and
 * 2001:db8:1::2/::3/::100 with ipv6); the tests' VIP is 192.0.2.1.
 */
export function lanPairTopology(opts: { ipv6?: boolean } = {}): Topology {
  const end = (node: string, ifname: string, host: number) => ({
    node,
    ifname,
    addresses: [`192.0.2.${host}/24`, ...(opts.ipv6 ? [`2001:db8:1::${host}/64`] : [])],
  });
  return {
    nodes: [
      { name: 'lan', kind: 'switch' },
      { name: 'r1', kind: 'router' },
      { name: 'r2', kind: 'router' },
      { name: 'h1', kind: 'host' },
    ],
    links: [
      { a: end('r1', 'eth1', 2), b: { node: 'lan', ifname: 'r1' } },
      { a: end('r2', 'eth1', 3), b: { node: 'lan', ifname: 'r2' } },
      { a: end('h1', 'eth0', 100), b: { node: 'lan', ifname: 'h1' } },
    ],
  };
}
