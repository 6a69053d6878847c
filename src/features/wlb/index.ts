// The WAN load-balancing feature: schema, commit rules, and the engine that keeps the kernel in
// step with the configuration — per-uplink routing tables, the nftables table, the tc-BPF
// classifier and its maps — and runs the health tests whose results steer it.
import { lookup } from 'node:dns/promises';
import { readdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { EventBus } from '../../daemon/eventBus.js';
import { TandemError } from '../../errors.js';
import { featureLogger } from '../../log.js';
import { unpin } from '../../native/bpfMap.js';
import { WlbDataplane, wlbObjectPath } from '../../native/wlbDataplane.js';
import { ensurePinDir, pinDir } from '../../platform/bpffs.js';
import { conntrackFlush, conntrackList } from '../../platform/conntrack.js';
import { leaseRouter, readDhcpLease } from '../../platform/dhcpClient.js';
import * as ip from '../../platform/ip.js';
import { nftApply, nftCounters, nftDeleteTable, nftTableExists } from '../../platform/nftables.js';
import { sysctlSetHere } from '../../platform/sysctl.js';
import type { Feature, FeatureHost } from '../feature.js';
import { HealthMonitor, type StateChange, type TestOutcome } from './health.js';
import { HookQueue } from './hooks.js';
import { inboundIfindexes } from './inbound.js';
import { type WlbConfig, type WlbInterface, type WlbTest, wlbConfigOf } from './model.js';
import { vrrpGroupsOf } from '../vrrp/groups.js';
import { LOCAL_TOTAL, localCounterRow, localTrafficObjects, localTrafficRules } from './localTraffic.js';
import { NFT_TABLE, localRulesScript, wlbNftScript } from './nftRules.js';
import { probe } from './probes.js';
import { registerWlbSchema } from './schema.js';
import { allocateSlots, loadSlots, saveSlots, slotInfo } from './slots.js';
import { wlbConnectionsOf, wlbRuleStatusOf, wlbStatusOf } from './statusOf.js';
import { installUplinks, primaryIpv4, removeUplinks, type Uplink } from './uplinkRoutes.js';
import { runUserTest } from './userTest.js';
import { validateWlb } from './validate.js';

/** How often interfaces are re-read: new inbound interfaces get the classifier (W-11, W-33). */
const LINK_POLL_MS = 2000;
const USER_TEST_DEFAULT_MS = 30_000;

interface LinkFacts {
  ifindex: number;
  up: boolean;
  address: string | undefined;
}

export function createWlbFeature(): Feature {
  const log = featureLogger('wlb');
  let bus: EventBus | undefined;
  let cfg: WlbConfig | undefined;
  let dp: WlbDataplane | undefined;
  let health: HealthMonitor | undefined;
  let hooks: HookQueue | undefined;
  let slots = new Map<string, number>();
  let instance = '';
  let slotsFile = '';
  let stateDir = '';
  /** The router of each `nexthop dhcp` interface's current lease (W-44). */
  let leases = new Map<string, string | null>();
  /** Per uplink, the nexthop and address its table was last built with. */
  let built = new Map<string, string>();
  /** Per uplink, the first IPv4 VRRP virtual address it carries (its SNAT address in an HA pair). */
  let virtualAddresses = new Map<string, string>();
  let linkTimer: NodeJS.Timeout | undefined;
  let links = new Map<string, LinkFacts>();
  let attached = new Set<number>();
  let lastRulesKey = '';

  const readLinks = async () => {
    const [all, addrs] = await Promise.all([ip.links(), ip.addresses()]);
    links = new Map(
      all.map((l) => [
        l.ifname,
        {
          ifindex: l.ifindex,
          up: l.flags.includes('UP') && l.flags.includes('LOWER_UP'),
          address: primaryIpv4(addrs, l.ifname),
        },
      ]),
    );
  };

  const ruleSpecs = (c: WlbConfig) => {
    const present = new Map([...links].map(([name, l]) => [name, l.ifindex]));
    return c.rules.map((r) => ({
      number: r.number,
      exclude: r.exclude,
      failover: r.failover,
      perPacket: r.perPacket,
      protocol: r.protocol.number,
      protocolNegate: r.protocol.negate,
      source: r.source.address,
      destination: r.destination.address,
      sourcePorts: r.source.ports,
      destinationPorts: r.destination.ports,
      inboundIfindexes: r.inboundInterface ? inboundIfindexes(r.inboundInterface, present) : [],
      pool: (r.failover ? r.failoverOrder : r.pool)
        .filter((m) => slots.has(m.interface))
        .map((m) => ({ slot: slots.get(m.interface)!, weight: m.weight })),
      limit: r.limit
        ? {
            rate: r.limit.rate,
            periodSeconds: r.limit.periodSeconds,
            burst: r.limit.burst,
            above: r.limit.threshold === 'above',
          }
        : null,
    }));
  };

  /** Pushes rules and attachments when the configuration or the interfaces they cover changed. */
  const syncDataplane = (force = false) => {
    if (!cfg || !dp) return;
    const specs = ruleSpecs(cfg);
    const key = JSON.stringify(specs);
    const wanted = new Set(specs.flatMap((s) => s.inboundIfindexes));
    const present = new Set([...links.values()].map((l) => l.ifindex));
    for (const ifindex of wanted) {
      if (force || !attached.has(ifindex) || WlbDataplane.attachedProgramId(ifindex) === 0)
        dp.attach(ifindex);
    }
    for (const ifindex of attached) {
      if (!wanted.has(ifindex) && present.has(ifindex)) WlbDataplane.detach(ifindex);
    }
    attached = wanted;
    if (force || key !== lastRulesKey) {
      dp.setRules(specs);
      lastRulesKey = key;
    }
  };

  const active = (ifname: string) => health?.state(ifname) !== 'FAILED';

  /** Slots whose interface is configured and not FAILED. */
  const pushHealth = () => {
    dp?.setActive([...slots].filter(([name]) => active(name)).map(([, s]) => s));
    if (cfg?.enableLocalTraffic) {
      const c = cfg;
      // The platform applies nftables writes in order, so a change during an apply lands after it.
      nftApply(localRulesScript(localTrafficRules(c, slots, active))).catch((e: unknown) =>
        log.error({ err: e }, 'updating nftables failed'),
      );
    }
  };

  /** The output chain's counters as classifier rows (enable-local-traffic). */
  const localCounters = async () => {
    const named = await nftCounters('ip', NFT_TABLE);
    return {
      totals: named.get(LOCAL_TOTAL) ?? { packets: 0, bytes: 0 },
      rows: [...named].flatMap(([name, c]) => localCounterRow(name, c.packets, c.bytes) ?? []),
    };
  };

  const pollLinks = async () => {
    try {
      await readLinks();
      if (cfg) await followLeases(cfg);
      syncDataplane();
    } catch (e) {
      log.error({ err: e }, 'reading interfaces failed');
    }
  };

  const nexthopOf = (iface: WlbInterface) =>
    iface.nexthop === 'dhcp' ? (leases.get(iface.interface) ?? null) : iface.nexthop;

  const readLeases = async (c: WlbConfig) => {
    leases = new Map(
      await Promise.all(
        c.interfaces
          .filter((i) => i.nexthop === 'dhcp')
          .map(async (i) => [i.interface, leaseRouter(await readDhcpLease(stateDir, i.interface))] as const),
      ),
    );
  };

  const uplinksOf = (c: WlbConfig): Uplink[] =>
    c.interfaces.map((i) => ({
      ifname: i.interface,
      slot: slotInfo(slots.get(i.interface)!),
      nexthop: nexthopOf(i),
    }));

  const factsOf = (c: WlbConfig) =>
    new Map(
      c.interfaces.map((i) => [
        i.interface,
        JSON.stringify([nexthopOf(i), links.get(i.interface)?.address ?? null]),
      ]),
    );

  /** Each uplink's table and rule (W-42); a nexthop off the link is logged (W-45). */
  const installRoutes = async (c: WlbConfig) => {
    const uplinks = uplinksOf(c);
    const errors = await installUplinks(uplinks);
    for (const [ifname, error] of errors)
      log.error({ interface: ifname }, `installing routes failed: ${error}`);
    built = factsOf(c);
    return uplinks;
  };

  /**
   * W-44, W-50: a DHCP lease that brings another router or address rebuilds the uplink's table
   * (its default route and connected prefix); SNAT follows the address by itself.
   */
  const followLeases = async (c: WlbConfig) => {
    const before = built;
    await readLeases(c);
    const now = factsOf(c);
    const changed = c.interfaces.filter((i) => now.get(i.interface) !== before.get(i.interface));
    if (!changed.length) return;
    await installRoutes(c);
    for (const i of changed) {
      const nexthop = nexthopOf(i);
      const address = links.get(i.interface)?.address ?? null;
      log.info(
        { interface: i.interface },
        `Interface ${i.interface} nexthop is now ${nexthop ?? 'unknown'}, address ${address ?? 'none'}`,
      );
      bus?.publish('wlb.nexthop.changed', { interface: i.interface, nexthop, address });
    }
  };

  const runTest = async (iface: WlbInterface, test: WlbTest): Promise<TestOutcome> => {
    const nexthop = nexthopOf(iface);
    if (test.type === 'user-defined') {
      return runUserTest(
        test.script!,
        {
          WLB_SCRIPT_IFACE: iface.interface,
          WLB_SCRIPT_NEXTHOP: nexthop ?? '',
          WLB_SCRIPT_TEST: String(test.test),
        },
        test.respTimeSet ? test.respTime * 1000 : USER_TEST_DEFAULT_MS,
        log,
      );
    }
    // W-33: a link that cannot carry the probe fails it at once.
    const link = links.get(iface.interface);
    if (!link) return { ok: false, rttMs: null, reason: 'no such interface' };
    if (!link.up) return { ok: false, rttMs: null, reason: 'interface down' };
    if (!link.address) return { ok: false, rttMs: null, reason: 'no IPv4 address' };
    let target = test.target ?? nexthop;
    if (!target) return { ok: false, rttMs: null, reason: 'nexthop unknown' };
    if (isIP(target) !== 4) {
      try {
        target = (await lookup(target, { family: 4 })).address; // W-32: resolved for every probe
      } catch (e) {
        log.error({ interface: iface.interface }, `resolving ${target} failed: ${(e as Error).message}`);
        return { ok: false, rttMs: null, reason: 'resolve failed' };
      }
    }
    return probe({
      kind: test.type,
      ifname: iface.interface,
      mark: slotInfo(slots.get(iface.interface) ?? 0).mark,
      target,
      ttl: test.ttlLimit,
      timeoutSeconds: test.respTime,
    });
  };

  const onChange = (c: StateChange) => {
    // W-40: the dataplane first, then flush, hook, log and event.
    pushHealth();
    const hook = cfg?.hook;
    const flush = cfg?.flushConnections;
    void (async () => {
      if (flush) await conntrackFlush();
      if (hook) hooks?.enqueue(hook, { WLB_INTERFACE_NAME: c.interface, WLB_INTERFACE_STATE: c.to });
    })().catch((e: unknown) => log.error({ err: e }, 'state change follow-up failed'));
    if (c.from !== c.to)
      log.warn({ interface: c.interface }, `Interface ${c.interface} has changed state to ${c.to}`);
    else log.info({ interface: c.interface }, `Interface ${c.interface} starts ${c.to}`);
    bus?.publish('wlb.interface.state', {
      interface: c.interface,
      from: c.from,
      to: c.to,
      at: new Date(c.at).toISOString(),
      consecutiveFailures: c.consecutiveFailures,
    });
  };

  /** Routing tables, policy rules and the nftables table for `c` (idempotent). */
  const installKernel = async (c: WlbConfig) => {
    await readLeases(c);
    const uplinks = await installRoutes(c);
    await removeUplinks(new Set(uplinks.map((u) => u.slot.slot)));
    // Without source NAT nothing needs connection tracking: the flow table alone pins flows, and
    // the router forwards without conntrack's cost (router traffic is steered by conntrack marks).
    if (c.disableSourceNat && !c.enableLocalTraffic) await nftDeleteTable('ip', NFT_TABLE);
    else
      await nftApply(
        wlbNftScript(
          uplinks.map((u) => ({
            ifname: u.ifname,
            mark: u.slot.mark,
            ...(virtualAddresses.has(u.ifname) ? { virtualAddress: virtualAddresses.get(u.ifname) } : {}),
          })),
          !c.disableSourceNat,
          c.enableLocalTraffic
            ? { objects: localTrafficObjects(c, slots), rules: localTrafficRules(c, slots, active) }
            : null,
        ),
      );
  };

  const stopEngine = async () => {
    if (linkTimer) clearInterval(linkTimer);
    linkTimer = undefined;
    health?.stop();
    health = undefined;
    await hooks?.stop();
    hooks = undefined;
  };

  /** W-1: stops probing and removes everything WLB put in the kernel. */
  const teardown = async () => {
    await stopEngine();
    for (const ifindex of attached) {
      try {
        WlbDataplane.detach(ifindex);
      } catch {
        // the interface is gone, and its filter with it
      }
    }
    dp?.close();
    dp = undefined;
    attached = new Set();
    lastRulesKey = '';
    const dir = pinDir(instance);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.startsWith('wlb_')) unpin(join(dir, name));
    }
    await removeUplinks(new Set());
    await nftDeleteTable('ip', NFT_TABLE);
    slots = new Map();
    await saveSlots(slotsFile, slots);
    cfg = undefined;
  };

  const notConfigured = () => new TandemError('NOT_CONFIGURED', 'WAN load balancing is not configured');

  return {
    name: 'wlb',
    after: ['interfaces'],
    registerSchema: registerWlbSchema,
    validate: validateWlb,
    async apply(_prev, next, ctx) {
      instance = ctx.instance;
      slotsFile = join(ctx.stateDir, 'wlb-slots.json');
      stateDir = ctx.stateDir;
      const nextCfg = wlbConfigOf(next);
      if (!nextCfg) {
        // Also after a restart: leftovers of a configuration deleted while tandemd was down.
        if (cfg || (await loadSlots(slotsFile)).size || (await nftTableExists('ip', NFT_TABLE)))
          await teardown();
        return;
      }
      await sysctlSetHere({ 'net.netfilter.nf_conntrack_acct': '1' });
      slots = allocateSlots(
        await loadSlots(slotsFile),
        nextCfg.interfaces.map((i) => i.interface),
      );
      await saveSlots(slotsFile, slots);
      await readLinks();
      virtualAddresses = new Map(
        vrrpGroupsOf(next)
          .filter((g) => !g.disabled && g.family === 4 && g.vips[0])
          .reverse() // the first group of an interface wins
          .map((g) => [g.interface, g.vips[0]!.address]),
      );
      await installKernel(nextCfg);
      // A load failure throws before anything is attached: a running classifier stays as it was.
      dp ??= WlbDataplane.open(wlbObjectPath(), await ensurePinDir(instance));
      // Token buckets restart full when a rule's limit is new or changed (W-56).
      for (const r of nextCfg.rules) {
        const before = cfg?.rules.find((x) => x.number === r.number)?.limit;
        if (JSON.stringify(before ?? null) !== JSON.stringify(r.limit)) dp.resetLimit(r.number);
      }
      cfg = nextCfg;
      hooks ??= new HookQueue({ log });
      health ??= new HealthMonitor({ runTest, onChange });
      health.configure(nextCfg.interfaces);
      pushHealth();
      syncDataplane(true);
      linkTimer ??= setInterval(() => void pollLinks(), LINK_POLL_MS);
    },
    attach(host: FeatureHost) {
      bus = host.bus;
      host.rpc.register('wlb.status', () =>
        cfg && health
          ? wlbStatusOf(
              cfg,
              health.snapshot(),
              slots,
              new Map(
                [...links].flatMap(([n, l]) => (l.address ? [[n, l.address] as [string, string]] : [])),
              ),
              performance.now(),
              leases,
            )
          : { configured: false, interfaces: [] },
      );
      host.rpc.register('wlb.connections', async () =>
        cfg && dp
          ? wlbConnectionsOf(cfg.disableSourceNat ? null : await conntrackList(), dp.flows(), slots)
          : { configured: false, connections: [] },
      );
      host.rpc.register('wlb.rules', async () =>
        cfg && dp && health
          ? wlbRuleStatusOf(
              cfg,
              { totals: dp.totals(), rows: dp.counters() },
              cfg.enableLocalTraffic ? await localCounters() : null,
              slots,
              (n) => health?.state(n),
            )
          : { configured: false, forward: null, local: null },
      );
      host.rpc.register('wlb.restart', async () => {
        if (!cfg || !dp || !health) throw notConfigured();
        log.info('WAN load balancing restarting');
        await readLinks();
        await installKernel(cfg);
        health.restart();
        pushHealth();
        syncDataplane(true);
        return {};
      });
    },
    async shutdown() {
      // A clean stop leaves the dataplane in the kernel: the next tandemd takes it over hitlessly.
      await stopEngine();
      dp?.close();
      dp = undefined;
    },
  };
}
