// The WLB hook (spec §4.11, W-61…W-64): one run per interface state change, one at a time in
// event order, never blocking health checks or the dataplane; 60 s limit, then TERM and KILL.
import type { Logger } from 'pino';
import { runScript } from '../../platform/script.js';

interface Job {
  path: string;
  env: Record<string, string>;
}

export class HookQueue {
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #killAfterMs: number;
  readonly #queue: Job[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(opts: { log: Logger; timeoutMs?: number; killAfterMs?: number }) {
    this.#log = opts.log;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
    this.#killAfterMs = opts.killAfterMs ?? 5_000;
  }

  enqueue(path: string, env: Record<string, string>): void {
    if (this.#stopped) return;
    this.#queue.push({ path, env });
    this.#running ??= this.#drain();
  }

  /** Resolves when every queued hook has finished. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Drops hooks not yet started and waits for the running one. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.length = 0;
    await this.idle();
  }

  async #drain(): Promise<void> {
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      this.#log.info({ script: job.path }, `executing script: ${job.path}`);
      const r = await runScript(job.path, {
        env: job.env,
        timeoutMs: this.#timeoutMs,
        killAfterMs: this.#killAfterMs,
        log: this.#log,
      });
      if (r.error) this.#log.error({ script: job.path }, `hook ${job.path} could not run: ${r.error}`);
      else if (r.timedOut)
        this.#log.error({ script: job.path }, `hook ${job.path} ran too long and was stopped`);
      else if (r.code !== 0)
        this.#log.warn({ script: job.path }, `hook ${job.path} exited ${r.code ?? `on ${r.signal}`}`);
    }
    this.#running = undefined;
  }
}
