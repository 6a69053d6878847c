// Watches the RAID sets from tandemd: every change (a member failing or vanishing, a degraded
// set, a rebuild starting or ending, a set whole again) is logged once, failures also on the
// system console, and published on the event bus. When the root set is whole, every member disk
// is made bootable (the replacement disk after its rebuild: spec R-13).
//
// Polling /sys once a second rather than poll(2) on md's sysfs attributes: Node cannot wait for
// POLLPRI, the read is a handful of small files, and a second is well inside the spec's "few
// seconds" for a report.
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { EventBus } from '../../daemon/eventBus.js';
import { writeFileAtomic } from '../../platform/atomicFile.js';
import { mdArrays, readMdSysfs } from '../../platform/mdadm.js';
import { describeChange, healthOf, raidChanges, type ArrayHealth, type RaidChange } from './health.js';

export interface RaidMonitorDeps {
  log: Logger;
  bus: EventBus;
  intervalMs?: number;
  /** Makes every disk of the root set bootable (a no-op off an installed mirror). */
  repairBootLoaders: (log: (line: string) => void) => Promise<string[]>;
  /** A login message file (pam_motd's /run/motd.d): present while a set is degraded. */
  motdFile?: string;
}

/** Console report: the kernel log at error level reaches the console even with `quiet`. */
async function toConsole(message: string): Promise<void> {
  await appendFile('/dev/kmsg', `<3>tandem: ${message}\n`).catch(() => {});
}

export class RaidMonitor {
  private prev = new Map<string, ArrayHealth>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly d: RaidMonitorDeps) {}

  start(): void {
    const tick = () => {
      this.running = this.poll().catch((e: unknown) => this.d.log.error({ err: e }, 'RAID poll failed'));
      void this.running.then(() => {
        if (this.timer) this.timer = setTimeout(tick, this.d.intervalMs ?? 1000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async poll(): Promise<void> {
    const next = new Map<string, ArrayHealth>();
    for (const md of await mdArrays()) next.set(md, healthOf(md, await readMdSysfs(md)));
    const changes = raidChanges(this.prev, next);
    this.prev = next;
    for (const c of changes) await this.report(c, next.get(c.md));
    if (changes.length && this.d.motdFile) await this.writeMotd(this.d.motdFile, [...next.values()]);
    if (changes.some((c) => c.kind === 'synchronized' || (c.kind === 'array-appeared' && !c.degraded)))
      await this.d.repairBootLoaders((line) => this.d.log.info(line));
  }

  /** The warning every login shows while a RAID set runs on one disk (spec §6 item 8). */
  private async writeMotd(file: string, arrays: ArrayHealth[]): Promise<void> {
    const degraded = arrays.filter((a) => a.degraded);
    if (!degraded.length) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(dirname(file), { recursive: true });
    const lines = degraded.map(
      (a) =>
        `WARNING: RAID set ${a.md} is degraded (running on ${a.inSync.join(', ') || 'no member'}${a.syncAction === 'recover' ? ', rebuilding' : ''}): see show raid ${a.md}`,
    );
    await writeFileAtomic(file, `${lines.join('\n')}\n`, 0o644);
  }

  private async report(c: RaidChange, h: ArrayHealth | undefined): Promise<void> {
    const { error, message } = describeChange(c);
    const fields = { md: c.md, change: c.kind, ...('member' in c ? { member: c.member } : {}) };
    if (error) {
      this.d.log.error(fields, message);
      await toConsole(message);
    } else this.d.log.info(fields, message);
    const at = new Date().toISOString();
    this.d.bus.publish('raid.array.state', {
      md: c.md,
      change: c.kind,
      message,
      degraded: h?.degraded ?? false,
      members: h?.members ?? [],
      failed: h?.faulty ?? [],
      at,
    });
    if (c.kind === 'degraded')
      this.d.bus.publish('raid.array.degraded', { md: c.md, inSync: c.inSync, failed: h?.faulty ?? [], at });
  }
}
