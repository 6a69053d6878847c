// One RAID 1 set's detailed status (show raid <md>): mdadm --detail for the superblock's facts
// (times, UUID, events, the member table), the md driver's sysfs for the state flags and the
// rebuild progress (spec R-2, R-3), rendered in mdadm's colon-aligned layout or as JSON.
import { ctimeLayout, parseCtime } from '../ctime.js';
import type { MdSysfs } from '../../platform/mdadm.js';

export interface RaidStateFlags {
  clean: boolean;
  active: boolean;
  degraded: boolean;
  recovering: boolean;
  resyncing: boolean;
  /** Neither degraded, recovering nor resyncing. */
  synchronized: boolean;
}

export interface RaidMember {
  /** md's descriptor number; null on an empty slot ("-" in mdadm). */
  number: number | null;
  major: number;
  minor: number;
  /** Slot in the mirror; null for a faulty member or a spare that holds none. */
  raidDevice: number | null;
  /** active sync, spare rebuilding, spare, faulty, removed. */
  state: string;
  /** Kernel name (vda3); null on an empty slot. */
  device: string | null;
}

export interface RaidArrayView {
  device: string;
  metadataVersion: string;
  createdAt: string | null;
  level: string;
  arraySizeKiB: number;
  usedDevSizeKiB: number;
  raidDevices: number;
  totalDevices: number;
  preferredMinor: number | null;
  name: string | null;
  persistent: boolean;
  intentBitmap: string | null;
  updatedAt: string | null;
  state: RaidStateFlags;
  stateText: string;
  activeDevices: number;
  workingDevices: number;
  failedDevices: number;
  spareDevices: number;
  consistencyPolicy: string | null;
  rebuild: null | { action: 'recover' | 'resync' | 'check'; percent: number; delayed: boolean };
  uuid: string;
  events: string;
  /** Whether the running system's root file system lives on this array. */
  rootFilesystem: boolean;
  members: RaidMember[];
}

interface Detail {
  fields: Map<string, string>;
  members: RaidMember[];
}

/** Splits `mdadm --detail` into its `Label : value` fields and its member table. */
export function parseMdadmDetail(text: string): Detail {
  const fields = new Map<string, string>();
  const members: RaidMember[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^\s*Number\s+Major\s+Minor\s+RaidDevice\s+State/.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable) {
      const w = line.trim().split(/\s+/);
      if (w.length < 5) continue;
      const dev = w[w.length - 1]!.startsWith('/dev/') ? w.pop()! : null;
      const [num, major, minor, slot, ...state] = w;
      members.push({
        number: num === '-' ? null : Number(num),
        major: Number(major),
        minor: Number(minor),
        raidDevice: slot === '-' ? null : Number(slot),
        state: state.join(' '),
        device: dev ? dev.slice('/dev/'.length) : null,
      });
      continue;
    }
    const m = /^\s*([A-Za-z][A-Za-z ]*?)\s:\s?(.*)$/.exec(line);
    if (m) fields.set(m[1]!, m[2]!.trim());
  }
  return { fields, members };
}

const num = (s: string | undefined) => Number.parseInt(s ?? '', 10) || 0;
const time = (s: string | undefined) => (s ? (parseCtime(s)?.toISOString() ?? null) : null);

/** The state flags: from sysfs when there is one (R-2), else from mdadm's own State line. */
export function stateFlags(sys: MdSysfs | null, mdadmState: string): RaidStateFlags {
  const words = new Set(mdadmState.split(/[,\s]+/).filter(Boolean));
  const active = sys
    ? ['active', 'active-idle', 'write-pending'].includes(sys.arrayState)
    : words.has('active');
  const degraded = sys ? sys.degraded > 0 : words.has('degraded');
  const recovering = sys ? sys.syncAction === 'recover' : words.has('recovering');
  const resyncing = sys ? sys.syncAction === 'resync' : words.has('resyncing');
  return {
    active,
    clean: !active,
    degraded,
    recovering,
    resyncing,
    synchronized: !degraded && !recovering && !resyncing,
  };
}

export function stateText(f: RaidStateFlags, sys: MdSysfs | null): string {
  const words = [f.active ? 'active' : 'clean'];
  if (f.degraded) words.push('degraded');
  if (f.recovering) words.push('recovering');
  if (f.resyncing) words.push('resyncing');
  if (sys?.syncAction === 'check' || sys?.syncAction === 'repair') words.push('checking');
  return words.join(', ');
}

/** Whole percent done of the sync md runs now (R-3: floor, never rounded up); null when none. */
export function syncPercent(sys: MdSysfs): number | null {
  const [done, total] = sys.syncCompleted ?? [0, 0];
  return total > 0 ? Math.floor((100 * done) / total) : null;
}

function rebuildOf(sys: MdSysfs | null, fields: Map<string, string>): RaidArrayView['rebuild'] {
  if (sys) {
    const action = sys.syncAction === 'recover' || sys.syncAction === 'resync' ? sys.syncAction : null;
    const check = sys.syncAction === 'check' || sys.syncAction === 'repair';
    if (!action && !check) return null;
    return {
      action: action ?? 'check',
      percent: syncPercent(sys) ?? 0,
      delayed: sys.syncDelayed,
    };
  }
  const status = fields.get('Rebuild Status') ?? fields.get('Resync Status') ?? fields.get('Check Status');
  if (!status) return null;
  return {
    action: fields.has('Rebuild Status') ? 'recover' : fields.has('Resync Status') ? 'resync' : 'check',
    percent: num(status),
    delayed: /DELAYED|PENDING/.test(status),
  };
}

export function arrayView(
  md: string,
  mdadmDetailText: string,
  sys: MdSysfs | null,
  rootFilesystem: boolean,
): RaidArrayView {
  const { fields, members } = parseMdadmDetail(mdadmDetailText);
  const mdadmState = fields.get('State') ?? '';
  const flags = stateFlags(sys, mdadmState);
  return {
    device: `/dev/${md}`,
    metadataVersion: fields.get('Version') ?? '',
    createdAt: time(fields.get('Creation Time')),
    level: fields.get('Raid Level') ?? '',
    arraySizeKiB: num(fields.get('Array Size')),
    usedDevSizeKiB: num(fields.get('Used Dev Size')),
    raidDevices: num(fields.get('Raid Devices')),
    totalDevices: num(fields.get('Total Devices')),
    preferredMinor: fields.has('Preferred Minor') ? num(fields.get('Preferred Minor')) : null,
    name: fields.get('Name')?.replace(/\s*\(local to host .*\)$/, '') ?? null,
    persistent: /persistent/.test(fields.get('Persistence') ?? '') && !/not/.test(fields.get('Persistence')!),
    intentBitmap: fields.get('Intent Bitmap') ?? null,
    updatedAt: time(fields.get('Update Time')),
    state: flags,
    stateText: stateText(flags, sys),
    activeDevices: num(fields.get('Active Devices')),
    workingDevices: num(fields.get('Working Devices')),
    failedDevices: num(fields.get('Failed Devices')),
    spareDevices: num(fields.get('Spare Devices')),
    consistencyPolicy: fields.get('Consistency Policy') ?? null,
    rebuild: rebuildOf(sys, fields),
    uuid: fields.get('UUID') ?? '',
    events: fields.get('Events') ?? '',
    rootFilesystem,
    members,
  };
}

/** `1046528 (1022.00 MiB 1071.64 MB)`: KiB, then exact binary and decimal units. */
export function sizeText(kib: number): string {
  const bytes = kib * 1024;
  const big = bytes >= 2 * 1024 ** 3;
  const bin = big ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  const dec = big ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(2)} MB`;
  return `${kib} (${bin} ${dec})`;
}

const ctime = (iso: string | null) => (iso ? ctimeLayout(new Date(iso)) : '-');

/** The mdadm --detail layout of spec §3.3: groups of colon-aligned fields, then the members. */
export function formatArrayDetail(v: RaidArrayView): string {
  const groups: [string, string][][] = [
    [
      ['Version', v.metadataVersion],
      ['Creation Time', ctime(v.createdAt)],
      ['Raid Level', v.level],
      ['Array Size', sizeText(v.arraySizeKiB)],
      ['Used Dev Size', sizeText(v.usedDevSizeKiB)],
      ['Raid Devices', String(v.raidDevices)],
      ['Total Devices', String(v.totalDevices)],
      ...(v.preferredMinor !== null
        ? [['Preferred Minor', String(v.preferredMinor)] as [string, string]]
        : []),
      ['Persistence', v.persistent ? 'Superblock is persistent' : 'Superblock is not persistent'],
    ],
    v.intentBitmap ? [['Intent Bitmap', v.intentBitmap]] : [],
    [
      ['Update Time', ctime(v.updatedAt)],
      ['State', v.stateText],
      ['Active Devices', String(v.activeDevices)],
      ['Working Devices', String(v.workingDevices)],
      ['Failed Devices', String(v.failedDevices)],
      ['Spare Devices', String(v.spareDevices)],
    ],
    v.consistencyPolicy ? [['Consistency Policy', v.consistencyPolicy]] : [],
    // Rebuild Status for a recovery and a resync alike (spec §6 item 3); JSON tells them apart.
    v.rebuild
      ? [['Rebuild Status', `${v.rebuild.percent}% complete${v.rebuild.delayed ? ' (DELAYED)' : ''}`]]
      : [],
    [
      ...(v.name !== null ? [['Name', v.name] as [string, string]] : []),
      ['UUID', v.uuid],
      ['Events', v.events],
    ],
  ];
  const present = groups.filter((g) => g.length > 0);
  const width = Math.max(...present.flat().map(([label]) => label.length));
  const lines = [`${v.device}:`];
  for (const g of present) {
    for (const [label, value] of g) lines.push(`${label.padStart(width + 2)} : ${value}`);
    lines.push('');
  }
  lines.push('    Number   Major   Minor   RaidDevice State');
  for (const m of v.members)
    lines.push(
      `${String(m.number ?? '-').padStart(7)} ${String(m.major).padStart(7)} ${String(m.minor).padStart(8)} ${String(m.raidDevice ?? '-').padStart(8)}      ${m.state}${m.device ? `   /dev/${m.device}` : ''}`,
    );
  return lines.join('\n');
}
