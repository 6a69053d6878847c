// Interoperability of tandemd's VRRP with the two reference implementations on one LAN:
// keepalived (VRRPv2 and v3) and FRR's vrrpd (v3). Whichever side has the higher priority is
// master, and the group fails over both ways.
import { describe, expect, it } from 'vitest';
import { frrVrrpStatus, spawnFrrVrrp } from '../../src/lab/frr.js';
import { keepalivedInstance, spawnKeepalived } from '../../src/lab/keepalived.js';
import type { Lab } from '../../src/lab/lab.js';
import { hasAddress, lanPairTopology, ping, vrrpLabPerTest, vrrpStatus, waitState } from './support/vrrp.js';

const labs = vrrpLabPerTest();

const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';
const VIP = '192.0.2.1';

/** Polls `cond` every 100 ms; a 20 s hang guard, not a timing goal. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

/** tandemd's group: VRRPv2 at 1 s, or VRRPv3 at 100 ms. */
const tandemLines = (version: 2 | 3, priority: number) => [
  `${G} virtual-address ${VIP}/24`,
  `${G} priority ${priority}`,
  ...(version === 3 ? [`${G} version 3`, `${G} fast-advertise-interval 100`] : []),
];

describe('VRRP interoperability', () => {
  it.each([2, 3] as const)(
    'keepalived, VRRPv%i: elects across implementations and hands over both ways',
    async (version) => {
      const lab = await labs.up(lanPairTopology());
      const instance = keepalivedInstance({
        name: 'LAN',
        ifname: 'eth1',
        vrid: 10,
        priority: 100,
        advertInt: version === 3 ? 0.1 : 1,
        vips: [`${VIP}/24`],
      });
      const globals = version === 3 ? 'global_defs {\n  vrrp_version 3\n}\n' : '';
      labs.track(await spawnKeepalived(lab, 'r2', globals + instance));
      const r1 = await labs.router('r1', tandemLines(version, 150));
      await waitState(lab, 'r1', 'MASTER');
      // keepalived (priority 100) accepts tandemd's adverts and stays backup.
      await new Promise((r) => setTimeout(r, 4500));
      expect(await hasAddress(lab, 'r2', 'eth1', VIP)).toBe(false);
      expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('MASTER');

      // tandemd leaves: keepalived takes the VIP.
      await r1.stop();
      labs.forget(r1);
      await until('keepalived holds the VIP', () => hasAddress(lab, 'r2', 'eth1', VIP));

      // tandemd returns with the higher priority: it hears keepalived, then preempts it.
      await labs.router('r1', tandemLines(version, 150));
      const s = await waitState(lab, 'r1', 'MASTER');
      expect(s.groups[0]!.counters.advertisementsReceived).toBeGreaterThanOrEqual(1);
      expect(
        s.groups[0]!.counters.lengthErrors +
          s.groups[0]!.counters.checksumErrors +
          s.groups[0]!.counters.addressListErrors,
      ).toBe(0);
      await until('keepalived released the VIP', async () => !(await hasAddress(lab, 'r2', 'eth1', VIP)));
      expect(await ping(lab, 'h1', VIP)).toBe(0);
    },
  );

  // Per family: the group's addresses (VRRPv3 over IPv6 starts its list with a link-local one)
  // and the address h1 pings.
  const families = {
    ipv4: { vips: [`${VIP}/24`], target: VIP, vmac: '00:00:5e:00:01:0a' },
    ipv6: { vips: ['fe80::1/64', '2001:db8:1::1/64'], target: '2001:db8:1::1', vmac: '00:00:5e:00:02:0a' },
  } as const;
  type Family = keyof typeof families;

  const frrGroup = (family: Family, priority: number) => ({
    ifname: 'eth1',
    vrid: 10,
    priority,
    version: 3 as const,
    advertMs: 100,
    [family]: [...families[family].vips],
  });
  const frrState = async (lab: Lab, family: Family) => {
    const g = (await frrVrrpStatus(lab, 'r2'))[0];
    return family === 'ipv4' ? g?.v4 : g?.v6;
  };
  const tandemV3 = (family: Family, priority: number) => [
    ...families[family].vips.map(
      (a) => `${G} virtual-address ${family === 'ipv6' && a.startsWith('fe80') ? a.replace(/\/64$/, '') : a}`,
    ),
    `${G} priority ${priority}`,
    `${G} version 3`,
    `${G} fast-advertise-interval 100`,
  ];

  it.each(['ipv4', 'ipv6'] as const)(
    'FRR vrrpd, VRRPv3 over %s: tandemd preferred — FRR backs up, takes over when tandemd leaves, yields when it returns',
    async (family) => {
      const { target, vmac } = families[family];
      const lab = await labs.up(lanPairTopology({ ipv6: family === 'ipv6' }));
      const r1 = await labs.router('r1', tandemV3(family, 150));
      await waitState(lab, 'r1', 'MASTER');
      for (const p of await spawnFrrVrrp(lab, 'r2', frrGroup(family, 100))) labs.track(p);
      await until('FRR is backup', async () => (await frrState(lab, family))?.status === 'Backup');
      await new Promise((r) => setTimeout(r, 2000));
      const backup = (await frrState(lab, family))!;
      expect(backup.status).toBe('Backup'); // FRR accepts tandemd's adverts, never contends
      expect(backup.stats.adverRx).toBeGreaterThanOrEqual(10);
      expect((await vrrpStatus(lab, 'r1')).groups[0]!.state).toBe('MASTER');
      expect(await ping(lab, 'h1', target)).toBe(0);

      // tandemd stops (priority 0 on the way out): FRR is master; h1 reaches the VIP through it.
      await r1.stop();
      labs.forget(r1);
      await until('FRR is master', async () => (await frrState(lab, family))?.status === 'Master');
      expect(await ping(lab, 'h1', target)).toBe(0);
      expect((await lab.exec('h1', ['ip', 'neigh', 'show', target])).stdout).toContain(vmac);

      // tandemd returns above FRR: it hears FRR's adverts, preempts, and FRR backs up again.
      await labs.router('r1', tandemV3(family, 150));
      const s = await waitState(lab, 'r1', 'MASTER');
      const c = s.groups[0]!.counters;
      expect(c.advertisementsReceived).toBeGreaterThanOrEqual(1);
      expect(c.lengthErrors + c.checksumErrors + c.addressListErrors).toBe(0);
      await until('FRR is backup again', async () => (await frrState(lab, family))?.status === 'Backup');
      expect(await ping(lab, 'h1', target)).toBe(0);
    },
  );

  it.each(['ipv4', 'ipv6'] as const)(
    'FRR vrrpd, VRRPv3 over %s: FRR preferred — tandemd backs up, takes over on FRR’s power loss',
    async (family) => {
      const { vips, target } = families[family];
      const lab = await labs.up(lanPairTopology({ ipv6: family === 'ipv6' }));
      for (const p of await spawnFrrVrrp(lab, 'r2', frrGroup(family, 200))) labs.track(p);
      await until('FRR is master', async () => (await frrState(lab, family))?.status === 'Master');
      await labs.router('r1', tandemV3(family, 100));
      await waitState(lab, 'r1', 'BACKUP');
      await new Promise((r) => setTimeout(r, 2000));
      const g = (await vrrpStatus(lab, 'r1')).groups[0]!;
      expect(g.state).toBe('BACKUP');
      expect(g.master?.priority).toBe(200);
      expect(g.counters.advertisementsReceived).toBeGreaterThanOrEqual(10);
      expect(g.counters.addressListErrors).toBe(0);
      expect(g.counters.becameMaster).toBe(0);
      const global = vips[vips.length - 1]!.replace(/\/\d+$/, '');
      expect(await hasAddress(lab, 'r1', 'eth1', global)).toBe(false);

      await lab.kill('r2'); // power loss: FRR sends nothing more
      await waitState(lab, 'r1', 'MASTER');
      expect(await hasAddress(lab, 'r1', 'eth1', global)).toBe(true);
      expect(await ping(lab, 'h1', target)).toBe(0);
    },
  );
});
