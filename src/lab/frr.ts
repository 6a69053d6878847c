// FRR's vrrpd, a second reference VRRP peer, run inside a lab node: zebra and vrrpd in the
// foreground with their sockets, pid files and configuration in the node's directory (never
// the host's /etc/frr or /run/frr), so the lab stops them like any other process.
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Lab, LabError, type LabProcess } from './lab.js';

const FRR_BIN = '/usr/lib/frr';

export interface FrrVrrpGroup {
  ifname: string;
  vrid: number;
  priority: number;
  version: 2 | 3;
  /** Milliseconds, a multiple of 10 (FRR's unit; VRRPv2 needs whole seconds). */
  advertMs: number;
  ipv4?: string[];
  ipv6?: string[];
}

/** The macvlan FRR expects per address family: VMAC `00:00:5e:00:0<1|2>:<vrid>`, bridge mode. */
function macvlanName(family: 4 | 6, vrid: number): string {
  return `vrrp${family}-${vrid}`;
}

/**
 * Starts zebra and vrrpd in `node` for one group. FRR does not create its VRRP interfaces: like
 * an operator, this creates the macvlan per family with the virtual MAC and the group's
 * addresses; vrrpd then keeps it in protodown while backup.
 */
export async function spawnFrrVrrp(lab: Lab, node: string, g: FrrVrrpGroup): Promise<LabProcess[]> {
  const dir = join(lab.dir(node), 'frr');
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777); // the daemons drop to the frr user and create their sockets here
  const lines = [`interface ${g.ifname}`, ` vrrp ${g.vrid} version ${g.version}`];
  lines.push(
    ` vrrp ${g.vrid} priority ${g.priority}`,
    ` vrrp ${g.vrid} advertisement-interval ${g.advertMs}`,
  );
  for (const [family, addrs] of [
    [4, g.ipv4 ?? []],
    [6, g.ipv6 ?? []],
  ] as const) {
    if (!addrs.length) continue;
    const dev = macvlanName(family, g.vrid);
    const mac = `00:00:5e:00:0${family === 4 ? 1 : 2}:${g.vrid.toString(16).padStart(2, '0')}`;
    await lab.exec(node, ['ip', 'link', 'add', dev, 'link', g.ifname, 'type', 'macvlan', 'mode', 'bridge']);
    // VRRPv3 over IPv6 elects on the advert's link-local source: it must not be the parent's.
    await lab.exec(node, ['ip', 'link', 'set', 'dev', dev, 'addrgenmode', 'random', 'address', mac]);
    for (const a of addrs) {
      await lab.exec(node, ['ip', 'addr', 'add', a, 'dev', dev, ...(family === 6 ? ['nodad'] : [])]);
      lines.push(` vrrp ${g.vrid} ${family === 4 ? 'ip' : 'ipv6'} ${a.replace(/\/\d+$/, '')}`);
    }
    await lab.exec(node, ['ip', 'link', 'set', 'dev', dev, 'up']);
  }
  const conf = join(dir, 'vrrpd.conf');
  await writeFile(conf, `${lines.join('\n')}\n`);
  const common = ['-z', join(dir, 'zserv.api'), '--vty_socket', dir, '-P', '0', '--log', 'stdout'];
  const zebra = lab.spawn(
    node,
    [join(FRR_BIN, 'zebra'), ...common, '-i', join(dir, 'zebra.pid'), '-f', '/dev/null'],
    {
      logName: 'frr-zebra',
    },
  );
  await waitForSocket(zebra, join(dir, 'zserv.api'));
  const vrrpd = lab.spawn(
    node,
    [join(FRR_BIN, 'vrrpd'), ...common, '-i', join(dir, 'vrrpd.pid'), '-f', conf],
    {
      logName: 'frr-vrrpd',
    },
  );
  await waitForSocket(vrrpd, join(dir, 'vrrpd.vty'));
  return [vrrpd, zebra];
}

/** Waits for a daemon's socket: its readiness (a 10 s hang guard). */
async function waitForSocket(daemon: LabProcess, path: string): Promise<void> {
  for (let waited = 0; !existsSync(path); waited += 20) {
    if (waited > 10_000 || daemon.child.exitCode !== null) {
      await daemon.stop();
      throw new LabError(`${daemon.logFile}: no ${path} (see the log)`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface FrrVrrpState {
  vrid: number;
  v4: { status: string; stats: { adverRx: number; adverTx: number } };
  v6: { status: string; stats: { adverRx: number; adverTx: number } };
}

/** vrrpd's own view (`show vrrp json` through vtysh on the node's socket directory). */
export async function frrVrrpStatus(lab: Lab, node: string): Promise<FrrVrrpState[]> {
  const { stdout } = await lab.exec(node, [
    'vtysh',
    '--vty_socket',
    join(lab.dir(node), 'frr'),
    '-c',
    'show vrrp json',
  ]);
  return JSON.parse(stdout) as FrrVrrpState[];
}
