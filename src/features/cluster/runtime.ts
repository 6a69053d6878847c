// The cluster on this node: starts the native heartbeat engine from the configuration, decides
// with the ownership rule (ownership.ts) whenever the engine reports a change, and runs the acquire
// and release sequences (resources.ts). One decision at a time; the engine keeps heartbeating
// whatever the event loop does.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EventBus } from '../../daemon/eventBus.js';
import {
  CLUSTER_PORT,
  ClusterEngine,
  type ClusterEngineConfig,
  type ClusterEngineStatus,
  ClusterFlag,
  type ClusterNodeState,
} from '../../native/clusterEngine.js';
import { writeFileAtomic } from '../../platform/atomicFile.js';
import * as ip from '../../platform/ip.js';
import type { ClusterModel } from './model.js';
import { type Decision, decideOwnership, type Role } from './ownership.js';
import { ResourceRunner, type ResourceStatus } from './resources.js';
import type { ClusterService } from './service.js';

/** Re-evaluation period: the sustained conditions of §4.5/4.8 are timed here. */
const TICK_MS = 100;
/** The holder record (CL-5) is rewritten at most this often while holding. */
const RECORD_REFRESH_MS = 1000;
const HOLDING: readonly ClusterNodeState[] = ['acquiring', 'active', 'releasing'];

interface HolderRecord {
  generation: number;
  holding: boolean;
  at: number;
  digest: string;
}

export interface ClusterSnapshot {
  model: ClusterModel;
  role: Role;
  node: string;
  peer: string;
  state: ClusterNodeState;
  stateSince: Date;
  generation: number;
  engine: ClusterEngineStatus;
  digest: string;
  forced: 'self' | 'peer' | null;
  resources: { service: ClusterService; status: ResourceStatus }[];
  counters: { takeovers: number; releases: number };
}

function digestOf(m: ClusterModel): Buffer {
  const canonical = JSON.stringify({
    group: m.group,
    primary: m.primary,
    secondary: m.secondary,
    autoFailback: m.autoFailback,
    monitors: m.monitors,
    services: m.services.map((s) => s.value),
  });
  return createHash('sha256').update(canonical).digest().subarray(0, 16);
}

/** Same group identity: a commit changing anything else is applied in place (CL-3, CL-4). */
function sameIdentity(a: ClusterModel, b: ClusterModel): boolean {
  return a.group === b.group && a.primary === b.primary && a.secondary === b.secondary;
}

export class ClusterRuntime {
  private engine: ClusterEngine | undefined;
  private model: ClusterModel | undefined;
  private role: Role = 'primary';
  private node = '';
  private state: ClusterNodeState = 'init';
  private stateSince = new Date();
  private generation = 0;
  private forced: 'self' | 'peer' | null = null;
  private fewerSince: number | undefined;
  private failbackSince: number | undefined;
  private peerAlive = false;
  /** What was last logged of each link and monitor (spec §4.14: transitions are logged). */
  private linksUp: boolean[] = [];
  private monitorStates: string[] = [];
  private lateSeen = 0;
  private busy = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private recordAt = 0;
  private readonly resources: ResourceRunner;
  private readonly counters = { takeovers: 0, releases: 0 };

  constructor(
    private readonly deps: { log: Logger; stateDir: () => string; bus: () => EventBus | undefined },
  ) {
    this.resources = new ResourceRunner(deps.log);
  }

  private get recordPath(): string {
    return join(this.deps.stateDir(), 'cluster.json');
  }

  /** The other configured node's name. */
  private peerOf(m: ClusterModel): string {
    return this.role === 'primary' ? m.secondary : m.primary;
  }

  private engineConfig(m: ClusterModel, skipInit: boolean): ClusterEngineConfig {
    return {
      node: this.node,
      peer: this.peerOf(m),
      group: m.group,
      role: this.role,
      links: m.interfaces,
      mcastGroup: m.mcastGroup,
      port: CLUSTER_PORT,
      keepaliveMs: m.keepaliveMs,
      deadMs: m.deadMs,
      monitorDeadMs: m.monitorDeadMs,
      initDeadMs: m.initDeadMs,
      secret: m.secret,
      monitors: m.monitors,
      digest: digestOf(m),
      generation: this.generation,
      skipInit,
    };
  }

  private async readRecord(): Promise<HolderRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.recordPath, 'utf8')) as HolderRecord;
    } catch {
      return undefined;
    }
  }

  private recordWrites: Promise<void> = Promise.resolve();

  /** Saves the holder record (CL-5); writes are queued (one file, one writer) and never throw. */
  private writeRecord(): Promise<void> {
    if (!this.model) return this.recordWrites;
    this.recordAt = Date.now();
    const r: HolderRecord = {
      generation: this.generation,
      holding: HOLDING.includes(this.state),
      at: this.recordAt,
      digest: digestOf(this.model).toString('hex'),
    };
    const path = this.recordPath;
    this.recordWrites = this.recordWrites
      .then(() => writeFileAtomic(path, `${JSON.stringify(r)}\n`))
      .catch((e) => this.deps.log.warn(`cluster state record: ${String(e)}`));
    return this.recordWrites;
  }

  /** Makes the running cluster match the configuration (undefined: clustering off). */
  async configure(model: ClusterModel | undefined, node: string, role: Role | undefined): Promise<void> {
    if (!model || !role) {
      await this.stop('config-change');
      return;
    }
    if (this.engine && this.model && sameIdentity(this.model, model) && this.node === node) {
      const before = this.model;
      this.model = model;
      this.engine.reconfigure(this.engineConfig(model, false));
      this.forced = null;
      if (HOLDING.includes(this.state)) {
        // CL-4: added services start at once, removed ones stop at once.
        const was = new Set(before.services.map((s) => s.value));
        const now = new Set(model.services.map((s) => s.value));
        await this.resources.release(before.services.filter((s) => !now.has(s.value)));
        await this.resources.acquire(model.services.filter((s) => !was.has(s.value)));
      }
      this.schedule();
      return;
    }
    await this.stop('config-change');
    this.model = model;
    this.node = node;
    this.role = role;
    const record = await this.readRecord();
    this.generation = (record?.generation ?? 0) + 1;
    // CL-5: a holder back within dead-interval, with its addresses still up, resumes at once.
    const resume =
      !!record?.holding &&
      Date.now() - record.at < model.deadMs &&
      record.digest === digestOf(model).toString('hex') &&
      (await this.addressesPresent(model.services));
    if (!resume) await this.resources.release(model.services);
    this.state = resume ? 'active' : 'init';
    this.stateSince = new Date();
    this.engine = new ClusterEngine(this.engineConfig(model, resume), () => this.schedule());
    const scheduling = this.engine.status().realtime
      ? 'real-time scheduling'
      : 'normal scheduling (SCHED_FIFO not permitted)';
    this.deps.log.info(
      `cluster engine started (group ${model.group}, node ${node}, role ${role}, generation ${this.generation}, ${scheduling})`,
    );
    if (resume) {
      this.deps.log.info('resumed as holder (restart within dead-interval)');
      this.resources.reannounce(model.services);
    } else {
      this.deps.log.info(`waiting up to ${model.initDeadMs} ms for peer ${this.peerOf(model)}`);
    }
    await this.writeRecord();
    this.timer ??= setInterval(() => this.schedule(), TICK_MS);
  }

  private async addressesPresent(services: readonly ClusterService[]): Promise<boolean> {
    const have = new Set(
      (await ip.addresses()).flatMap((a) => a.addr_info.map((i) => `${a.ifname} ${i.local}`)),
    );
    return services.every((s) => s.kind !== 'address' || have.has(`${s.ifname} ${s.address}`));
  }

  /** `force cluster active|standby` (spec §3.3). */
  force(where: 'active' | 'standby'): string {
    if (!this.engine || !this.model) throw new Error('Clustering is not configured');
    const s = this.engine.status();
    if (where === 'active') {
      this.forced = 'self';
      this.deps.log.info('force active requested');
      this.announce(this.state);
      this.schedule();
      return 'Requesting to take over cluster resources';
    }
    if (HOLDING.includes(this.state) && (!s.peer.alive || s.peer.state === 'init'))
      return `Cannot release cluster resources: peer ${this.peerOf(this.model)} is not alive`;
    this.forced = 'peer';
    this.deps.log.info('force standby requested');
    this.announce(this.state);
    this.schedule();
    return 'Attempting to release cluster resources';
  }

  private flags(): number {
    let f = this.model?.autoFailback ? ClusterFlag.autoFailback : 0;
    if (this.forced) f |= ClusterFlag.forced;
    if (this.forced === 'self') f |= ClusterFlag.takeoverRequest;
    if (this.forced === 'peer') f |= ClusterFlag.standbyRequest;
    return f;
  }

  private announce(state: ClusterNodeState): void {
    this.engine?.setLocal(state, this.flags());
  }

  private schedule(): void {
    if (this.busy) {
      this.pending = true;
      return;
    }
    this.busy = true;
    void (async () => {
      try {
        do {
          this.pending = false;
          await this.step();
        } while (this.pending);
      } catch (e) {
        this.deps.log.error(`cluster: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.busy = false;
      }
    })();
  }

  private async step(): Promise<void> {
    const engine = this.engine;
    const m = this.model;
    if (!engine || !m) return;
    const s = engine.status();
    const now = performance.now();
    const peerName = this.peerOf(m);
    const peerAlive = s.peer.alive;
    if (peerAlive !== this.peerAlive) {
      this.deps.log.info(`node ${peerName} is ${peerAlive ? 'alive' : 'dead'}`);
      this.peerAlive = peerAlive;
      if (!peerAlive) this.forced = null; // a node failure overrides a forced placement
    }
    this.logTransitions(s, m, peerName);
    const peerState = s.peer.state ?? 'unknown';
    const peerHolds = peerAlive && HOLDING.includes(peerState);
    const peerInit = peerAlive && peerState === 'init';
    // The peer's requests (its force commands) settle our side of a forced placement.
    const pf = s.peer.flags ?? 0;
    if (peerAlive && pf & ClusterFlag.takeoverRequest) this.forced = 'peer';
    else if (peerAlive && pf & ClusterFlag.standbyRequest) this.forced = 'self';
    if (this.state === 'init' && !s.inInit) {
      this.deps.log.info(
        s.leftInitAlone
          ? `no peer after ${m.initDeadMs} ms, continuing alone`
          : `peer ${peerName} heard, leaving init`,
      );
      this.setState('standby', s.leftInitAlone ? 'startup-alone' : 'startup');
    }
    const holds = HOLDING.includes(this.state);
    const mine = s.monitorsReachable;
    const theirs = s.peer.monitorsReachable ?? 0;
    const sustained = 2 * m.keepaliveMs;
    this.fewerSince = holds && peerAlive && !peerInit && mine < theirs ? (this.fewerSince ?? now) : undefined;
    this.failbackSince =
      m.autoFailback && this.role === 'secondary' && holds && peerAlive && !peerInit && theirs >= mine
        ? (this.failbackSince ?? now)
        : undefined;
    const d: Decision = decideOwnership({
      role: this.role,
      self: { init: this.state === 'init', holds, monitorsReachable: mine },
      peer: { alive: peerAlive, init: peerInit, holds: peerHolds, monitorsReachable: theirs },
      leftInitAlone: s.leftInitAlone && !s.peer.heard,
      forced: this.forced,
      fewerMonitorsSustained: this.fewerSince !== undefined && now - this.fewerSince >= sustained,
      failbackDue: this.failbackSince !== undefined && now - this.failbackSince >= sustained,
    });
    if (d.action === 'acquire') await this.acquire(d.reason);
    else if (d.action === 'release') await this.release(d.reason);
    else if (holds && peerHolds && this.state === 'active' && this.splitBrainSeen !== true) {
      this.splitBrainSeen = true;
      this.deps.log.warn(`split brain detected with ${peerName}; ${this.node} keeps resources`);
      this.resources.reannounce(m.services);
    }
    if (!peerHolds) this.splitBrainSeen = false;
    if (holds && Date.now() - this.recordAt >= RECORD_REFRESH_MS) await this.writeRecord();
  }

  private splitBrainSeen = false;

  private logTransitions(s: ClusterEngineStatus, m: ClusterModel, peerName: string): void {
    s.links.forEach((l, i) => {
      if (this.linksUp[i] !== undefined && this.linksUp[i] !== l.up)
        this.deps.log.info(`link ${peerName}/${m.interfaces[i]} ${l.up ? 'up' : 'dead'}`);
      this.linksUp[i] = l.up;
    });
    s.monitors.forEach((mon, i) => {
      if (
        this.monitorStates[i] !== undefined &&
        this.monitorStates[i] !== mon.state &&
        mon.state !== 'unknown'
      )
        this.deps.log.info(`monitor ${m.monitors[i]} ${mon.state}`);
      this.monitorStates[i] = mon.state;
    });
    if (s.counters.lateHeartbeats > this.lateSeen)
      this.deps.log.warn(`late heartbeat from ${peerName} (${s.counters.lateHeartbeats} so far)`);
    this.lateSeen = s.counters.lateHeartbeats;
  }

  private setState(to: ClusterNodeState, reason: string): void {
    const from = this.state;
    this.state = to;
    this.stateSince = new Date();
    this.announce(to);
    void this.writeRecord();
    if (this.model)
      this.deps.bus()?.publish('cluster.group.state', {
        group: this.model.group,
        node: this.node,
        role: this.role,
        from,
        to,
        reason,
        at: this.stateSince.toISOString(),
      });
  }

  private async acquire(reason: string): Promise<void> {
    const m = this.model!;
    this.deps.log.info(`acquiring resources (${reason})`);
    this.setState('acquiring', reason);
    await this.resources.acquire(m.services);
    this.counters.takeovers++;
    this.setState('active', reason);
    this.deps.log.info(`acquired resources [${m.services.map((s) => s.value).join(' ')}] (${reason})`);
  }

  private async release(reason: string): Promise<void> {
    const m = this.model!;
    this.deps.log.info(`releasing resources (${reason})`);
    this.setState('releasing', reason);
    await this.resources.release(m.services);
    this.counters.releases++;
    this.setState('standby', reason);
    this.deps.log.info('released resources');
  }

  /** `restart cluster` (spec §3.4): a new engine (next generation) resumes as holder without a
   * failover when this node holds (CL-5); counters are kept. */
  async restart(): Promise<void> {
    const m = this.model;
    const engine = this.engine;
    if (!m || !engine) throw new Error('Clustering is not configured');
    this.deps.log.info('restart requested');
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.writeRecord();
    engine.stop();
    this.engine = undefined;
    const [node, role] = [this.node, this.role];
    this.model = undefined;
    await this.configure(m, node, role);
  }

  /** Releases what this node holds (CL-2, CL-6), announces standby and stops the engine. */
  async stop(reason: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const engine = this.engine;
    if (!engine) return;
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    if (HOLDING.includes(this.state)) await this.release(reason);
    else this.announce('standby');
    await this.writeRecord();
    engine.stop();
    this.engine = undefined;
    this.model = undefined;
    this.state = 'init';
    this.deps.log.info('cluster engine stopped');
  }

  snapshot(): ClusterSnapshot | undefined {
    if (!this.engine || !this.model) return undefined;
    const m = this.model;
    return {
      model: m,
      role: this.role,
      node: this.node,
      peer: this.peerOf(m),
      state: this.state,
      stateSince: this.stateSince,
      generation: this.generation,
      engine: this.engine.status(),
      digest: digestOf(m).toString('hex'),
      forced: this.forced,
      resources: m.services.map((service) => ({ service, status: this.resources.statusOf(service) })),
      counters: { ...this.counters },
    };
  }
}
