// The BPF counter program in a live lab router, driven through the real `tandem` CLI inside it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture } from '../../src/lab/capture.js';
import type { Lab } from '../../src/lab/lab.js';
import { LAB_ADDRESSES, standardTopology } from '../../src/lab/standardTopology.js';
import { packageRoot } from '../../src/packageRoot.js';
import { upTestLab } from './support/testLab.js';

interface Row {
  ifname: string;
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  attached: boolean;
}

const tandem = join(packageRoot(), 'bin', 'tandem');
let lab: Lab;

async function counters(): Promise<Record<string, Row>> {
  const { stdout } = await lab.exec('r1', [
    process.execPath,
    tandem,
    'show',
    'interfaces',
    'counters',
    '--json',
  ]);
  const rows = (JSON.parse(stdout) as { interfaces: Row[] }).interfaces;
  return Object.fromEntries(rows.map((r) => [r.ifname, r]));
}

const pingServer = (count: number) =>
  lab.exec('h1', ['ping', '-q', '-c', String(count), '-i', '0.01', '-W', '1', LAB_ADDRESSES.server]);

describe('per-interface BPF counters in a lab router', () => {
  beforeAll(async () => {
    lab = await upTestLab(standardTopology({ viaVips: false }));
  });
  afterAll(async () => {
    await lab?.down();
  });

  it('counts routed packets on the interface it is attached to, and only there', async () => {
    await lab.exec('r1', [process.execPath, tandem, 'dataplane', 'attach-counters', 'eth1']);
    const before = await counters();
    await pingServer(20);
    const after = await counters();

    expect(after.eth1!.attached).toBe(true);
    expect(after.eth1!.rxPackets - before.eth1!.rxPackets).toBeGreaterThanOrEqual(20);
    expect(after.eth1!.txPackets - before.eth1!.txPackets).toBeGreaterThanOrEqual(20);
    // ICMP echo of 84 bytes of IP plus 14 of Ethernet, each way.
    expect(after.eth1!.rxBytes - before.eth1!.rxBytes).toBeGreaterThanOrEqual(20 * 98);
    // eth0 carried the same packets but has no program: nothing counted.
    expect(after.eth0!.attached).toBe(false);
    expect(after.eth0!.rxPackets).toBe(0);
  });

  it('stops counting once detached', async () => {
    await lab.exec('r1', [process.execPath, tandem, 'dataplane', 'detach-counters', 'eth1']);
    const before = await counters();
    await pingServer(10);
    const after = await counters();
    expect(after.eth1!.attached).toBe(false);
    expect(after.eth1!.rxPackets).toBe(before.eth1!.rxPackets);
  });

  it('captures the routed traffic on an ISP link with tshark', async () => {
    const capture = await Capture.start(lab, 'isp1', 'eth1', 'icmp');
    await pingServer(3);
    const packets = await capture.stop(['ip.src', 'ip.dst', 'icmp.type']);
    const requests = packets.filter((p) => p['ip.src'] === LAB_ADDRESSES.h1 && p['icmp.type'] === '8');
    expect(requests).toHaveLength(3);
    expect(requests[0]!['ip.dst']).toBe(LAB_ADDRESSES.server);
  });
});
