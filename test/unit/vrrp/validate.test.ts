import { describe, expect, it } from 'vitest';
import { setPath } from '../../../src/config/edit.js';
import { SchemaRegistry } from '../../../src/config/registry.js';
import { type ConfigTree, withDefaults } from '../../../src/config/tree.js';
import { validateTree } from '../../../src/config/validate.js';
import { splitWords } from '../../../src/config/pathWords.js';
import { registerInterfacesSchema } from '../../../src/features/interfaces/schema.js';
import { vrrpGroupsOf, vrrpInterfaceName } from '../../../src/features/vrrp/groups.js';
import { registerVrrpSchema } from '../../../src/features/vrrp/schema.js';
import { validateVrrp } from '../../../src/features/vrrp/validate.js';

const registry = new SchemaRegistry();
registerInterfacesSchema(registry);
registerVrrpSchema(registry);
const facts = { interfaces: new Set(['eth0', 'eth1', 'eth2']) };
const G = 'interfaces ethernet eth1 vrrp vrrp-group 10';

function tree(...lines: string[]): ConfigTree {
  let t: ConfigTree = {};
  for (const l of ['interfaces ethernet eth1 address 192.0.2.2/24', ...lines])
    t = setPath(t, registry, splitWords(l));
  return t;
}

/** Schema errors first (as the commit engine does), then the VRRP rules, as "path: message" / "warning: …". */
function problems(t: ConfigTree): string[] {
  const schema = validateTree(t, registry);
  if (schema.length) return schema.map((e) => e.message);
  return validateVrrp(withDefaults(t, registry), facts).map((e) =>
    e.severity === 'warning' ? `warning: ${e.message}` : e.message,
  );
}

describe('VRRP validation', () => {
  it('accepts the guide-style group and derives its record', () => {
    const t = tree(`${G} virtual-address 192.0.2.1/24`, `${G} priority 150`, `${G} rfc3768-compatibility`);
    expect(problems(t)).toEqual([]);
    const [g] = vrrpGroupsOf(withDefaults(t, registry));
    expect(g).toMatchObject({
      instance: 'eth1-10',
      priority: 150,
      preempt: true,
      intervalMs: 1000,
      version: 2,
      family: 4,
      vrrpInterface: 'eth1v10',
      owner: false,
    });
  });

  it('requires a virtual address and rejects a group-id out of range', () => {
    expect(problems(tree(`${G} priority 150`)).join('\n')).toMatch(/virtual-address/);
    expect(() => tree('interfaces ethernet eth1 vrrp vrrp-group 300 priority 1')).toThrow(/must be 1-255/);
  });

  it('checks authentication pairs and refuses it on version 3', () => {
    expect(problems(tree(`${G} virtual-address 192.0.2.1`, `${G} authentication password secret`))).toEqual([
      `${G} authentication: vrrp authentication type not set`,
    ]);
    expect(
      problems(
        tree(
          `${G} virtual-address 192.0.2.1`,
          `${G} version 3`,
          `${G} authentication password x`,
          `${G} authentication type ah`,
        ),
      ),
    ).toEqual([`${G} authentication: Cannot define authentication for version 3`]);
    expect(() => tree(`${G} authentication password toolongpw`)).toThrow(/1-8 printable/);
  });

  it('enforces the address owner rules', () => {
    expect(
      problems(tree(`${G} virtual-address 192.0.2.2/24`, `${G} priority 255`, `${G} preempt false`)),
    ).toEqual([`${G} preempt: cannot define preempt if this is the address owner`]);
    expect(problems(tree(`${G} virtual-address 192.0.2.2/24`, `${G} priority 255`))).toEqual([]);
    expect(problems(tree(`${G} virtual-address 192.0.2.2/25`, `${G} priority 255`))).toEqual([
      `${G} virtual-address 192.0.2.2: address owner VIP must carry the interface's prefix length`,
    ]);
    expect(problems(tree(`${G} virtual-address 192.0.2.9`, `${G} priority 255`))).toEqual([
      `warning: ${G} priority: priority 255 is reserved for the address owner; eth1-10 will act as owner`,
    ]);
    expect(problems(tree(`${G} virtual-address 192.0.2.2`))).toEqual([
      `${G} virtual-address 192.0.2.2: 192.0.2.2 is an address of eth1: only the address owner (priority 255) may use it`,
    ]);
  });

  it('rejects VIPs that are not unicast hosts or are used elsewhere', () => {
    expect(problems(tree(`${G} virtual-address 224.0.0.5`))).toEqual([
      `${G} virtual-address 224.0.0.5: 224.0.0.5 is a multicast address`,
    ]);
    expect(problems(tree(`${G} virtual-address 192.0.2.0/24`))).toEqual([
      `${G} virtual-address 192.0.2.0: 192.0.2.0 is the network address of its /24`,
    ]);
    const t = tree(
      `${G} virtual-address 192.0.2.1`,
      'interfaces ethernet eth1 vrrp vrrp-group 20 virtual-address 192.0.2.1',
    );
    expect(problems(t)).toEqual([
      'interfaces ethernet eth1 vrrp vrrp-group 20 virtual-address 192.0.2.1: 192.0.2.1 is already a VIP of eth1-10',
    ]);
  });

  it('keeps one address family per group and needs a link-local VIP for IPv6', () => {
    expect(
      problems(tree(`${G} virtual-address 192.0.2.1`, `${G} virtual-address 2001:db8::1`, `${G} version 3`)),
    ).toContain(
      `${G} virtual-address: Cannot apply IPv4 and IPv6 addresses to a single VRRP group. Use single address family per group`,
    );
    expect(problems(tree(`${G} virtual-address 2001:db8::1`, `${G} version 3`))).toEqual([
      `${G} virtual-address: VRRPv3 IPv6 groups must have at least one link-local virtual address`,
    ]);
    expect(problems(tree(`${G} virtual-address fe80::1`, `${G} virtual-address 2001:db8::1`))).toEqual([
      `${G} virtual-address: IPv6 virtual addresses need version 3`,
    ]);
    expect(
      problems(tree(`${G} virtual-address fe80::1`, `${G} virtual-address 2001:db8::1`, `${G} version 3`)),
    ).toEqual([]);
  });

  it('limits version-3 options to version 3', () => {
    expect(problems(tree(`${G} virtual-address 192.0.2.1`, `${G} fast-advertise-interval 500`))).toEqual([
      `${G} fast-advertise-interval: Fast-advertise-interval is allowed when version 3 is configured`,
    ]);
    expect(
      problems(tree(`${G} virtual-address 192.0.2.1`, `${G} version 3`, `${G} fast-advertise-interval 505`)),
    ).toEqual([`${G} fast-advertise-interval: Fast-advertise-interval value is not a multiple of 10`]);
    expect(problems(tree(`${G} virtual-address 192.0.2.1`, `${G} accept true`))).toEqual([
      `${G} accept: Accept mode is supported only for VRRPv3`,
    ]);
    const v3 = vrrpGroupsOf(
      withDefaults(
        tree(`${G} virtual-address 192.0.2.1`, `${G} version 3`, `${G} fast-advertise-interval 100`),
        registry,
      ),
    );
    expect(v3[0]!.intervalMs).toBe(100);
  });

  it('needs a source address and checks tracked interfaces and scripts', () => {
    let t: ConfigTree = setPath({}, registry, splitWords(`${G} virtual-address 192.0.2.1`));
    expect(problems(t)).toEqual([
      `${G}: must configure either a primary address on [eth1] or a hello-source-address`,
    ]);
    t = tree(
      `${G} virtual-address 192.0.2.1`,
      `${G} track interface eth9`,
      `${G} run-transition-scripts master nope.sh`,
    );
    expect(problems(t)).toEqual([
      `${G} run-transition-scripts master: /config/scripts/nope.sh: not found or not executable`,
      `${G} track interface eth9: Interface must exist.`,
    ]);
  });

  it('warns about a lonely sync group and an ignored preempt delay', () => {
    expect(
      problems(
        tree(
          `${G} virtual-address 192.0.2.1`,
          `${G} sync-group S`,
          `${G} preempt false`,
          `${G} preempt-delay 5`,
        ),
      ),
    ).toEqual([
      `warning: ${G} preempt-delay: preempt delay is ignored when preempt=false`,
      `warning: ${G} sync-group: sync group S has only 1 member`,
    ]);
  });

  it('names VRRP interfaces and shortens long ones', () => {
    expect(vrrpInterfaceName('eth0', 99)).toBe('eth0v99');
    expect(vrrpInterfaceName('eth0.15', 99)).toBe('eth0.15v99');
    expect(vrrpInterfaceName('enp3s0f1.1000', 100)).toMatch(/^vrrp[0-9a-f]{8}$/);
  });
});
