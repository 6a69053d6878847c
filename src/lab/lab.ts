// Builds a topology in network namespaces, runs commands and processes inside its nodes, and
// tears everything down again. Nothing here configures the root namespace: veths are created
// between lab namespaces directly, and routers get private mount and UTS namespaces.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../errors.js';
import { packageRoot } from '../packageRoot.js';
import * as ip from '../platform/ip.js';
import { processAlive, signalQuietly } from '../platform/process.js';
import { type RunOptions, type RunResult, run } from '../platform/run.js';
import { sysctlSet } from '../platform/sysctl.js';
import { LAB_RUN_DIR, labDir, NS_PREFIX, nodeDir, nsName } from './labPaths.js';
import { checkTopology, type NodeSpec, type Topology } from './topology.js';

export interface LabState {
  lab: string;
  owner: number;
  created: string;
  topology: Topology;
}

export class LabError extends TandemError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LAB', message, options);
  }
}

/** A process started inside a lab node. */
export class LabProcess {
  readonly exited: Promise<number | null>;

  constructor(
    readonly node: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new LabError(`process in ${this.node} did not start`);
    return this.child.pid;
  }

  /** SIGTERM, then SIGKILL if it is still running after graceMs. */
  async stop(graceMs = 3000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

async function ensureRunDir(): Promise<void> {
  await mkdir(LAB_RUN_DIR, { recursive: true });
  // Persistent mount/UTS namespaces are bind-mounted onto files here, which needs a mount point
  // with private propagation (the same trick `ip netns` uses for /run/netns).
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  if (!mountinfo.split('\n').some((l) => l.split(' ')[4] === LAB_RUN_DIR)) {
    await run(['mount', '--bind', LAB_RUN_DIR, LAB_RUN_DIR]);
    await run(['mount', '--make-private', LAB_RUN_DIR]);
  }
}

export class Lab {
  private constructor(
    readonly name: string,
    readonly topology: Topology,
  ) {}

  /** Builds the topology; on any failure removes what was built and rethrows. */
  static async up(name: string, topology: Topology): Promise<Lab> {
    checkTopology(topology);
    if (existsSync(labDir(name))) throw new LabError(`lab '${name}' already exists (tandem lab down first)`);
    await ensureRunDir();
    const lab = new Lab(name, topology);
    try {
      await mkdir(labDir(name), { recursive: true });
      const state: LabState = { lab: name, owner: process.pid, created: new Date().toISOString(), topology };
      await writeFile(join(labDir(name), 'lab.json'), `${JSON.stringify(state, null, 2)}\n`);
      await lab.build();
    } catch (e) {
      await labDown(name);
      throw e;
    }
    return lab;
  }

  /** A lab built earlier (by this or another process). */
  static async open(name: string): Promise<Lab> {
    let state: LabState;
    try {
      state = JSON.parse(await readFile(join(labDir(name), 'lab.json'), 'utf8')) as LabState;
    } catch (e) {
      throw new LabError(`no lab '${name}' is up (tandem lab up)`, { cause: e });
    }
    return new Lab(state.lab, state.topology);
  }

  node(name: string): NodeSpec {
    const n = this.topology.nodes.find((x) => x.name === name);
    if (!n)
      throw new LabError(
        `lab '${this.name}' has no node '${name}' (${this.topology.nodes.map((x) => x.name).join(', ')})`,
      );
    return n;
  }

  ns(node: string): string {
    return nsName(this.name, this.node(node).name);
  }

  dir(node: string): string {
    return nodeDir(this.name, node);
  }

  /** The argv that runs `argv` inside `node` (its network, and for routers mount and UTS, namespaces). */
  wrap(node: string, argv: readonly string[]): string[] {
    const ns = this.ns(node);
    if (this.node(node).kind === 'router') {
      const d = this.dir(node);
      return [
        'nsenter',
        `--net=/run/netns/${ns}`,
        `--mount=${d}.mnt`,
        `--uts=${d}.uts`,
        `--wd=${process.cwd()}`,
        '--',
        ...argv,
      ];
    }
    return ['ip', 'netns', 'exec', ns, ...argv];
  }

  /** Environment for Tandem tools inside a router: its own socket, state and bpffs instance. */
  env(node: string): NodeJS.ProcessEnv {
    // Tandem's own commands (tandem, tandemd) are on the PATH of every node.
    const path = `${join(packageRoot(), 'bin')}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`;
    if (this.node(node).kind !== 'router') return { ...process.env, PATH: path };
    const d = this.dir(node);
    return {
      ...process.env,
      PATH: path,
      TANDEM_SOCKET: join(d, 'tandemd.sock'),
      TANDEM_STATE_DIR: join(d, 'state'),
      TANDEM_CONFIG: join(d, 'config.boot'),
      TANDEM_INSTANCE: node,
    };
  }

  exec(node: string, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(this.wrap(node, argv), { env: this.env(node), ...opts });
  }

  /** Starts a long-running process in `node`; its output goes to `<node dir>/<logName>.log`. */
  spawn(
    node: string,
    argv: readonly string[],
    opts: { logName?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
  ): LabProcess {
    const logFile = join(this.dir(node), `${opts.logName ?? argv[0]?.replace(/.*\//, '') ?? 'proc'}.log`);
    const fd = openSync(logFile, 'a');
    const [file, ...args] = this.wrap(node, argv);
    try {
      const child = spawn(file!, args, {
        stdio: ['ignore', fd, fd],
        env: { ...this.env(node), ...opts.env },
        // Detached: outlives this process (the operator's lab); `lab down` stops it by namespace.
        detached: opts.detached ?? false,
      });
      if (opts.detached) child.unref();
      return new LabProcess(node, child, logFile);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Simulates a power loss of `node`: SIGKILL to every process running in it, then its links go
   * down (a dead router neither sends nor forwards, whatever its kernel state says).
   */
  async kill(node: string): Promise<number[]> {
    const ns = this.ns(node);
    const pids = await ip.netnsPids(ns);
    for (const pid of pids) signalQuietly(pid, 'SIGKILL');
    for (const l of await ip.links(ns)) if (l.ifname !== 'lo') await ip.linkSetUp(ns, l.ifname, false);
    return pids;
  }

  down(): Promise<void> {
    return labDown(this.name);
  }

  private async build(): Promise<void> {
    const { nodes, links } = this.topology;
    for (const n of nodes) await this.createNode(n);
    for (const l of links) {
      await ip.vethPair(this.ns(l.a.node), l.a.ifname, this.ns(l.b.node), l.b.ifname);
      for (const end of [l.a, l.b]) {
        const ns = this.ns(end.node);
        if (end.mac) await ip.linkSetMac(ns, end.ifname, end.mac);
        if (this.node(end.node).kind === 'switch') await ip.linkSetMaster(ns, end.ifname, 'br0');
        for (const a of end.addresses ?? []) await ip.addrAdd(ns, end.ifname, a);
        await ip.linkSetUp(ns, end.ifname);
      }
    }
    for (const n of nodes) {
      for (const r of n.routes ?? []) await ip.routeAdd(this.ns(n.name), r.dst, r.via);
    }
    await this.waitForSwitches();
  }

  /** Bridge ports start forwarding only when the kernel's link watcher reports carrier (up to a
   * second later): wait for it so the first packets of a test are not lost. */
  private async waitForSwitches(): Promise<void> {
    const switches = this.topology.nodes.filter((n) => n.kind === 'switch').map((n) => this.ns(n.name));
    for (let waited = 0; ; waited += 25) {
      const ports = (await Promise.all(switches.map((ns) => ip.bridgePorts(ns)))).flat();
      if (ports.every((p) => p.state === 'forwarding')) return;
      if (waited > 10_000) {
        throw new LabError(
          `bridge ports not forwarding: ${ports.filter((p) => p.state !== 'forwarding').map((p) => p.ifname)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async createNode(n: NodeSpec): Promise<void> {
    const ns = this.ns(n.name);
    await ip.netnsAdd(ns);
    await mkdir(this.dir(n.name), { recursive: true });
    await ip.linkSetUp(ns, 'lo');
    for (const a of n.loopback ?? []) await ip.addrAdd(ns, 'lo', a);
    const forward = n.kind === 'router' || n.forwarding ? '1' : '0';
    await sysctlSet(ns, {
      'net.ipv4.ip_forward': forward,
      'net.ipv6.conf.all.forwarding': forward,
      // Lab links come up at once; no router solicitations or DAD noise in captures.
      'net.ipv6.conf.default.accept_dad': '0',
      'net.ipv6.conf.default.router_solicitations': '0',
    });
    if (n.kind === 'switch') {
      await ip.bridgeAdd(ns, 'br0');
      await ip.linkSetUp(ns, 'br0');
    }
    if (n.kind === 'router') await this.isolateRouter(n.name, ns);
  }

  /** Private mount and UTS namespaces, bound to files so they outlive this process: the router
   * gets its own sysfs (its interfaces), its own bpffs and its own host name. */
  private async isolateRouter(node: string, ns: string): Promise<void> {
    const d = this.dir(node);
    await writeFile(`${d}.mnt`, '');
    await writeFile(`${d}.uts`, '');
    await run([
      'nsenter',
      `--net=/run/netns/${ns}`,
      'unshare',
      `--mount=${d}.mnt`,
      `--uts=${d}.uts`,
      '--propagation',
      'slave',
      'sh',
      '-ec',
      `umount -l /sys; mount -t sysfs sysfs /sys; mount -t bpf bpf /sys/fs/bpf; hostname ${node}`,
    ]);
  }
}

/**
 * Removes every trace of a lab, whether or not its state file survived: the processes in its
 * namespaces (SIGTERM, then SIGKILL), the router namespace bindings, the namespaces, the files.
 */
export async function labDown(name: string): Promise<void> {
  const prefix = `${NS_PREFIX}${name}-`;
  const namespaces = (await ip.netnsList()).filter((ns) => ns.startsWith(prefix));
  const pids = (await Promise.all(namespaces.map((ns) => ip.netnsPids(ns)))).flat();
  for (const pid of pids) signalQuietly(pid, 'SIGTERM');
  for (let waited = 0; waited < 3000 && pids.some(processAlive); waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (processAlive(pid)) signalQuietly(pid, 'SIGKILL');
  const dir = labDir(name);
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mountinfo.split('\n')) {
    const target = line.split(' ')[4];
    if (target?.startsWith(`${dir}/`)) await run(['umount', target], { allowFailure: true });
  }
  for (const ns of namespaces) await ip.netnsDelete(ns);
  await rm(dir, { recursive: true, force: true });
}
