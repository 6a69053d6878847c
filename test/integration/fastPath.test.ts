// The forwarding fast path end to end: tandemd in r1 forwards established connections in eBPF
// (NAT, the balancer's mark, TTL) and everything else through the kernel, with the same result
// on the wire and in conntrack as without it.
import { describe, expect, it } from 'vitest';
import type { FastPathFlowRow, FastPathStatus } from '../../src/features/fast-path/status.js';
import type { Lab } from '../../src/lab/lab.js';
import { Capture } from '../../src/lab/capture.js';
import {
  FP,
  FP_FIREWALL,
  FP_WLB_LINES,
  MIX_CLIENT,
  MIX_SERVER,
  MIX_TARGETS,
  UDP_STREAM,
  fastPathTopology,
  normalizedConntrack,
  normalizedPackets,
  setWanMtu,
} from './support/fastPath.js';
import { tandem } from './support/tandemd.js';
import { vrrpLabPerTest } from './support/vrrp.js';

const labs = vrrpLabPerTest();

async function json<T>(lab: Lab, args: string[]): Promise<T> {
  const r = await tandem(lab, 'r1', [...args, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as T;
}

async function fastPathLab(lines: string[], sysctls: string[] = []): Promise<Lab> {
  const lab = await labs.up(fastPathTopology());
  await setWanMtu(lab);
  if (sysctls.length) await lab.exec('r1', ['sysctl', '-q', '-w', ...sysctls]);
  await labs.router('r1', lines);
  await lab.exec('r1', ['nft', '-f', '-'], { input: FP_FIREWALL });
  labs.track(
    lab.spawn('srv', [process.execPath, MIX_SERVER, ...MIX_TARGETS.map(([, t]) => t)], {
      logName: 'mixServer',
    }),
  );
  // The uplink must be ACTIVE before balanced flows start (its first health cycle).
  for (let waited = 0; ; waited += 200) {
    const r = await tandem(lab, 'r1', ['show', 'wan-load-balance', '--json']);
    if (r.stdout.includes('"status": "active"')) break;
    if (waited > 30_000) throw new Error(`uplink never ACTIVE: ${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  // Neighbours resolved on both sides, outside the captures.
  await lab.exec('h1', ['ping', '-c', '1', '-W', '2', FP.r1Lan]);
  await lab.exec('h1', ['ping', '-c', '1', '-W', '2', FP.r1Lanv6]);
  await lab.exec('srv', ['ping', '-c', '1', '-W', '2', '2001:db8:2::1']);
  return lab;
}

interface MixRun {
  h1: string[];
  srv: string[];
  conntrack: string[];
  status: FastPathStatus;
  flows: FastPathFlowRow[];
  invalidDrops: number;
}

/** Runs the traffic mix from h1 against every target while both ends capture. */
async function runMix(lab: Lab): Promise<MixRun> {
  const h1 = await Capture.start(lab, 'h1', 'eth0');
  const srv = await Capture.start(lab, 'srv', 'eth0');
  for (const [base, target] of MIX_TARGETS) {
    const r = await lab.exec('h1', [process.execPath, MIX_CLIENT, target, String(base)], {
      allowFailure: true,
    });
    expect(r.code, `${target}: ${r.stderr}`).toBe(0);
  }
  const { flows } = await json<{ flows: FastPathFlowRow[] }>(lab, ['show', 'system', 'fast-path', 'flows']);
  return {
    h1: await normalizedPackets(h1, lab),
    srv: await normalizedPackets(srv, lab),
    conntrack: await normalizedConntrack(lab, flows),
    status: await json<FastPathStatus>(lab, ['show', 'system', 'fast-path']),
    flows,
    invalidDrops: Number(
      /packets (\d+)/.exec(
        (await lab.exec('r1', ['nft', 'list', 'chain', 'inet', 'fw', 'forward'])).stdout,
      )?.[1],
    ),
  };
}

describe('forwarding fast path', () => {
  it('puts the same packets on the wire and leaves conntrack in the same states as the normal path', async () => {
    const off = await runMix(await fastPathLab([...FP_WLB_LINES, 'system fast-path disable']));
    await labs.cleanup();
    const on = await runMix(await fastPathLab(FP_WLB_LINES));

    expect(off.status.state).toBe('disabled');
    expect(off.status.counters.forwarded.packets).toBe(0);
    expect(on.status.state).toBe('active');
    expect(on.status.interfaces).toEqual([
      { name: 'eth0', attached: true },
      { name: 'eth3', attached: true },
    ]);
    // The fast path carried the established part of every kind of flow: NATed through the
    // uplink table (r1 has no other route to the service), routed IPv4 and IPv6, TCP and UDP.
    const carried = (dst: string, port: number) =>
      on.flows.find((f) => f.destination === dst && f.sourcePort === port);
    for (const [base, target] of MIX_TARGETS) {
      for (const port of [base + 2, base + 3, base + 4]) {
        const f = carried(target, port);
        expect(f, `${target} port ${port}`).toBeDefined();
        expect(f!.packets[0] + f!.packets[1]).toBeGreaterThan(2);
      }
    }
    // And the rest went to the kernel, each for its reason.
    const c = on.status.counters;
    for (const reason of ['no-connection', 'tcp-flags', 'protocol', 'ttl', 'mtu', 'fragment'] as const)
      expect(c[reason].packets, reason).toBeGreaterThan(0);
    expect(c.forwarded.packets).toBeGreaterThan(100);

    expect(on.srv.length).toBeGreaterThan(50);
    expect(on.srv).toEqual(off.srv);
    expect(on.h1).toEqual(off.h1);
    expect(on.conntrack).toEqual(off.conntrack);
    // Nothing the firewall saw was INVALID (a stale TCP window would make the FINs so).
    expect(on.invalidDrops).toBe(0);
    expect(off.invalidDrops).toBe(0);
  });

  it('keeps a connection alive in conntrack while its packets ride only the fast path, past its timeout', async () => {
    // Short UDP timeouts (3 s, assured 6 s), read by tandemd when it attaches the fast path.
    const lab = await fastPathLab(FP_WLB_LINES, [
      'net.netfilter.nf_conntrack_udp_timeout=3',
      'net.netfilter.nf_conntrack_udp_timeout_stream=6',
    ]);
    const entry = async () =>
      (
        await lab.exec('r1', ['conntrack', '-L', '-p', 'udp', '--orig-port-src', '43000', '-o', 'id'], {
          allowFailure: true,
        })
      ).stdout;
    // 12 s of a datagram (and its echo) every 250 ms through NAT: twice the longest timeout.
    const stream = lab.spawn('h1', [process.execPath, UDP_STREAM, FP.service, '7', '48', '4', '43000'], {
      logName: 'udpStream',
    });
    labs.track(stream);
    await new Promise((r) => setTimeout(r, 1000));
    const before = await entry();
    const id = /id=(\d+)/.exec(before)?.[1];
    expect(id, before).toBeDefined();
    expect(await stream.exited).toBe(0);
    const after = await entry();
    // The same entry (not expired and re-created), assured, having counted few packets itself.
    expect(/id=(\d+)/.exec(after)?.[1], after).toBe(id);
    expect(after).toContain('[ASSURED]');
    expect(Number(/packets=(\d+)/.exec(after)?.[1])).toBeLessThan(10);
    const { flows } = await json<{ flows: FastPathFlowRow[] }>(lab, ['show', 'system', 'fast-path', 'flows']);
    const f = flows.find((x) => x.sourcePort === 43000);
    expect(f?.packets[0]).toBeGreaterThan(38);
    expect(f?.packets[1]).toBeGreaterThan(38);
  });
});
