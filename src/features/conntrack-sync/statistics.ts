// `show conntrack-sync statistics [main | expect]` (spec §3.3) and its JSON (§3.7), from the
// engine's counters. conntrackd's printf layouts with tabs expanded at 8 columns.
import type { CacheTables } from './cacheTable.js';
import type { CtsyncStatus } from './index.js';

interface CacheCounters {
  active: number;
  created: number;
  createdFailed: number;
  updated: number;
  updatedFailed: number;
  destroyed: number;
  destroyedFailed: number;
}

interface TableStatistics {
  internal: CacheCounters;
  external: CacheCounters;
  traffic: { bytes: number; packets: number };
  channel: {
    type: 'multicast';
    device: string;
    bytesSent: number;
    bytesRecv: number;
    packetsSent: number;
    packetsRecv: number;
    errorsSend: number;
    errorsRecv: number;
  };
  tracking: { malformed: number; lost: number };
}

export interface CtsyncStatistics {
  main: TableStatistics;
  /** The expectation tables; null without `expect-sync`. */
  expect: TableStatistics | null;
  events: { overruns: number };
  /** Tandem extension: datagrams dropped by the authenticated channel (null when it is off). */
  authentication: { missing: number; bad: number; replay: number } | null;
}

export function statisticsOf(s: CtsyncStatus): CtsyncStatistics | null {
  const k = s.stats;
  if (!k) return null;
  const cache = (active: number, created: number, updated: number, destroyed: number): CacheCounters => ({
    active,
    created,
    createdFailed: 0,
    updated,
    updatedFailed: 0,
    destroyed,
    destroyedFailed: 0,
  });
  // One sync link carries both tables: the channel and tracking sections are the same (§3.3).
  const channel: TableStatistics['channel'] = {
    type: 'multicast',
    device: s.interface ?? '',
    bytesSent: k.txBytes,
    bytesRecv: k.rxBytes,
    packetsSent: k.txDatagrams,
    packetsRecv: k.rxDatagrams,
    errorsSend: k.txErrors,
    errorsRecv: k.rxErrors,
  };
  const tracking = { malformed: k.malformed, lost: k.lost };
  return {
    main: {
      internal: cache(k.internal, k.eventsNew, k.eventsUpdate, k.eventsDestroy),
      external: cache(k.external, k.externalCreated, k.externalUpdated, k.externalDestroyed),
      traffic: { bytes: k.trafficBytes, packets: k.trafficPackets },
      channel,
      tracking,
    },
    expect: s.expectSync.length
      ? {
          internal: cache(k.expInternal, k.expEventsNew, 0, k.expEventsDestroy),
          external: cache(k.expExternal, k.expExternalCreated, 0, k.expExternalDestroyed),
          traffic: { bytes: 0, packets: 0 },
          channel,
          tracking,
        }
      : null,
    events: { overruns: k.eventOverruns },
    authentication: s.authenticated ? { missing: k.authMissing, bad: k.authBad, replay: k.authReplay } : null,
  };
}

/** Expands tabs at 8-column stops and trims trailing blanks, line by line. */
function expandTabs(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
      return out.trimEnd();
    })
    .join('\n');
}

const u = (n: number) => String(n).padStart(12);
const llu = (n: number) => String(n).padStart(20);

function block(heading: string, t: TableStatistics, auth: CtsyncStatistics['authentication']): string {
  const cache = (name: string, c: CacheCounters) =>
    `cache ${name}:\n` +
    `current active connections:\t${u(c.active)}\n` +
    `connections created:\t\t${u(c.created)}\tfailed:\t${u(c.createdFailed)}\n` +
    `connections updated:\t\t${u(c.updated)}\tfailed:\t${u(c.updatedFailed)}\n` +
    `connections destroyed:\t\t${u(c.destroyed)}\tfailed:\t${u(c.destroyedFailed)}\n\n`;
  const ch = t.channel;
  return (
    `\n${heading}\n\n` +
    cache('internal', t.internal) +
    cache('external', t.external) +
    `traffic processed:\n${llu(t.traffic.bytes)} Bytes      ${llu(t.traffic.packets)} Pckts\n\n` +
    `multicast traffic (active device=${ch.device}):\n` +
    `${llu(ch.bytesSent)} Bytes sent ${llu(ch.bytesRecv)} Bytes recv\n` +
    `${llu(ch.packetsSent)} Pckts sent ${llu(ch.packetsRecv)} Pckts recv\n` +
    `${llu(ch.errorsSend)} Error send ${llu(ch.errorsRecv)} Error recv\n\n` +
    `message tracking:\n${llu(t.tracking.malformed)} Malformed msgs ${llu(t.tracking.lost)} Lost msgs\n\n` +
    // Tandem extension, only with the authenticated channel.
    (auth
      ? `authentication (datagrams dropped):\n${llu(auth.missing)} Missing ${llu(auth.bad)} Bad MAC ${llu(auth.replay)} Replayed\n\n`
      : '')
  );
}

/** `main`: the main block; `expect`: the expect block; both: main, then expect when it is synced. */
export function renderStatistics(st: CtsyncStatistics, which: CacheTables): string {
  const blocks = [
    ...(which !== 'expect' ? [block('Main Table Statistics:', st.main, st.authentication)] : []),
    ...(which !== 'main' && st.expect
      ? [block('Expect Table Statistics:', st.expect, st.authentication)]
      : []),
  ];
  return expandTabs(blocks.join('')).replace(/\n+$/, '');
}
