// The DHCP client of `interfaces ethernet <if> address dhcp`: busybox udhcpc per interface, run
// detached so a lease outlives a restart of tandemd (the next one adopts the running client by its
// pid file), with bin/tandem-dhcp-event applying each lease and recording it as JSON here.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../packageRoot.js';

export interface DhcpLease {
  /** The udhcpc event that wrote the record: bound/renew carry a lease, the others none. */
  state: 'bound' | 'renew' | 'deconfig' | 'leasefail' | 'nak';
  /** Unix seconds. */
  at: number;
  address?: string;
  prefixLength?: number;
  routers?: string[];
  leaseSeconds?: number;
  server?: string;
}

export const dhcpDir = (stateDir: string) => join(stateDir, 'dhcp');

export async function readDhcpLease(stateDir: string, ifname: string): Promise<DhcpLease | null> {
  try {
    return JSON.parse(await readFile(join(dhcpDir(stateDir), `${ifname}.json`), 'utf8')) as DhcpLease;
  } catch {
    return null;
  }
}

/** The lease's first router, while the interface holds a lease. */
export function leaseRouter(lease: DhcpLease | null): string | null {
  return lease && (lease.state === 'bound' || lease.state === 'renew') ? (lease.routers?.[0] ?? null) : null;
}

/** The pid of the udhcpc serving `ifname`, if one runs. */
async function clientPid(stateDir: string, ifname: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(join(dhcpDir(stateDir), `${ifname}.pid`), 'utf8')).trim());
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return argv.includes('udhcpc') && argv[argv.indexOf('-i') + 1] === ifname ? pid : null;
  } catch {
    return null;
  }
}

/** Starts a client for `ifname` unless one runs already. */
export async function startDhcpClient(stateDir: string, ifname: string): Promise<void> {
  if ((await clientPid(stateDir, ifname)) !== null) return;
  const dir = dhcpDir(stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const log = await open(join(dir, `${ifname}.log`), 'a');
  try {
    // Foreground in its own session; 3 discovers 2 s apart, then a 5 s pause, forever; -R
    // releases the lease when it is stopped.
    const argv = ['udhcpc', '-f', '-R', '-t', '3', '-T', '2', '-A', '5', '-i', ifname];
    argv.push('-p', join(dir, `${ifname}.pid`), '-s', join(packageRoot(), 'bin', 'tandem-dhcp-event'));
    const child = spawn('busybox', argv, {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', TANDEM_DHCP_DIR: dir },
    });
    child.unref();
  } finally {
    await log.close();
  }
  // Its pid file is what tells a later call (or the next tandemd) that it runs.
  for (let waited = 0; waited < 2000 && (await clientPid(stateDir, ifname)) === null; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
}

/** Stops the client of `ifname` (it releases the lease and removes the address on the way out). */
export async function stopDhcpClient(stateDir: string, ifname: string): Promise<void> {
  const pid = await clientPid(stateDir, ifname);
  if (pid === null) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 3000; waited += 50) {
    if ((await clientPid(stateDir, ifname)) === null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
}
