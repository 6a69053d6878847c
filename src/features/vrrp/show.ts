// Human layouts of the `show vrrp` family (spec vrrp.md §3.2-3.7), from the status JSON.
import { atColumns } from '../../cli/table.js';
import type { VrrpGroupStatus, VrrpStatus } from './status.js';

export const NOT_RUNNING = 'VRRP is not running';

/** Elapsed time as the guide prints it: `51s`, `2m18s`, `2h11m27s`, `3d4h0m9s`. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const units: [string, number][] = [
    ['d', Math.floor(s / 86400)],
    ['h', Math.floor(s / 3600) % 24],
    ['m', Math.floor(s / 60) % 60],
    ['s', s % 60],
  ];
  const first = units.findIndex(([, v]) => v > 0);
  if (first < 0) return '0s';
  return units
    .slice(first)
    .map(([u, v]) => `${v}${u}`)
    .join('');
}

const COLS = [0, 18, 25, 33, 44, 51, 63];

/** `show vrrp`: one line per group (§3.2). */
export function renderVrrpSummary(status: VrrpStatus): string {
  if (!status.groups.length) return NOT_RUNNING;
  const row = (cells: string[]) => atColumns(cells.map((c, i) => [COLS[i]!, c]));
  return [
    '',
    row(['', '', '', 'RFC', 'Addr', 'Last', 'Sync']),
    row(['Interface', 'Group', 'State', 'Compliant', 'Owner', 'Transition', 'Group']),
    row(['---------', '-----', '-----', '---------', '-----', '----------', '-----']),
    ...status.groups.map((g) =>
      row([
        g.interface,
        String(g.group),
        g.state,
        g.rfc3768Compatibility ? 'yes' : 'no',
        g.addressOwner ? 'yes' : 'no',
        formatElapsed(g.lastTransitionSeconds),
        g.syncGroup ?? '<none>',
      ]),
    ),
    '',
  ].join('\n');
}

const RULE = '-'.repeat(50);
const field = (label: string, value: string | number, indent = 2) =>
  `${' '.repeat(indent)}${`${label}:`.padEnd(32 - indent)}${value}`;

function intervalText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} sec` : `${ms} msec`;
}

function hostPrefix(vip: string, family: 'ipv4' | 'ipv6'): string {
  return vip.includes('/') ? vip : `${vip}/${family === 'ipv4' ? 32 : 128}`;
}

/** Groups per interface, in the order given, each interface once. */
function byInterface(groups: VrrpGroupStatus[]): [string, VrrpGroupStatus[]][] {
  const out = new Map<string, VrrpGroupStatus[]>();
  for (const g of groups) out.set(g.interface, [...(out.get(g.interface) ?? []), g]);
  return [...out];
}

/** `show vrrp detail` / `show vrrp interface <if> [group <id>]` (§3.3). */
export function renderVrrpDetail(groups: VrrpGroupStatus[]): string {
  const lines: string[] = [];
  for (const [ifname, list] of byInterface(groups)) {
    lines.push(RULE, `Interface: ${ifname}`, '--------------');
    for (const g of list) {
      lines.push(`  Group: ${g.group}`, '  ----------', field('State', g.state));
      lines.push(field('Last transition', formatElapsed(g.lastTransitionSeconds)), '');
      if (g.state === 'BACKUP' && g.master) {
        lines.push(field('Master router', g.master.address), field('Master priority', g.master.priority), '');
      }
      if (g.rfc3768Compatibility)
        lines.push('  RFC 3768 Compliant', field('Virtual MAC interface', g.vrrpInterface ?? ''));
      lines.push(field('Address Owner', g.addressOwner ? 'yes' : 'no'), '');
      lines.push(field('Source Address', g.sourceAddress ?? '(none)'));
      if (g.version === 3) lines.push(field('Version', 3));
      lines.push(field('Priority', g.priority));
      if (g.effectivePriority !== g.priority) lines.push(field('Effective priority', g.effectivePriority));
      lines.push(field('Advertisement interval', intervalText(g.advertisementIntervalMs)));
      if (g.version === 2) lines.push(field('Authentication type', g.authenticationType));
      lines.push(field('Preempt', g.preempt ? 'enabled' : 'disabled'));
      if (g.preemptDelaySeconds > 0) lines.push(field('Preempt delay', `${g.preemptDelaySeconds} sec`));
      if (g.startDelaySeconds > 0) lines.push(field('Start delay', `${g.startDelaySeconds} sec`));
      if (g.version === 3) lines.push(field('Accept', g.accept ? 'enabled' : 'disabled'));
      lines.push('');
      if (g.syncGroup) lines.push(field('Sync-group', g.syncGroup), '');
      if (g.track.length) {
        lines.push(field('Tracked interfaces count', g.track.length));
        for (const t of g.track) {
          const w = t.weight ? `weight ${t.weight.type} ${t.weight.value}` : 'fault on down';
          lines.push(`    ${t.interface.padEnd(6)} state ${t.state.padEnd(7)} ${w}`);
        }
        lines.push('');
      }
      lines.push(field('VIP count', g.virtualAddresses.length));
      for (const v of g.virtualAddresses) lines.push(`    ${hostPrefix(v, g.family)}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

/** `show vrrp statistics` (§3.6); interface counters follow when one interface is asked for. */
export function renderVrrpStatistics(status: VrrpStatus, withInterfaceCounters: boolean): string {
  const lines: string[] = [];
  const f = (label: string, value: number) => field(label, value, 4);
  for (const [ifname, list] of byInterface(status.groups)) {
    lines.push(RULE, `Interface: ${ifname}`, '--------------');
    for (const g of list) {
      const c = g.counters;
      lines.push(
        `  Group: ${g.group}`,
        '  ----------',
        '  Advertisements:',
        f('Received', c.advertisementsReceived),
        f('Sent', c.advertisementsSent),
        '',
        field('Became master', c.becameMaster),
        field('Released master', c.releasedMaster),
        '',
        '  Packet errors:',
        f('Length', c.lengthErrors),
        f('TTL', c.ttlErrors),
        f('Invalid type', c.invalidTypeErrors),
        f('Advertisement interval', c.advertisementIntervalErrors),
        f('Address List', c.addressListErrors),
        '',
        '  Authentication Errors:',
        f('Invalid type', c.authInvalidType),
        f('Type mismatch', c.authTypeMismatch),
        f('Failure', c.authFailures),
        '',
        '  Priority Zero Advertisements:',
        f('Received', c.priorityZeroReceived),
        f('Sent', c.priorityZeroSent),
        '',
        '  Other errors:',
        f('Version', c.versionErrors),
        f('Checksum', c.checksumErrors),
        f('Owner discards', c.ownerDiscards),
        '',
      );
    }
    const ic = status.interfaces.find((i) => i.interface === ifname);
    if (withInterfaceCounters && ic) {
      lines.push(
        '  Interface counters:',
        f('Unknown VRID', ic.unknownVrid),
        f('Bad destination', ic.badDestination),
        f('Malformed', ic.malformed),
        '',
      );
    }
  }
  return lines.join('\n');
}

/** `show vrrp sync-group [group <name>]` (§3.7). */
export function renderVrrpSyncGroups(status: VrrpStatus): string {
  const lines: string[] = [];
  for (const s of status.syncGroups) {
    lines.push(RULE, `Group: ${s.name}`, '---------', `  State: ${s.state}`, '  Monitoring:');
    for (const m of s.members) lines.push(`    Interface: ${m.interface}, Group: ${m.group}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** `show vrrp summary` (§3.5): one row per VIP. */
export function renderVrrpVipSummary(status: VrrpStatus, linkUp: (ifname: string) => boolean): string[][] {
  return status.groups.flatMap((g) =>
    g.virtualAddresses.map((v) => [
      g.interface,
      String(g.group),
      'vip',
      v.replace(/\/\d+$/, ''),
      linkUp(g.interface) ? 'up' : 'down',
      g.addressOwner ? 'yes' : 'no',
      g.state.toLowerCase(),
    ]),
  );
}
