// `tandem lab up|status|exec|kill|down`: the standard two-router HA lab in network namespaces.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../daemon/features.js';
import type { VrrpStatus } from '../features/vrrp/status.js';
import { Lab, LabError, labDown } from '../lab/lab.js';
import { OPERATOR_LAB } from '../lab/labPaths.js';
import { routerBootConfig } from '../lab/routerConfig.js';
import { runEchoClient, runEchoServer, streamVerdict } from '../lab/echoStream.js';
import { LAB_ADDRESSES, operatorLabLines, standardTopology } from '../lab/standardTopology.js';
import type { WlbRulesStatus, WlbStatus } from '../features/wlb/status.js';
import { packageRoot } from '../packageRoot.js';
import * as ip from '../platform/ip.js';
import { renderTable } from './table.js';
import { UsageError } from './usage.js';

const tandemBin = () => join(packageRoot(), 'bin', 'tandem');

function routers(lab: Lab): string[] {
  return lab.topology.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
}

/** Starts tandemd in a lab router and waits until its socket answers. */
async function startRouterDaemon(lab: Lab, node: string): Promise<void> {
  const proc = lab.spawn(node, [process.execPath, join(packageRoot(), 'bin', 'tandemd')], {
    logName: 'tandemd',
    detached: true,
  });
  const socket = lab.env(node).TANDEM_SOCKET!;
  for (let waited = 0; ; waited += 100) {
    if (existsSync(socket)) {
      const probe = await lab.exec(node, [process.execPath, tandemBin(), 'show', 'system', 'commit'], {
        allowFailure: true,
      });
      if (probe.code === 0) return;
    }
    if (proc.child.exitCode !== null || waited > 30_000) {
      throw new LabError(`tandemd did not start in ${node}: see ${proc.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function labUp(): Promise<string> {
  const topology = standardTopology({ wan2ViaVip: true });
  const lab = await Lab.up(OPERATOR_LAB, topology);
  try {
    const registry = buildRegistry();
    for (const r of routers(lab)) {
      await writeFile(
        lab.env(r).TANDEM_CONFIG!,
        routerBootConfig(topology, r, registry, operatorLabLines(r)),
      );
      await startRouterDaemon(lab, r);
      await lab.exec(r, [process.execPath, tandemBin(), 'dataplane', 'attach-counters']);
    }
  } catch (e) {
    await lab.down();
    throw e;
  }
  return [
    `lab '${OPERATOR_LAB}' is up: ${lab.topology.nodes.map((n) => n.name).join(', ')}`,
    'tandemd runs in r1 and r2: VRRP groups 10 (LAN, VIP 192.0.2.1), 20 (wan1, VIP 198.51.100.4) and',
    "30 (wan2, VIP 198.51.100.68), sync group LAB, r1 preferred; WAN load balancing splits the LAN's",
    'flows over isp1 (eth0) and isp2 (eth2) with SNAT to those VIPs; conntrack-sync carries the',
    'connections to the backup; a cluster (r1 primary) holds the service address 192.0.2.10; BPF',
    'interface counters are attached; established connections ride the eBPF fast path',
    'try: tandem lab exec h1 ping -c 3 203.0.113.100 ; tandem lab status',
    '     tandem lab exec r1 tandem show vrrp ; tandem lab exec r1 tandem show wan-load-balance status',
    '     tandem lab exec r1 tandem show cluster status ; tandem lab exec r1 tandem show system fast-path',
    '     tandem lab stream 60   (and meanwhile: tandem lab kill r1 ; tandem lab exec r2 tandem show vrrp)',
  ].join('\n');
}

export async function labStatus(json: boolean): Promise<string> {
  const lab = await Lab.open(OPERATOR_LAB);
  const nodes = [];
  for (const n of lab.topology.nodes) {
    const addrs = await ip.addresses(lab.ns(n.name));
    nodes.push({
      name: n.name,
      kind: n.kind,
      namespace: lab.ns(n.name),
      interfaces: addrs
        .filter(
          (a) => a.ifname !== 'lo' || a.addr_info.some((i) => i.local !== '127.0.0.1' && i.local !== '::1'),
        )
        .map((a) => ({
          ifname: a.ifname,
          // Link-local addresses are noise in the lab overview; `ip addr` in the node shows them.
          addresses: a.addr_info
            .filter((i) => !i.local.startsWith('fe80:'))
            .map((i) => `${i.local}/${i.prefixlen}`),
        })),
    });
  }
  const counters: Record<string, unknown[]> = {};
  for (const r of routers(lab)) {
    const { stdout } = await lab.exec(r, [
      process.execPath,
      tandemBin(),
      'show',
      'interfaces',
      'counters',
      '--json',
    ]);
    counters[r] = (JSON.parse(stdout) as { interfaces: unknown[] }).interfaces;
  }
  // VRRP state of each router whose tandemd answers (a killed router shows as down).
  const vrrp: { router: string; interface: string; group: number; state: string; priority: number }[] = [];
  for (const r of routers(lab)) {
    const res = await lab.exec(r, [process.execPath, tandemBin(), 'show', 'vrrp', '--json'], {
      allowFailure: true,
    });
    if (res.code !== 0) {
      vrrp.push({ router: r, interface: '-', group: 0, state: 'tandemd down', priority: 0 });
      continue;
    }
    for (const g of (JSON.parse(res.stdout) as VrrpStatus).groups) {
      vrrp.push({
        router: r,
        interface: g.interface,
        group: g.group,
        state: g.state,
        priority: g.effectivePriority,
      });
    }
  }
  // WAN load balancing: each uplink's health and the new flows the classifier sent to it.
  const wlb: { router: string; interface: string; status: string; flows: number }[] = [];
  for (const r of routers(lab)) {
    const cli = (args: string[]) =>
      lab.exec(r, [process.execPath, tandemBin(), ...args, '--json'], { allowFailure: true });
    const [health, rules] = await Promise.all([
      cli(['show', 'wan-load-balance']),
      cli(['show', 'wan-load-balance', 'status']),
    ]);
    if (health.code !== 0 || rules.code !== 0) continue;
    const entries = ((JSON.parse(rules.stdout) as WlbRulesStatus).forward?.rules ?? []).flatMap(
      (x) => x.entries,
    );
    for (const i of (JSON.parse(health.stdout) as WlbStatus).interfaces) {
      const flows = entries.filter((e) => e.interface === i.interface).reduce((n, e) => n + e.packets, 0);
      wlb.push({ router: r, interface: i.interface, status: i.status, flows });
    }
  }
  if (json) return JSON.stringify({ lab: lab.name, nodes, vrrp, wlb, counters }, null, 2);
  const wlbTable = renderTable(
    ['Router', 'Uplink', 'Health', 'New flows'],
    wlb.map((w) => [w.router, w.interface, w.status, w.flows]),
  );
  const vrrpTable = renderTable(
    ['Router', 'Interface', 'Group', 'State', 'Priority'],
    vrrp.map((v) => [v.router, v.interface, v.group || '-', v.state, v.priority || '-']),
  );
  const nodeTable = renderTable(
    ['Node', 'Kind', 'Interface', 'Addresses'],
    nodes.flatMap((n) =>
      n.interfaces.length
        ? n.interfaces.map((i, k) => [k ? '' : n.name, k ? '' : n.kind, i.ifname, i.addresses.join(' ')])
        : [[n.name, n.kind, '', '']],
    ),
  );
  const counterTables = Object.entries(counters).map(([r, rows]) => {
    const list = rows as {
      ifname: string;
      rxPackets: number;
      rxBytes: number;
      txPackets: number;
      txBytes: number;
    }[];
    return `${r}:\n${renderTable(
      ['Interface', 'RX packets', 'RX bytes', 'TX packets', 'TX bytes'],
      list.map((c) => [c.ifname, c.rxPackets, c.rxBytes, c.txPackets, c.txBytes]),
    )}`;
  });
  return [
    nodeTable,
    '',
    'VRRP',
    vrrpTable,
    '',
    'WAN load balancing',
    wlbTable,
    '',
    'BPF interface counters',
    ...counterTables,
  ].join('\n');
}

/** Runs a command in a node with the terminal attached; resolves with its exit code. */
export async function labExec(node: string | undefined, argv: string[]): Promise<number> {
  if (!node || argv.length === 0) throw new UsageError('usage: tandem lab exec <node> <command> [args…]');
  const lab = await Lab.open(OPERATOR_LAB);
  const [file, ...args] = lab.wrap(node, argv);
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { stdio: 'inherit', env: lab.env(node) });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const STREAM_PORT = 5001;

/**
 * `tandem lab stream [seconds]`: a TCP stream from h1 to the server through the HA pair, with a
 * progress line each second; exit 0 when every line came back (the stream survived whatever
 * happened meanwhile, e.g. `tandem lab kill r1` in another terminal).
 */
export async function labStream(secondsText: string | undefined): Promise<number> {
  const seconds = Number(secondsText ?? 60);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
    throw new UsageError('usage: tandem lab stream [seconds (1-3600, default 60)]');
  const lab = await Lab.open(OPERATOR_LAB);
  const server = lab.spawn(
    'srv',
    [process.execPath, tandemBin(), 'lab', 'stream-server', String(STREAM_PORT)],
    {
      logName: 'stream-server',
    },
  );
  try {
    await new Promise((r) => setTimeout(r, 300));
    return await labExec('h1', [
      process.execPath,
      tandemBin(),
      'lab',
      'stream-client',
      LAB_ADDRESSES.server,
      String(STREAM_PORT),
      String(seconds),
    ]);
  } finally {
    await server.stop();
  }
}

/** The two ends of the stream, run inside the lab's nodes by `labStream`. */
export async function labStreamEnd(words: string[]): Promise<number> {
  const [role, ...args] = words;
  if (role === 'stream-server' && args.length === 1) return runEchoServer(Number(args[0]));
  if (role === 'stream-client' && args.length === 3) {
    const seconds = Number(args[2]);
    const outcome = await runEchoClient(args[0]!, Number(args[1]), seconds, (l) =>
      process.stdout.write(`${l}\n`),
    );
    process.stdout.write(`${streamVerdict(outcome, seconds)}\n`);
    return outcome.error || outcome.echoed < outcome.sent ? 1 : 0;
  }
  throw new UsageError('usage: tandem lab stream [seconds]');
}

export async function labKill(node: string | undefined): Promise<string> {
  if (!node) throw new UsageError('usage: tandem lab kill <node>');
  const lab = await Lab.open(OPERATOR_LAB);
  const pids = await lab.kill(node);
  return `killed ${pids.length} process(es) in ${node}`;
}

export async function labDownCommand(): Promise<string> {
  await labDown(OPERATOR_LAB);
  return `lab '${OPERATOR_LAB}' is down`;
}
