import { describe, expect, it } from 'vitest';
import { setPath } from '../../../src/config/edit.js';
import { splitWords } from '../../../src/config/pathWords.js';
import { type ConfigTree, withDefaults } from '../../../src/config/tree.js';
import { buildRegistry } from '../../../src/daemon/features.js';
import {
  engineConfigOf,
  followsKernelAddress,
  primaryAddress,
} from '../../../src/features/vrrp/engineConfig.js';
import { vrrpGroupsOf } from '../../../src/features/vrrp/groups.js';

const registry = buildRegistry();
const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';

function group(...lines: string[]) {
  let t: ConfigTree = {};
  for (const l of lines) t = setPath(t, registry, splitWords(l));
  return vrrpGroupsOf(withDefaults(t, registry))[0]!;
}

const noLinkLocal = () => undefined;

describe('VRRP engine configuration', () => {
  it('converts intervals to wire units: v2 seconds, v3 centiseconds', () => {
    expect(
      engineConfigOf(group(`${G} virtual-address 192.0.2.1`, `${G} advertise-interval 3`), '192.0.2.2')
        .interval,
    ).toBe(3);
    const v3 = group(`${G} virtual-address 192.0.2.1`, `${G} version 3`, `${G} fast-advertise-interval 250`);
    expect(engineConfigOf(v3, '192.0.2.2')).toMatchObject({ version: 3, interval: 25 });
  });

  it('maps authentication, checksum mode, tracking weights and VIP prefixes', () => {
    const g = group(
      `${G} virtual-address 192.0.2.1/24`,
      `${G} virtual-address 192.0.2.9`,
      `${G} authentication type ah`,
      `${G} authentication password s3cret`,
      `${G} track interface eth2 weight type decrement`,
      `${G} track interface eth2 weight value 20`,
      `${G} track interface eth3`,
    );
    const c = engineConfigOf(g, '192.0.2.2');
    expect(c).toMatchObject({ authType: 2, password: 's3cret', v3Checksum: 0 });
    expect(c.vips.map((v) => [Array.from(v.address).join('.'), v.prefix])).toEqual([
      ['192.0.2.1', 24],
      ['192.0.2.9', 32],
    ]);
    expect(c.track).toEqual([
      { ifname: 'eth2', weight: -20 },
      { ifname: 'eth3', weight: 0 },
    ]);
    expect(Array.from(c.primary!)).toEqual([192, 0, 2, 2]);
  });

  it('resolves the primary address per V-12', () => {
    const g = group(`${G} virtual-address 192.0.2.1`);
    expect(primaryAddress(g, ['2001:db8::2/64', '192.0.2.2/24', '192.0.2.5/24'], noLinkLocal)).toBe(
      '192.0.2.2',
    );
    expect(primaryAddress(g, [], noLinkLocal)).toBeUndefined(); // → FAULT no source address
    // A parent without a configured IPv4 address (address dhcp): the kernel's, and it is followed.
    expect(primaryAddress(g, [], noLinkLocal, () => ['198.51.100.7'])).toBe('198.51.100.7');
    expect(primaryAddress(g, ['192.0.2.2/24'], noLinkLocal, () => ['198.51.100.7'])).toBe('192.0.2.2');
    expect(followsKernelAddress(g, [])).toBe(true);
    expect(followsKernelAddress(g, ['192.0.2.2/24'])).toBe(false);
    const hello = group(`${G} virtual-address 192.0.2.1`, `${G} hello-source-address 192.0.2.7`);
    expect(primaryAddress(hello, ['192.0.2.2/24'], noLinkLocal)).toBe('192.0.2.7');
    const owner = group(
      `${G} virtual-address 192.0.2.1/24`,
      `${G} priority 255`,
      `${G} rfc3768-compatibility`,
    );
    expect(primaryAddress(owner, [], noLinkLocal)).toBe('192.0.2.1');
    const v6 = group(`${G} virtual-address fe80::1`, `${G} version 3`);
    expect(primaryAddress(v6, ['192.0.2.2/24'], () => 'fe80::a:b')).toBe('fe80::a:b');
    expect(engineConfigOf(v6, undefined).primary).toBeNull();
  });
});
