// Transition scripts (spec §4.9): run per group one at a time, the latest pending transition
// only, never blocking the engine; output and exit status go to the VRRP log.
import type { Logger } from 'pino';
import { runScript } from '../../platform/script.js';
import type { VrrpGroup } from './groups.js';
import { scriptPath } from './validate.js';

const TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 5_000;

interface Job {
  script: string;
  state: string;
  previous: string;
  group: VrrpGroup;
  priority: number;
}

export class TransitionScripts {
  private readonly running = new Set<string>();
  private readonly pending = new Map<string, Job>();

  constructor(private readonly log: Logger) {}

  /** Called on a real state change into MASTER, BACKUP or FAULT. */
  transition(group: VrrpGroup, state: string, previous: string, priority: number): void {
    const key = state.toLowerCase() as 'master' | 'backup' | 'fault';
    const script = group.scripts[key];
    if (!script) return;
    this.pending.set(group.instance, { script: scriptPath(script), state: key, previous, group, priority });
    this.next(group.instance);
  }

  private next(instance: string): void {
    if (this.running.has(instance)) return;
    const job = this.pending.get(instance);
    if (!job) return;
    this.pending.delete(instance);
    this.running.add(instance);
    const g = job.group;
    const env = {
      VRRP_STATE: job.state,
      VRRP_PREVIOUS_STATE: job.previous.toLowerCase(),
      VRRP_INTERFACE: g.interface,
      VRRP_GROUP: String(g.vrid),
      VRRP_VRRP_INTERFACE: g.vrrpInterface ?? '',
      VRRP_VIPS: g.virtualAddresses.join(' '),
      VRRP_SYNC_GROUP: g.syncGroup ?? '',
      VRRP_PRIORITY: String(job.priority),
    };
    const line = `VRRP_Instance(${instance}) running ${job.state} script ${job.script}`;
    this.log.info({ instance }, line);
    void runScript(job.script, {
      args: [job.state, g.interface, String(g.vrid)],
      env,
      timeoutMs: TIMEOUT_MS,
      killAfterMs: KILL_GRACE_MS,
      log: this.log,
      fields: { instance },
    }).then((r) => {
      this.running.delete(instance);
      const why = r.error ? `failed: ${r.error}` : r.signal ? `killed by ${r.signal}` : `exited ${r.code}`;
      const msg = `VRRP_Instance(${instance}) ${job.state} script ${why}`;
      if (r.code === 0) this.log.info({ instance }, msg);
      else this.log.warn({ instance }, msg);
      this.next(instance);
    });
  }
}
