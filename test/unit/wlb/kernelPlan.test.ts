import { describe, expect, it } from 'vitest';
import { inboundIfindexes, inboundMatches } from '../../../src/features/wlb/inbound.js';
import { wlbNftScript } from '../../../src/features/wlb/nftRules.js';
import { MAX_SLOTS, allocateSlots, slotInfo } from '../../../src/features/wlb/slots.js';

describe('WLB slots (W-42, W-72)', () => {
  it('maps a slot to its mark, table and rule priority', () => {
    expect(slotInfo(0)).toEqual({ slot: 0, mark: 0xc9, table: 201, priority: 1000 });
    expect(slotInfo(54)).toEqual({ slot: 54, mark: 0xff, table: 255, priority: 1054 });
  });

  it('keeps the slots of interfaces that stay and gives new ones the lowest free slot', () => {
    const first = allocateSlots(new Map(), ['eth0', 'eth1', 'eth2']);
    expect([...first]).toEqual([
      ['eth0', 0],
      ['eth1', 1],
      ['eth2', 2],
    ]);
    const second = allocateSlots(first, ['eth2', 'eth5']);
    expect(second.get('eth2')).toBe(2);
    expect(second.get('eth5')).toBe(0);
  });

  it('refuses a 56th interface', () => {
    const names = Array.from({ length: MAX_SLOTS + 1 }, (_, i) => `eth${i}`);
    expect(() => allocateSlots(new Map(), names)).toThrow(/at most 55/);
  });
});

describe('inbound-interface wildcards (W-11)', () => {
  it('matches a name exactly and a prefix with + or *', () => {
    expect(inboundMatches('eth3', 'eth3')).toBe(true);
    expect(inboundMatches('eth3', 'eth30')).toBe(false);
    expect(inboundMatches('eth+', 'eth3.100')).toBe(true);
    expect(inboundMatches('eth*', 'eth0')).toBe(true);
    expect(inboundMatches('eth+', 'veth0')).toBe(false);
  });

  it('resolves to the ifindexes present, never loopback', () => {
    const present = new Map([
      ['lo', 1],
      ['eth4', 7],
      ['eth3', 5],
      ['wan0', 9],
    ]);
    expect(inboundIfindexes('eth+', present)).toEqual([5, 7]);
    expect(inboundIfindexes('+', present)).toEqual([5, 7, 9]);
    expect(inboundIfindexes('eth9', present)).toEqual([]);
  });
});

describe('WLB nftables script (§4.15)', () => {
  const uplinks = [
    { ifname: 'eth0', mark: 0xc9 },
    { ifname: 'eth1', mark: 0xca },
  ];

  it('replaces the table in one transaction and hands the first packet mark to the connection', () => {
    const s = wlbNftScript(uplinks, true);
    expect(s.indexOf('delete table ip tandem_wlb')).toBeLessThan(s.indexOf('table ip tandem_wlb {'));
    expect(s).toContain('ct state new meta mark and 0xff >= 0xc9 ct mark set meta mark and 0xff');
    expect(s).toContain('priority srcnat - 1');
  });

  it('masquerades each uplink by its mark and interface, and not at all with disable-source-nat', () => {
    expect(wlbNftScript(uplinks, true)).toContain('ct mark and 0xff == 0xca oifname "eth1" masquerade');
    expect(wlbNftScript(uplinks, false)).not.toContain('masquerade');
  });
});
