// Commit-time rules of VRRP (spec vrrp.md §2.5, VC-1…VC-25): every error and warning with the path
// of the node it concerns.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ConfigTree } from '../../config/tree.js';
import { ConfigPathError } from '../../errors.js';
import { isLinkLocalV6, notUnicastHost, parsePrefix } from '../../net/ipAddress.js';
import type { SystemFacts } from '../feature.js';
import { dhcpInterfaces, ethernetAddresses } from '../interfaces/apply.js';
import { type VrrpGroup, vrrpGroupsOf } from './groups.js';

export const SCRIPT_DIR = '/config/scripts';
/** The engine gates a sync group's members together; it holds at most this many. */
export const SYNC_GROUP_MAX = 64;

/** A bare script name means /config/scripts/<name> (spec §2.3 #19). */
export function scriptPath(script: string): string {
  return isAbsolute(script) ? script : join(SCRIPT_DIR, script);
}

export function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function validateVrrp(tree: ConfigTree, facts: SystemFacts): ConfigPathError[] {
  const problems: ConfigPathError[] = [];
  const addrs = ethernetAddresses(tree);
  const leased = dhcpInterfaces(tree);
  const groups = vrrpGroupsOf(tree);
  const vipOwners = new Map<string, VrrpGroup>();
  const syncMembers = new Map<string, VrrpGroup[]>();
  const rfcVrids = new Map<number, string[]>();

  for (const g of groups) {
    const at = (...words: string[]) => [
      'interfaces',
      'ethernet',
      g.interface,
      'vrrp',
      'vrrp-group',
      String(g.vrid),
      ...words,
    ];
    const error = (path: string[], detail: string) => problems.push(new ConfigPathError(path, detail));
    const warn = (path: string[], detail: string) =>
      problems.push(new ConfigPathError(path, detail, 'warning'));
    const parentAddrs = (addrs.get(g.interface) ?? [])
      .map((a) => parsePrefix(a))
      .filter((p) => p !== undefined);

    // VC-2, VC-13, VC-14: the VIPs.
    if (g.virtualAddresses.length > 20)
      error(at('virtual-address'), 'can not set more than 20 VIPs per group');
    const families = new Set(g.vips.map((v) => v.family));
    if (families.size > 1) {
      error(
        at('virtual-address'),
        'Cannot apply IPv4 and IPv6 addresses to a single VRRP group. Use single address family per group',
      );
    }
    if (families.has(6) && g.version !== 3)
      error(at('virtual-address'), 'IPv6 virtual addresses need version 3');
    if (families.has(6) && families.size === 1 && !g.vips.some(isLinkLocalV6)) {
      error(at('virtual-address'), 'VRRPv3 IPv6 groups must have at least one link-local virtual address');
    }
    for (const v of g.vips) {
      const why = notUnicastHost(v);
      if (why) error(at('virtual-address', v.address), `${v.address} ${why}`);
      const key = `${v.family}:${v.address}`;
      const other = vipOwners.get(key);
      if (other)
        error(at('virtual-address', v.address), `${v.address} is already a VIP of ${other.instance}`);
      vipOwners.set(key, g);
      for (const [ifname, list] of addrs) {
        const match = list.map((a) => parsePrefix(a)).find((p) => p?.address === v.address);
        if (!match) continue;
        if (ifname !== g.interface) {
          error(at('virtual-address', v.address), `${v.address} is an address of interface ${ifname}`);
        } else if (!g.owner) {
          error(
            at('virtual-address', v.address),
            `${v.address} is an address of ${ifname}: only the address owner (priority 255) may use it`,
          );
        } else if (v.length !== undefined && v.length !== match.length) {
          error(
            at('virtual-address', v.address),
            "address owner VIP must carry the interface's prefix length",
          );
        } else if (g.rfc3768) {
          error(
            at('rfc3768-compatibility'),
            'an owner whose VIP is an interface address cannot use rfc3768-compatibility',
          );
        }
      }
    }

    // VC-4, VC-6: authentication.
    const rawAuth = (authOf(tree, g) ?? {}) as { password?: string; type?: string };
    if (rawAuth.password !== undefined && rawAuth.type === undefined)
      error(at('authentication'), 'vrrp authentication type not set');
    if (rawAuth.type !== undefined && rawAuth.password === undefined)
      error(at('authentication'), 'vrrp authentication password not set');
    if (g.version === 3 && (rawAuth.type !== undefined || rawAuth.password !== undefined)) {
      error(at('authentication'), 'Cannot define authentication for version 3');
    }

    // VC-7, VC-8: the address owner.
    if (g.owner) {
      if (!g.preempt) error(at('preempt'), 'cannot define preempt if this is the address owner');
      if (g.helloSourceAddress)
        error(at('hello-source-address'), 'cannot define hello-source-address if this is the address owner');
      if (g.track.some((t) => t.weight))
        error(at('track'), 'the address owner cannot track with a weight (its priority is fixed at 255)');
      const layoutA =
        g.rfc3768 && !parentAddrs.some((p) => p.family === 4) && g.vips[0]?.length !== undefined;
      const layoutB = g.vips.some((v) => parentAddrs.some((p) => p.address === v.address));
      if (!layoutA && !layoutB) {
        warn(
          at('priority'),
          `priority 255 is reserved for the address owner; ${g.instance} will act as owner`,
        );
      }
    } else if (
      !g.helloSourceAddress &&
      g.family === 4 &&
      !parentAddrs.some((p) => p.family === 4) &&
      !leased.has(g.interface) // the lease's address is the primary (V-12)
    ) {
      // VC-10
      error(at(), `must configure either a primary address on [${g.interface}] or a hello-source-address`);
    }

    // VC-11: the hello source is one of this router's addresses.
    if (g.helloSourceAddress) {
      const holder = [...addrs].find(([, list]) =>
        list.some((a) => parsePrefix(a)?.address === parsePrefix(g.helloSourceAddress!)?.address),
      );
      if (!holder)
        error(
          at('hello-source-address'),
          `hello-source-address [${g.helloSourceAddress}] must be configured on the interface`,
        );
      else if (holder[0] !== g.interface)
        warn(at('hello-source-address'), `${g.helloSourceAddress} is not on ${g.interface}`);
    }

    // VC-12, VC-15, VC-16, VC-17, VC-18: options that depend on others.
    if (!g.preempt && g.preemptDelaySeconds > 0)
      warn(at('preempt-delay'), 'preempt delay is ignored when preempt=false');
    const raw = rawGroup(tree, g);
    if (raw['fast-advertise-interval'] !== undefined) {
      if (g.version !== 3)
        error(
          at('fast-advertise-interval'),
          'Fast-advertise-interval is allowed when version 3 is configured',
        );
      if (Number(raw['fast-advertise-interval']) % 10 !== 0) {
        error(at('fast-advertise-interval'), 'Fast-advertise-interval value is not a multiple of 10');
      }
    }
    if (g.accept && g.version !== 3) error(at('accept'), 'Accept mode is supported only for VRRPv3');
    if (g.v3Checksum !== 'auto' && (g.version !== 3 || g.family !== 4)) {
      error(at('v3-checksum'), 'v3-checksum applies to version 3 IPv4 groups only');
    }
    if (g.interfaceDescription && !g.rfc3768)
      error(at('interface', 'description'), 'needs rfc3768-compatibility');

    // VC-20: transition scripts.
    for (const [state, script] of Object.entries(g.scripts)) {
      if (script && !executable(scriptPath(script))) {
        error(at('run-transition-scripts', state), `${scriptPath(script)}: not found or not executable`);
      }
    }

    // VC-23: tracked interfaces exist; the parent exists (the interfaces feature reports it too).
    for (const t of g.track) {
      if (!facts.interfaces.has(t.ifname)) error(at('track', 'interface', t.ifname), 'Interface must exist.');
    }

    // VC-25: the VRRP interface name is free.
    if (
      g.vrrpInterface &&
      facts.interfaces.has(g.vrrpInterface) &&
      !facts.vrrpInterfaces?.has(g.vrrpInterface)
    ) {
      error(
        at('rfc3768-compatibility'),
        `the VRRP interface name ${g.vrrpInterface} is taken by another interface`,
      );
    }
    if (g.rfc3768) rfcVrids.set(g.vrid, [...(rfcVrids.get(g.vrid) ?? []), g.interface]);
    if (g.syncGroup) syncMembers.set(g.syncGroup, [...(syncMembers.get(g.syncGroup) ?? []), g]);
  }

  // VC-21, VC-24: warnings across groups.
  for (const [name, members] of syncMembers) {
    if (members.length > SYNC_GROUP_MAX) {
      const g = members[SYNC_GROUP_MAX]!;
      problems.push(
        new ConfigPathError(
          ['interfaces', 'ethernet', g.interface, 'vrrp', 'vrrp-group', String(g.vrid), 'sync-group'],
          `sync group ${name} has more than ${SYNC_GROUP_MAX} members`,
        ),
      );
    }
    if (members.length === 1) {
      const g = members[0]!;
      problems.push(
        new ConfigPathError(
          ['interfaces', 'ethernet', g.interface, 'vrrp', 'vrrp-group', String(g.vrid), 'sync-group'],
          `sync group ${name} has only 1 member`,
          'warning',
        ),
      );
    }
  }
  for (const [vrid, ifnames] of rfcVrids) {
    if (ifnames.length > 1) {
      problems.push(
        new ConfigPathError(
          ['interfaces', 'ethernet', ifnames[1]!, 'vrrp', 'vrrp-group', String(vrid)],
          `group ${vrid} uses the same virtual MAC on ${ifnames.join(' and ')}: switches with one MAC table across VLANs may be confused`,
          'warning',
        ),
      );
    }
  }
  return problems;
}

function rawGroup(tree: ConfigTree, g: VrrpGroup): Record<string, unknown> {
  const ethernet = (tree['interfaces'] as ConfigTree)['ethernet'] as ConfigTree;
  const vrrp = (ethernet[g.interface] as ConfigTree)['vrrp'] as ConfigTree;
  return (vrrp['vrrp-group'] as ConfigTree)[String(g.vrid)] as Record<string, unknown>;
}

function authOf(tree: ConfigTree, g: VrrpGroup): unknown {
  return rawGroup(tree, g)['authentication'];
}
