// The VRRP feature: schema, commit rules, and the native engine that runs the groups. The engine
// starts with the first group and keeps running; transitions reach the log, the event bus and the
// transition scripts.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { featureLogger } from '../../log.js';
import {
  nativeAddon,
  type RawVrrpEngine,
  type RawVrrpEvent,
  type RawVrrpGroupConfig,
} from '../../native/addon.js';
import * as ip from '../../platform/ip.js';
import { TandemError } from '../../errors.js';
import type { EventBus } from '../../daemon/eventBus.js';
import type { ConfigTree } from '../../config/tree.js';
import type { Feature, FeatureHost } from '../feature.js';
import { ethernetAddresses } from '../interfaces/apply.js';
import { firstStartSinceBoot } from './bootStart.js';
import { engineConfigOf, followsKernelAddress, primaryAddress } from './engineConfig.js';
import { type VrrpGroup, vrrpGroupsOf } from './groups.js';
import { registerVrrpSchema } from './schema.js';
import type { VrrpCounters, VrrpStatus } from './status.js';
import { groupStatus } from './statusOf.js';
import { TransitionScripts } from './transitionScripts.js';
import { validateVrrp } from './validate.js';
import { vrrpInterfaces } from './vrrpInterfaces.js';

/** How often the kernel is asked for the source address of a parent without a configured one. */
const ADDRESS_POLL_MS = 2000;

const LEVELS: Record<number, 'info' | 'warn' | 'error'> = { 30: 'info', 40: 'warn', 50: 'error' };

export function createVrrpFeature(): Feature {
  const log = featureLogger('vrrp');
  const scripts = new TransitionScripts(log);
  let engine: RawVrrpEngine | undefined;
  let bus: EventBus | undefined;
  let groups: VrrpGroup[] = [];
  let configs: RawVrrpGroupConfig[] = [];
  let engineDir = '';
  /** V-4: start delays apply in this daemon run (its engine is the first since boot). */
  let startDelayOn: boolean | undefined;
  let sources = new Map<string, string | undefined>();
  /** Polls the kernel for the source of groups whose parent has no configured address (V-12). */
  let addressTimer: NodeJS.Timeout | undefined;
  let latestTree: ConfigTree | undefined;

  let byInstance = new Map<string, VrrpGroup>();
  const groupOf = (parent: string, vrid: number) => byInstance.get(`${parent}-${vrid}`);

  const onEvent = (ev: RawVrrpEvent) => {
    const instance = `${ev.parent}-${ev.vrid}`;
    const at = new Date(ev.unixMs).toISOString();
    if (ev.type === 'log') {
      log[LEVELS[ev.level ?? 30] ?? 'info']({ instance: ev.parent ? instance : undefined }, ev.text ?? '');
    } else if (ev.type === 'state' && ev.change) {
      const c = ev.change;
      bus?.publish('vrrp.group.state', {
        instance,
        interface: ev.parent,
        group: ev.vrid,
        from: c.from,
        to: c.to,
        reason: c.reason,
        at,
      });
      const g = groupOf(ev.parent, ev.vrid);
      const script = g?.scripts[c.to.toLowerCase() as 'master' | 'backup' | 'fault'];
      if (g && script && c.reason !== 'resume') {
        // Only a group with a script pays for a status snapshot (1,000 groups change state at once).
        const raw = engine?.status().find((s) => s.parent === ev.parent && s.vrid === ev.vrid);
        scripts.transition(g, c.to, c.from, raw?.effectivePriority ?? g.priority);
      }
    } else if (ev.type === 'sync-state' && ev.change) {
      const members = statusNow()
        .groups.filter((g) => g.syncGroup === ev.syncGroup)
        .map((g) => ({ interface: g.interface, group: g.group, state: g.state }));
      bus?.publish('vrrp.sync-group.state', {
        name: ev.syncGroup,
        from: ev.change.from,
        to: ev.change.to,
        members,
        at,
      });
    }
  };

  /** The same start delay for the daemon's whole run: a changed value would restart groups. */
  const withStartDelay = (c: RawVrrpGroupConfig): RawVrrpGroupConfig =>
    startDelayOn ? c : { ...c, startDelay: 0 };

  /** The engine thread; without real-time scheduling a loaded machine can delay its adverts. */
  const startEngine = (): RawVrrpEngine => {
    const e = new (nativeAddon().VrrpEngine)(engineDir, onEvent);
    if (e.realtime()) log.info('VRRP engine thread runs with real-time scheduling (SCHED_FIFO)');
    else
      log.warn(
        'VRRP engine thread runs without real-time scheduling (not permitted here): CPU load can delay adverts',
      );
    return e;
  };

  // Counters of engines replaced by `restart vrrp` (V-104: counters survive a restart).
  let carried = new Map<string, VrrpCounters>();

  const statusNow = (): VrrpStatus => {
    const raw = engine?.status() ?? [];
    const now = Date.now();
    const statuses = groups.map((g) => {
      const st = groupStatus(
        g,
        raw.find((r) => r.parent === g.interface && r.vrid === g.vrid),
        sources.get(g.instance),
        now,
      );
      const base = carried.get(g.instance);
      if (base) for (const k of Object.keys(st.counters) as (keyof VrrpCounters)[]) st.counters[k] += base[k];
      return st;
    });
    const interfaces = [...new Set(groups.map((g) => g.interface))].map((name) => {
      const r = raw.find((s) => s.parent === name);
      return {
        interface: name,
        ...(r?.interfaceCounters ?? { unknownVrid: 0, badDestination: 0, malformed: 0 }),
      };
    });
    const syncNames = [...new Set(groups.flatMap((g) => (g.syncGroup ? [g.syncGroup] : [])))];
    const syncGroups = syncNames.map((name) => ({
      name,
      state: (raw.find((r) => r.syncGroup === name)?.syncState ??
        'INIT') as VrrpStatus['syncGroups'][number]['state'],
      members: statuses
        .filter((s) => s.syncGroup === name)
        .map((s) => ({ interface: s.interface, group: s.group, state: s.state })),
    }));
    return { groups: statuses, interfaces, syncGroups };
  };

  /** Each group's primary address (V-12) from the configuration and the kernel. */
  const primariesOf = async (tree: ConfigTree, gs: readonly VrrpGroup[]) => {
    const addrs = ethernetAddresses(tree);
    const kernel = await ip.addresses();
    const vips = new Set(gs.flatMap((g) => g.vips.map((v) => v.address)));
    const linkLocal = (ifname: string) =>
      kernel
        .find((a) => a.ifname === ifname)
        ?.addr_info.find((i) => i.family === 'inet6' && i.local.startsWith('fe80:'))?.local;
    const kernelIpv4 = (ifname: string) =>
      (kernel.find((a) => a.ifname === ifname)?.addr_info ?? [])
        .filter((i) => i.family === 'inet' && !i.secondary && !vips.has(i.local))
        .map((i) => i.local);
    return new Map(
      gs.map((g) => [g.instance, primaryAddress(g, addrs.get(g.interface) ?? [], linkLocal, kernelIpv4)]),
    );
  };

  /** V-12: a parent's DHCP-learnt address changed; the groups it sources follow, logged. */
  const followAddresses = async () => {
    if (!engine || !latestTree) return;
    try {
      const primaries = await primariesOf(latestTree, groups);
      const changed = groups.filter((g) => primaries.get(g.instance) !== sources.get(g.instance));
      if (!changed.length) return;
      for (const g of changed) {
        const was = sources.get(g.instance);
        const now = primaries.get(g.instance);
        if (was) log.info({ instance: g.instance }, `Netlink reflector reports IP ${was} removed`);
        if (now) log.info({ instance: g.instance }, `Netlink reflector reports IP ${now} added`);
      }
      sources = primaries;
      configs = groups.map((g) => withStartDelay(engineConfigOf(g, primaries.get(g.instance))));
      engine.configure(configs);
    } catch (e) {
      log.error({ err: e }, 'following interface addresses failed');
    }
  };

  return {
    name: 'vrrp',
    after: ['interfaces'],
    registerSchema: registerVrrpSchema,
    validate: validateVrrp,
    async apply(_prev, next, ctx) {
      const nextGroups = vrrpGroupsOf(next);
      if (!engine && nextGroups.length === 0) {
        groups = [];
        return;
      }
      const primaries = await primariesOf(next, nextGroups);
      if (!engine) {
        engineDir = join(ctx.stateDir, 'vrrp');
        await mkdir(engineDir, { recursive: true });
        startDelayOn ??= await firstStartSinceBoot(engineDir);
        engine = startEngine();
      }
      configs = nextGroups.map((g) => withStartDelay(engineConfigOf(g, primaries.get(g.instance))));
      engine.configure(configs);
      groups = nextGroups;
      byInstance = new Map(nextGroups.map((g) => [g.instance, g]));
      sources = primaries;
      latestTree = next;
      const addrs = ethernetAddresses(next);
      const follow = nextGroups.some((g) => followsKernelAddress(g, addrs.get(g.interface) ?? []));
      if (follow) addressTimer ??= setInterval(() => void followAddresses(), ADDRESS_POLL_MS);
      else {
        clearInterval(addressTimer);
        addressTimer = undefined;
      }
    },
    attach(host: FeatureHost) {
      bus = host.bus;
      host.rpc.register('vrrp.status', () => statusNow());
      host.rpc.register('vrrp.resetMaster', (p) => {
        const ifname = String(p['interface'] ?? '');
        const vrid = Number(p['group']);
        const instance = `${ifname}-${vrid}`;
        const rc = engine ? engine.resetMaster(ifname, vrid) : -2;
        if (rc === -2) throw new TandemError('NO_GROUP', `No VRRP group ${vrid} exists on ${ifname}`);
        if (rc === -22) throw new TandemError('NOT_MASTER', `${instance} is not in MASTER state`);
        if (rc === -1)
          throw new TandemError('OWNER', `${instance} is the address owner and cannot be forced to BACKUP`);
        return { message: `Forcing ${instance} to BACKUP...` };
      });
      host.rpc.register('vrrp.interfaces', async () => {
        const states = new Map(statusNow().groups.map((g) => [g.instance, g.state]));
        return { interfaces: await vrrpInterfaces(groups, states) };
      });
      host.rpc.register('vrrp.restart', () => {
        if (!engine) throw new TandemError('NOT_RUNNING', 'VRRP is not running');
        // V-5: the new engine finds fresh state records and resumes every MASTER.
        log.info('VRRP engine restarting');
        carried = new Map(statusNow().groups.map((g) => [g.instance, g.counters]));
        engine.detach();
        engine = startEngine();
        // V-4: no start delay after restart vrrp, for this run's later commits too.
        startDelayOn = false;
        configs = configs.map(withStartDelay);
        engine.configure(configs);
        return { message: 'Restarting VRRP...' };
      });
      host.rpc.register('vrrp.resetStatistics', (p) => {
        if (!engine) throw new TandemError('NOT_RUNNING', 'VRRP is not running');
        const ifname = typeof p['interface'] === 'string' ? p['interface'] : null;
        const vrid = typeof p['group'] === 'number' ? p['group'] : 0;
        const n = engine.resetCounters(ifname, vrid);
        for (const g of groups) {
          if ((!ifname || g.interface === ifname) && (!vrid || g.vrid === vrid)) carried.delete(g.instance);
        }
        if (n === 0)
          throw new TandemError(
            'NO_GROUP',
            `No VRRP group${vrid ? ` ${vrid}` : ''} on ${ifname ?? 'any interface'}`,
          );
        return { groups: n };
      });
    },
    async shutdown() {
      clearInterval(addressTimer);
      addressTimer = undefined;
      engine?.stop();
      engine = undefined;
    },
  };
}
