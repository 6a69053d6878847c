// VRRP variants end to end: RFC 3768 mode (virtual MAC on a VRRP interface) and VRRPv3 over IPv6.
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/lab/topology.js';
import { configure, tandem } from './support/tandemd.js';
import { dhcpServer } from './support/dhcpServer.js';
import { lanPairTopology, vrrpLabPerTest, vrrpStatus, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();

const topology = lanPairTopology({ ipv6: true });

const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';

describe('VRRP modes', () => {
  it('RFC 3768 mode: the master answers for the VIP with the virtual MAC, the backup keeps its VRRP interface down', async () => {
    const lab = await labs.up(topology);
    const lines = (prio: number) => [
      `${G} virtual-address 192.0.2.1/24`,
      `${G} priority ${prio}`,
      `${G} rfc3768-compatibility`,
    ];
    await labs.router('r1', lines(150));
    await labs.router('r2', lines(100));
    const s = await waitState(lab, 'r1', 'MASTER');
    await waitState(lab, 'r2', 'BACKUP');
    expect(s.groups[0]).toMatchObject({
      rfc3768Compatibility: true,
      vrrpInterface: 'eth1v10',
      virtualMac: '00:00:5e:00:01:0a',
    });
    const link = (node: string) =>
      lab.exec(node, ['ip', '-j', 'link', 'show', 'eth1v10']).then((r) => JSON.parse(r.stdout)[0]);
    expect((await link('r1')).address).toBe('00:00:5e:00:01:0a');
    expect((await link('r1')).flags).toContain('UP');
    expect((await link('r2')).flags).not.toContain('UP');
    // h1 reaches the VIP and learns the virtual MAC for it.
    expect(
      (await lab.exec('h1', ['ping', '-c', '2', '-W', '1', '192.0.2.1'], { allowFailure: true })).code,
    ).toBe(0);
    const neigh = await lab.exec('h1', ['ip', 'neigh', 'show', '192.0.2.1']);
    expect(neigh.stdout).toContain('lladdr 00:00:5e:00:01:0a');
    // show interfaces vrrp: the master's VRRP interface carries the VIP, the backup's is admin down.
    const shown = await tandem(lab, 'r1', ['show', 'interfaces', 'vrrp']);
    expect(shown.stdout).toMatch(/^eth1v10\s+192\.0\.2\.1\/24\s+u\/u$/m);
    expect((await tandem(lab, 'r2', ['show', 'interfaces', 'vrrp'])).stdout).toMatch(/^eth1v10\s+A\/D$/m);
    const detail = (await tandem(lab, 'r1', ['show', 'interfaces', 'vrrp', 'eth1v10'])).stdout;
    expect(detail).toContain('link/ether 00:00:5e:00:01:0a');
    expect(detail).toContain('VRRP: group 10 on eth1, state MASTER');
  });

  it('VRRPv3 over IPv6: elects with a link-local VIP first and serves the global VIP', async () => {
    const lab = await labs.up(topology);
    const lines = (prio: number) => [
      `${G} virtual-address fe80::1`,
      `${G} virtual-address 2001:db8:1::1/64`,
      `${G} version 3`,
      `${G} priority ${prio}`,
    ];
    await labs.router('r1', lines(150));
    await labs.router('r2', lines(100));
    const s = await waitState(lab, 'r1', 'MASTER');
    const b = await waitState(lab, 'r2', 'BACKUP');
    expect(s.groups[0]!.family).toBe('ipv6');
    expect(b.groups[0]!.master?.priority).toBe(150);
    expect(b.groups[0]!.counters.advertisementsReceived).toBeGreaterThanOrEqual(1);
    expect((await lab.exec('r1', ['ip', '-6', 'addr', 'show', 'dev', 'eth1'])).stdout).toContain(
      '2001:db8:1::1/64',
    );
    expect((await lab.exec('r2', ['ip', '-6', 'addr', 'show', 'dev', 'eth1'])).stdout).not.toContain(
      '2001:db8:1::1/64',
    );
    expect(
      (await lab.exec('h1', ['ping', '-6', '-c', '2', '-W', '1', '2001:db8:1::1'], { allowFailure: true }))
        .code,
    ).toBe(0);
  });

  it('an address owner (layout a: RFC mode, no address on the parent) is master at once and wins (S-5)', async () => {
    const ownerTopology: Topology = {
      ...topology,
      links: topology.links.map((l) => (l.a.node === 'r1' ? { ...l, a: { node: 'r1', ifname: 'eth1' } } : l)),
    };
    const lab = await labs.up(ownerTopology);
    await labs.router('r2', [`${G} virtual-address 192.0.2.254/24`, `${G} rfc3768-compatibility`]);
    await waitState(lab, 'r2', 'MASTER');
    await labs.router('r1', [
      `${G} virtual-address 192.0.2.254/24`,
      `${G} rfc3768-compatibility`,
      `${G} priority 255`,
    ]);
    const s = await waitState(lab, 'r1', 'MASTER');
    expect(s.groups[0]).toMatchObject({
      addressOwner: true,
      sourceAddress: '192.0.2.254',
      effectivePriority: 255,
    });
    await waitState(lab, 'r2', 'BACKUP');
    expect((await tandem(lab, 'r1', ['show', 'interfaces', 'vrrp'])).stdout).toMatch(
      /^eth1v10\s+192\.0\.2\.254\/24\s+u\/u$/m,
    );
    const refused = await configure(lab, 'r1', [`set ${G} preempt false`, 'commit']);
    expect(refused.stderr).toContain(`${G} preempt: cannot define preempt if this is the address owner`);
  });
  it('a parent that leases its address by DHCP sources the adverts from the lease, and follows a new one (V-12)', async () => {
    const dhcpTopology: Topology = {
      ...topology,
      links: topology.links.map((l) => (l.a.node === 'r1' ? { ...l, a: { node: 'r1', ifname: 'eth1' } } : l)),
    };
    const lab = await labs.up(dhcpTopology);
    const dhcp = dhcpServer(lab, labs, 'h1');
    const serve = (address: string) => dhcp(address, ['subnet 255.255.255.0']);
    await serve('192.0.2.2');
    await labs.router('r2', [`${G} virtual-address 192.0.2.254/24`, `${G} priority 200`]);
    await waitState(lab, 'r2', 'MASTER');
    await labs.router('r1', ['interfaces ethernet eth1 address dhcp', `${G} virtual-address 192.0.2.254/24`]);
    const source = async () => (await vrrpStatus(lab, 'r1')).groups[0];
    /** Polls until the group is BACKUP with source `want` (it is in FAULT while it has none). */
    const poll = async (want: string) => {
      for (let i = 0; i < 100; i++) {
        const g = await source();
        if (g?.sourceAddress === want && g.state === 'BACKUP') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return (await source()) ?? (await vrrpStatus(lab, 'r1'));
    };
    expect(await poll('192.0.2.2')).toMatchObject({ state: 'BACKUP', sourceAddress: '192.0.2.2' });

    // The next lease brings another address: the group's source follows it, logged.
    await serve('192.0.2.20');
    const pid = Number((await lab.exec('r1', ['cat', `${lab.dir('r1')}/state/dhcp/eth1.pid`])).stdout);
    await lab.exec('r1', ['kill', '-USR1', String(pid)]);
    expect(await poll('192.0.2.20')).toMatchObject({ state: 'BACKUP', sourceAddress: '192.0.2.20' });
    expect((await tandem(lab, 'r1', ['show', 'log', 'vrrp'])).stdout).toContain(
      'Netlink reflector reports IP 192.0.2.20 added',
    );
    // r2 dies: r1 takes over from its leased address and h1 reaches the VIP.
    await lab.kill('r2');
    await waitState(lab, 'r1', 'MASTER');
    await lab.exec('h1', ['ping', '-c', '1', '-W', '2', '192.0.2.254']);
  });
});
