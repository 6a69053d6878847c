// Conntrack sync (stateful failover): the native engine runs while `service conntrack-sync` is
// configured; the VRRP sync group named by `failover-mechanism vrrp sync-group` decides the role —
// on MASTER the peers' connections are committed into the kernel before anything else, then the
// engine starts over from the kernel's table (which now holds them) and sends it all to the peers.
import type { EventBus } from '../../daemon/eventBus.js';
import { featureLogger } from '../../log.js';
import * as ip from '../../platform/ip.js';
import { CTSYNC_PORT, CtsyncEngine, type CtsyncEngineConfig } from '../../native/ctsyncEngine.js';
import type { Feature, FeatureHost } from '../feature.js';
import { ethernetAddresses } from '../interfaces/apply.js';
import { vrrpGroupsOf } from '../vrrp/groups.js';
import { describeEntry, describeExpectation } from './cacheTable.js';
import { expectHelpers } from './helpers.js';
import { armGuard, disarmGuard, type GuardScope, guardState } from './commitGuard.js';
import { registerConntrackSyncSchema } from './schema.js';
import { conntrackSyncConfigOf, validateConntrackSync } from './validate.js';

const ACCEPT_BITS: Record<string, number> = { tcp: 1, udp: 2, icmp: 4, sctp: 8 };

function maskOf(len: number): string {
  const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return [m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join('.');
}

export interface CtsyncStatus {
  configured: boolean;
  interface: string | null;
  mcastGroup: string | null;
  /** `vrrp [sync-group <name>]` or `cluster [group <name>]`, as the status line shows it. */
  failoverMechanism: string | null;
  expectSync: string[];
  /** The channel is authenticated (`authentication pre-shared-secret`). */
  authenticated: boolean;
  role: string;
  lastTransition: { state: string; at: string } | null;
  /** The commit of the latest takeover. */
  lastCommit: {
    entries: number;
    recreated: number;
    failed: number;
    /** Expectations committed after the connections, and refused (expect-sync). */
    expectations: number;
    expectationsFailed: number;
    seconds: number;
  } | null;
  /** A standby purge is scheduled (CS-44). */
  purgePending: boolean;
  /** The latest standby purge: entries deleted from the kernel. */
  lastPurge: { entries: number; at: string } | null;
  /** The commit-time guard (CS-54, VRRP only): in place while standby and until the commit. */
  guard: { armed: boolean; dropped: number } | null;
  stats: ReturnType<CtsyncEngine['stats']> | null;
}

export function createConntrackSyncFeature(): Feature {
  const log = featureLogger('conntrack-sync');
  let engine: CtsyncEngine | undefined;
  let engineConfig: CtsyncEngineConfig | undefined;
  let syncGroup: string | undefined;
  let clusterGroup: string | undefined;
  let role = 'BACKUP';
  let lastTransition: CtsyncStatus['lastTransition'] = null;
  let lastCommit: CtsyncStatus['lastCommit'] = null;
  let bus: EventBus | undefined;
  let unsubscribe: (() => void) | undefined;
  let purgeSeconds = 60;
  let purgeTimer: NodeJS.Timeout | undefined;
  let lastPurge: CtsyncStatus['lastPurge'] = null;
  /** The failover group's interfaces and VIPs (VRRP mechanism only): what the guard covers. */
  let guardScope: GuardScope | undefined;
  /** Arms or disarms the guard (undefined scope: disarm); nftables writes apply in call order. */
  const guard = (scope: GuardScope | undefined) => {
    (scope ? armGuard(scope) : disarmGuard()).catch((e: unknown) =>
      log.error({ err: e }, 'setting the commit guard failed'),
    );
  };

  /** CS-44: the standby deletes what it kept from its active time, after purge-timeout. */
  const purgeNow = async () => {
    purgeTimer = undefined;
    if (!engine) return;
    log.info('flushing kernel conntrack table (scheduled)');
    try {
      // Refinement: connections from or to this router's own addresses (its management) stay.
      const own = (await ip.addresses())
        .flatMap((l) => l.addr_info)
        .filter((a) => a.family === 'inet')
        .map((a) => a.local);
      const deleted = engine.purge(own);
      lastPurge = { entries: deleted, at: new Date().toISOString() };
      log.info(`purged ${deleted} entries from the kernel conntrack table`);
    } catch (e) {
      log.error(`ERROR: failed to purge the kernel conntrack table: ${String(e)}`);
    }
  };
  const schedulePurge = () => {
    if (purgeTimer) return; // a pending purge is not rescheduled
    log.info(`flushing conntrack table in ${purgeSeconds} secs`);
    purgeTimer = setTimeout(() => void purgeNow(), purgeSeconds * 1000);
    purgeTimer.unref();
  };
  const cancelPurge = () => {
    clearTimeout(purgeTimer);
    purgeTimer = undefined;
  };

  /** CS-40/42: a standby (every router starts as one) asks the active peer for its table. */
  const start = (cfg: CtsyncEngineConfig) => {
    engine?.stop();
    engine = new CtsyncEngine({ ...cfg, resyncAtStart: role !== 'MASTER' });
    engineConfig = cfg;
  };

  /** CS-41: commit the peers' connections, then start over from the kernel's table. */
  const becomeActive = () => {
    cancelPurge();
    if (!engine || !engineConfig) return;
    log.info('committing conntrack cache');
    const t0 = performance.now();
    const r = engine.commit();
    log.info(`Committed ${r.created} new entries`);
    if (r.recreated) log.info(`${r.recreated} of them replaced a conflicting entry`);
    if (r.failed) log.warn(`${r.failed} entries can't be committed`);
    for (const f of r.failures) log.warn(`can't commit ${describeEntry(f.entry)}: ${f.error}`);
    if (engineConfig.expectHelpers?.length) {
      log.info('committing expectation cache');
      log.info(`Committed ${r.expectationsCreated} new entries`);
      if (r.expectationsFailed) log.warn(`${r.expectationsFailed} entries can't be committed`);
      for (const f of r.expectationFailures)
        log.warn(`can't commit expectation ${describeExpectation(f.expectation)}: ${f.error}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    log.info(`commit has taken ${seconds.toFixed(6)} seconds`);
    lastCommit = {
      entries: r.created,
      recreated: r.recreated,
      failed: r.failed,
      expectations: r.expectationsCreated,
      expectationsFailed: r.expectationsFailed,
      seconds,
    };
    start(engineConfig);
  };

  const onSyncGroup = (ev: { name: string; to: string; at: string }) => {
    if (ev.name !== syncGroup || ev.to === role) return;
    role = ev.to;
    lastTransition = { state: ev.to, at: ev.at };
    log.info(`conntrack-sync: sync group ${ev.name} is ${ev.to}`);
    if (ev.to === 'MASTER') {
      becomeActive();
      guard(undefined); // the commit has run: new connections are welcome again
    } else {
      guard(guardScope);
      schedulePurge(); // BACKUP (CS-42) or FAULT (CS-43)
    }
  };

  /** CL-90/91: the cluster's acquire publishes `acquiring` before it adds any address, and the bus
   * delivers synchronously: the peers' connections are in the kernel before the first packet
   * can reach this node. Leaving the holding states is SECONDARY. */
  const onClusterGroup = (ev: { group: string; to: string; at: string }) => {
    if (ev.group !== clusterGroup) return;
    const to = ev.to === 'acquiring' || ev.to === 'active' ? 'MASTER' : 'BACKUP';
    if (to === role) return;
    role = to;
    lastTransition = { state: to, at: ev.at };
    log.info(`conntrack-sync: cluster group ${ev.group} is ${ev.to}`);
    if (to === 'MASTER') becomeActive();
    else schedulePurge();
  };

  return {
    name: 'conntrack-sync',
    after: ['interfaces', 'vrrp'],
    registerSchema: registerConntrackSyncSchema,
    validate: validateConntrackSync,
    apply(_prev, next) {
      const c = conntrackSyncConfigOf(next);
      if (!c) {
        if (guardScope) guard(undefined);
        guardScope = undefined;
        cancelPurge();
        engine?.stop();
        engine = undefined;
        engineConfig = undefined;
        syncGroup = undefined;
        clusterGroup = undefined;
        return Promise.resolve();
      }
      const address = (ethernetAddresses(next).get(c.interface!) ?? []).find((a) => !a.includes(':'));
      const helpers = expectHelpers(c['expect-sync'] ?? []);
      const cfg: CtsyncEngineConfig = {
        interface: c.interface!,
        localAddress: address!.split('/')[0]!,
        group: c['mcast-group'] ?? '225.0.0.50',
        port: CTSYNC_PORT,
        socketBuffer: (c['sync-queue-size'] ?? 1) << 20,
        eventBuffer: (c['event-listen-queue-size'] ?? 8) << 20,
        acceptMask: (c['accept-protocol'] ?? '').split(',').reduce((m, p) => m | (ACCEPT_BITS[p] ?? 0), 0),
        ignore: (c['ignore-address']?.ipv4 ?? []).map((a) => {
          const [addr, len] = a.split('/');
          return { address: addr!, mask: maskOf(len === undefined ? 32 : Number(len)) };
        }),
        commitTimeout: 180,
        ...(helpers.length ? { expectHelpers: helpers } : {}),
        ...(c.authentication?.['pre-shared-secret'] ? { secret: c.authentication['pre-shared-secret'] } : {}),
      };
      purgeSeconds = c['purge-timeout'] ?? 60;
      syncGroup = c['failover-mechanism']?.vrrp?.['sync-group'];
      clusterGroup = c['failover-mechanism']?.cluster?.group;
      if (JSON.stringify(cfg) !== JSON.stringify(engineConfig)) start(cfg);
      // With clustering the commit runs before the addresses are added (CL-50): no guard needed.
      const members = syncGroup ? vrrpGroupsOf(next).filter((g) => g.syncGroup === syncGroup) : [];
      const scope = members.length
        ? {
            interfaces: [
              ...new Set(
                members.flatMap((g) => [g.interface, ...(g.vrrpInterface ? [g.vrrpInterface] : [])]),
              ),
            ],
            vips: [
              ...new Set(members.flatMap((g) => g.vips.filter((v) => v.family === 4).map((v) => v.address))),
            ],
          }
        : undefined;
      if (scope && role !== 'MASTER') guard(scope);
      else if (guardScope && !scope) guard(undefined);
      guardScope = scope;
      return Promise.resolve();
    },
    attach(host: FeatureHost) {
      bus = host.bus;
      const offVrrp = bus.subscribe('vrrp.sync-group.state', onSyncGroup);
      const offCluster = bus.subscribe('cluster.group.state', onClusterGroup);
      unsubscribe = () => {
        offVrrp();
        offCluster();
      };
      host.rpc.register('ctsync.status', async (): Promise<CtsyncStatus> => {
        const c = conntrackSyncConfigOf(host.running());
        return {
          configured: c !== undefined,
          interface: c?.interface ?? null,
          mcastGroup: c ? (c['mcast-group'] ?? '225.0.0.50') : null,
          failoverMechanism: c?.['failover-mechanism']?.vrrp
            ? `vrrp [sync-group ${c['failover-mechanism'].vrrp['sync-group']}]`
            : c?.['failover-mechanism']?.cluster
              ? `cluster [group ${c['failover-mechanism'].cluster.group}]`
              : null,
          expectSync: c?.['expect-sync'] ?? [],
          authenticated: c?.authentication?.['pre-shared-secret'] !== undefined,
          role,
          lastTransition,
          lastCommit,
          purgePending: purgeTimer !== undefined,
          lastPurge,
          guard: guardScope ? await guardState() : null,
          stats: engine?.stats() ?? null,
        };
      });
      host.rpc.register('ctsync.cache', (p) => {
        const which = p['which'] === 'external' ? 'external' : 'internal';
        const syncsExpectations = (conntrackSyncConfigOf(host.running())?.['expect-sync'] ?? []).length > 0;
        return {
          entries: engine?.cache(which) ?? [],
          expectations: syncsExpectations ? (engine?.expectCache(which) ?? []) : null,
        };
      });
    },
    shutdown() {
      // The guard stays: a standby without its daemon still must not pick up mid-stream flows.
      cancelPurge();
      unsubscribe?.();
      engine?.stop();
      engine = undefined;
      return Promise.resolve();
    },
  };
}
