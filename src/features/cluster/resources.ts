// Acquire and release of the group's resources (spec clustering.md §4.7, CL-50…CL-56, §4.10):
// cluster addresses with gratuitous ARPs, then named services in order; the reverse on release.
import type { Logger } from 'pino';
import { gratuitousArp } from '../../native/clusterEngine.js';
import * as ip from '../../platform/ip.js';
import { runScript } from '../../platform/script.js';
import { sysctlSetHere } from '../../platform/sysctl.js';
import type { ClusterService } from './service.js';
import { serviceExecutable } from './validate.js';

const GARP_ROUNDS = 5;
const GARP_GAP_MS = 200;
const SERVICE_TIMEOUT_MS = 60_000;

export type ResourceStatus = 'up' | 'down' | 'running' | 'stopped' | 'failed';

/** The broadcast address of a cluster address: given, or derived from the prefix (none for /31, /32). */
function broadcastOf(s: Extract<ClusterService, { kind: 'address' }>): string | undefined {
  if (s.broadcast) return s.broadcast;
  if (s.prefix >= 31) return undefined;
  const n = s.address.split('.').reduce((a, o) => (a << 8) | Number(o), 0) >>> 0;
  const b = (n | (0xffffffff >>> s.prefix)) >>> 0;
  return [b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join('.');
}

function scriptArgs(s: ClusterService, action: 'start' | 'stop'): string[] {
  return s.kind === 'script' ? [...s.args, action] : [action];
}

export class ResourceRunner {
  private readonly status = new Map<string, ResourceStatus>();
  private garpTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly log: Logger) {}

  statusOf(s: ClusterService): ResourceStatus {
    return this.status.get(s.value) ?? (s.kind === 'address' ? 'down' : 'stopped');
  }

  /** CL-50 steps 3-4: addresses in order (with GARPs), then services in order. */
  async acquire(services: readonly ClusterService[]): Promise<void> {
    const labels = new Map<string, number>();
    for (const s of services) {
      if (s.kind !== 'address') continue;
      const n = labels.get(s.ifname) ?? 0;
      labels.set(s.ifname, n + 1);
      const label = `${s.ifname}:${n}`;
      try {
        await sysctlSetHere({ [`net.ipv4.conf.${s.ifname}.promote_secondaries`]: '1' });
        await ip.addrReplace(s.ifname, `${s.address}/${s.prefix}`, {
          broadcast: broadcastOf(s),
          label: label.length <= 15 ? label : undefined,
        });
        this.status.set(s.value, 'up');
        this.log.info(`added ${s.address}/${s.prefix} on ${s.ifname}`);
        this.announce(s.ifname, s.address);
      } catch (e) {
        this.status.set(s.value, 'failed');
        this.log.error(`could not add ${s.address}/${s.prefix} on ${s.ifname}: ${String(e)}`);
      }
    }
    for (const s of services) if (s.kind !== 'address') await this.runService(s, 'start');
  }

  /** CL-51 steps 2-3: services in reverse order, then addresses in reverse order. */
  async release(services: readonly ClusterService[]): Promise<void> {
    for (const t of this.garpTimers) clearTimeout(t);
    this.garpTimers.clear();
    const reversed = [...services].reverse();
    for (const s of reversed) if (s.kind !== 'address') await this.runService(s, 'stop');
    for (const s of reversed) {
      if (s.kind !== 'address') continue;
      try {
        await ip.addrDelete(undefined, s.ifname, `${s.address}/${s.prefix}`);
        this.log.info(`removed ${s.address}/${s.prefix} from ${s.ifname}`);
      } catch {
        // Already absent (CL-53).
      }
      this.status.set(s.value, 'down');
    }
  }

  /** Gratuitous ARPs again (split brain resolved: neighbours must relearn the keeper's MAC). */
  reannounce(services: readonly ClusterService[]): void {
    for (const s of services) if (s.kind === 'address') this.announce(s.ifname, s.address);
  }

  private announce(ifname: string, address: string): void {
    this.log.info(`sending gratuitous ARPs for ${address} on ${ifname}`);
    for (let round = 0; round < GARP_ROUNDS; round++) {
      const t = setTimeout(() => {
        this.garpTimers.delete(t);
        try {
          gratuitousArp(ifname, address);
        } catch (e) {
          this.log.warn(`gratuitous ARP for ${address} on ${ifname}: ${String(e)}`);
        }
      }, round * GARP_GAP_MS);
      this.garpTimers.add(t);
    }
  }

  private async runService(s: ClusterService, action: 'start' | 'stop'): Promise<void> {
    const exe = serviceExecutable(s);
    if (!exe) {
      this.status.set(s.value, 'failed');
      this.log.error(`service ${s.value}: no executable found`);
      return;
    }
    const r = await runScript(exe, {
      args: scriptArgs(s, action),
      timeoutMs: SERVICE_TIMEOUT_MS,
      killAfterMs: 5000,
      log: this.log,
      fields: { service: s.value, action },
    });
    const ok = r.code === 0;
    if (action === 'start') {
      this.status.set(s.value, ok ? 'running' : 'failed');
      if (ok) this.log.info(`started service ${s.value}`);
      else this.log.error(`service ${s.value} failed to start (exit ${r.code ?? r.signal ?? r.error})`);
    } else {
      this.status.set(s.value, 'stopped');
      if (ok) this.log.info(`stopped service ${s.value}`);
      else this.log.warn(`service ${s.value} failed to stop (exit ${r.code ?? r.signal ?? r.error})`);
    }
  }
}
