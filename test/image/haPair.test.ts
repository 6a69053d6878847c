// The appliance booted on two routers: two qemu guests from the ISO, their eth0 on one bridge in
// a lab namespace (tap devices) with a LAN host, configured over their serial consoles as a VRRP
// pair. The gateway address answers the host from the master; the master VM is stopped; the
// address answers from the other VM.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { labDown, type Lab } from '../../src/lab/lab.js';
import { upTestLab } from '../integration/support/testLab.js';
import { Guest } from '../../src/lab/qemuGuest.js';

const iso = inject('iso');
const VIP = '192.0.2.1';
const routers = [
  { name: 'ra', tap: 'tapa', mac: '52:54:00:00:00:0a', address: '192.0.2.2/24', priority: 150 },
  { name: 'rb', tap: 'tapb', mac: '52:54:00:00:00:0b', address: '192.0.2.3/24', priority: 100 },
] as const;
let lab: Lab | undefined;
const guests: Guest[] = [];

afterAll(async () => {
  for (const g of guests) await g.stop();
  if (lab) await labDown(lab.name);
});

/** The MAC address the host's neighbour table has for the gateway after a ping through it. */
async function gatewayAnswers(l: Lab): Promise<string | null> {
  const p = await l.exec('h1', ['ping', '-c', '1', '-W', '1', VIP], { allowFailure: true });
  if (p.code !== 0) return null;
  const n = await l.exec('h1', ['ip', 'neigh', 'show', VIP, 'dev', 'eth0']);
  return /lladdr (\S+)/.exec(n.stdout)?.[1] ?? null;
}

async function waitGatewayFrom(l: Lab, mac: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  let last: string | null = null;
  while (Date.now() - t0 < timeoutMs) {
    last = await gatewayAnswers(l);
    if (last === mac) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${VIP} did not answer from ${mac} in ${timeoutMs} ms (last: ${last})`);
}

async function vrrpState(g: Guest): Promise<string> {
  const r = await g.shell('tandem show vrrp');
  return /^eth0\s+10\s+(\S+)/m.exec(r.output)?.[1] ?? r.output;
}

describe('two appliance VMs as a VRRP pair', () => {
  it('the gateway address answers from the master VM, then from the other VM when the master stops', async () => {
    lab = await upTestLab({
      nodes: [
        { name: 'sw', kind: 'switch' },
        { name: 'h1', kind: 'host', routes: [] },
      ],
      links: [
        { a: { node: 'h1', ifname: 'eth0', addresses: ['192.0.2.100/24'] }, b: { node: 'sw', ifname: 'h1' } },
      ],
    });
    const l = lab;
    for (const r of routers) {
      await l.exec('sw', ['ip', 'tuntap', 'add', 'dev', r.tap, 'mode', 'tap']);
      await l.exec('sw', ['ip', 'link', 'set', r.tap, 'master', 'br0', 'up']);
    }
    // Both boot at once (TCG on two cores: generous waits).
    const booted = await Promise.all(
      routers.map((r) =>
        Guest.boot(
          [
            '-cdrom',
            iso,
            '-netdev',
            `tap,id=lan,ifname=${r.tap},script=no,downscript=no`,
            '-device',
            `virtio-net-pci,netdev=lan,mac=${r.mac}`,
          ],
          { wrap: (argv) => l.wrap('sw', argv) },
        ),
      ),
    );
    guests.push(...booted);
    await Promise.all(booted.map((g) => g.login().then(() => g.waitForTandemd())));
    for (const [i, r] of routers.entries()) {
      const g = booted[i]!;
      const lines = [
        `set system host-name ${r.name}`,
        `set interfaces ethernet eth0 address ${r.address}`,
        `set interfaces ethernet eth0 vrrp vrrp-group 10 virtual-address ${VIP}/24`,
        `set interfaces ethernet eth0 vrrp vrrp-group 10 priority ${r.priority}`,
        'commit',
      ];
      const c = await g.shell(`printf '${lines.join('\\n')}\\n' | tandem configure`, 120_000);
      expect(c.code, c.output).toBe(0);
    }
    const [a, b] = booted as [Guest, Guest];
    await waitGatewayFrom(l, routers[0].mac, 120_000);
    expect(await vrrpState(a)).toBe('MASTER');
    expect(await vrrpState(b)).toBe('BACKUP');

    // The master VM stops (power off, no goodbye): the backup takes the address over.
    await a.stop();
    await waitGatewayFrom(l, routers[1].mac, 120_000);
    expect(await vrrpState(b)).toBe('MASTER');
  });
});
