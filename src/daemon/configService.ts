// The configuration as a service: running tree, per-connection configure sessions (each with its
// candidate), commit with archive and commit-confirm, save/load of config.boot. One commit at a
// time; a rejected or failed commit leaves running, kernel, archive and saved file as they were.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, dirname } from 'node:path';
import type { Logger } from 'pino';
import { CommitArchive } from '../config/archive.js';
import { parseBoot, printBoot } from '../config/bootSyntax.js';
import { CommitEngine } from '../config/commit.js';
import { complete } from '../config/completion.js';
import { renderCompare } from '../config/diff.js';
import { deletePath, setPath } from '../config/edit.js';
import { showConfig } from '../config/showConfig.js';
import { type ConfigTree, treeFromBoot, treeToBoot, withDefaults } from '../config/tree.js';
import { ConfigPathError, TandemError } from '../errors.js';
import type { ApplyContext, CommittedInfo, ConfigOp, SystemFacts } from '../features/feature.js';
import { encryptPlaintextPasswords } from '../features/system/plaintextPasswords.js';
import { writeFileAtomic } from '../platform/atomicFile.js';
import * as ip from '../platform/ip.js';

export interface Who {
  user: string;
  via: string;
}

interface Session {
  candidate: ConfigTree;
  /** Archive sequence of the running config this session started from. */
  baseSeq: number;
}

interface PendingConfirm {
  timer: NodeJS.Timeout;
  deadline: string;
}

export class ConfigService {
  private running: ConfigTree = {};
  private readonly sessions = new Map<number, Session>();
  private commitChain: Promise<unknown> = Promise.resolve();
  private pending: PendingConfirm | undefined;

  constructor(
    readonly engine: CommitEngine,
    private readonly archive: CommitArchive,
    readonly configFile: string,
    private readonly ctx: ApplyContext,
    private readonly log: Logger,
  ) {}

  get registry() {
    return this.engine.registry;
  }

  private get runningSeq(): number {
    return this.archive.list()[0]?.seq ?? 0;
  }

  text(tree: ConfigTree): string {
    return printBoot(treeToBoot(tree, this.registry));
  }

  parse(text: string, file: string): ConfigTree {
    return treeFromBoot(parseBoot(text, file), this.registry, file);
  }

  /** At start: commit the boot configuration (a missing file is an empty configuration). */
  async boot(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.configFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.log.warn({ file: this.configFile }, 'no boot configuration; starting empty');
    }
    const tree = this.parse(text, this.configFile);
    await this.exclusive(() => this.commitTree(tree, { user: 'system', via: 'boot' }, 'boot configuration'));
  }

  // ---- operational -----------------------------------------------------------------------------

  showRunning(words: readonly string[], all: boolean): string {
    return showConfig(all ? withDefaults(this.running, this.registry) : this.running, this.registry, words);
  }

  /** The running configuration with schema defaults (what features read). */
  runningRaw(): ConfigTree {
    return this.running;
  }

  private readonly committedHooks: ((info: CommittedInfo) => Promise<string[]>)[] = [];

  onCommitted(hook: (info: CommittedInfo) => Promise<string[]>): void {
    this.committedHooks.push(hook);
  }

  /**
   * A peer's transaction (config-sync C-11, C-23): ops applied to the running configuration in a
   * session of their own, committed as one (all or nothing) with `comment`, then saved. A rejected
   * commit leaves running and saved configuration as they were.
   */
  async applyOps(
    ops: readonly ConfigOp[],
    who: Who,
    comment: string,
  ): Promise<{ committed: boolean; revision?: number; errors: { path: string[]; message: string }[] }> {
    return this.exclusive(async () => {
      let tree = this.running;
      try {
        for (const o of ops)
          tree =
            o.op === 'set' ? setPath(tree, this.registry, o.path) : deletePath(tree, this.registry, o.path);
      } catch (e) {
        return { committed: false, errors: [errorOf(e)] };
      }
      try {
        const r = await this.commitTree(tree, who, comment);
        await writeFileAtomic(this.configFile, this.text(this.running));
        return { committed: r.changed, ...(r.revision ? { revision: r.revision } : {}), errors: [] };
      } catch (e) {
        return { committed: false, errors: errorsOf(e) };
      }
    });
  }

  runningWithDefaults(): ConfigTree {
    return withDefaults(this.running, this.registry);
  }

  /** The running subtree at `words` as JSON (for `show configuration --json`). */
  runningJson(words: readonly string[], all: boolean): unknown {
    const tree = all ? withDefaults(this.running, this.registry) : this.running;
    let value: unknown = tree;
    for (const step of this.registry.nodeAt(words).steps) {
      value =
        value && typeof value === 'object' && Object.hasOwn(value, step.word)
          ? (value as ConfigTree)[step.word]
          : undefined;
    }
    return value ?? null;
  }

  commits() {
    return {
      revisions: this.archive.list().map((e, index) => ({ index, ...e })),
      pendingConfirm: this.pending?.deadline ?? null,
    };
  }

  // ---- sessions --------------------------------------------------------------------------------

  open(id: number): void {
    this.sessions.set(id, { candidate: this.running, baseSeq: this.runningSeq });
  }

  close(id: number): void {
    this.sessions.delete(id);
  }

  private session(id: number): Session {
    const s = this.sessions.get(id);
    if (!s) throw new TandemError('NO_SESSION', 'not in configuration mode (tandem configure)');
    return s;
  }

  set(id: number, words: readonly string[]): void {
    const s = this.session(id);
    s.candidate = setPath(s.candidate, this.registry, words);
  }

  delete(id: number, words: readonly string[]): void {
    const s = this.session(id);
    s.candidate = deletePath(s.candidate, this.registry, words);
  }

  show(id: number, words: readonly string[], all: boolean): string {
    const c = this.session(id).candidate;
    return showConfig(all ? withDefaults(c, this.registry) : c, this.registry, words);
  }

  changed(id: number): boolean {
    return this.text(this.session(id).candidate) !== this.text(this.running);
  }

  /** Uncommitted changes, or against archive revision `revision` when given. */
  async compare(id: number, revision?: number): Promise<string> {
    const c = this.session(id).candidate;
    const base =
      revision === undefined
        ? this.running
        : this.parse(await this.archive.text(revision), `revision ${revision}`);
    return renderCompare(base, c, this.registry);
  }

  complete(id: number, words: readonly string[], partial: string) {
    return complete(this.registry, this.session(id).candidate, words, partial);
  }

  discard(id: number): void {
    this.open(id);
  }

  async load(id: number, file?: string): Promise<void> {
    const path = this.resolveFile(file);
    const s = this.session(id);
    s.candidate = this.parse(await readFile(path, 'utf8'), path);
  }

  /** The candidate becomes revision `revision` of the archive (commit still needed, as in Vyatta). */
  async rollback(id: number, revision: number): Promise<void> {
    const s = this.session(id);
    s.candidate = this.parse(await this.archive.text(revision), `revision ${revision}`);
  }

  async commit(
    id: number,
    who: Who,
    opts: { comment?: string; confirmMinutes?: number } = {},
  ): Promise<{
    changed: boolean;
    features: string[];
    warnings: string[];
    revision?: number;
    confirmBy?: string;
  }> {
    const s = this.session(id);
    return this.exclusive(async () => {
      if (s.baseSeq !== this.runningSeq) {
        throw new TandemError(
          'CONFIG_CHANGED',
          'the running configuration was changed by another commit since this session started: discard (and redo) your changes',
        );
      }
      if (opts.confirmMinutes !== undefined && !(opts.confirmMinutes > 0 && opts.confirmMinutes <= 1440)) {
        throw new TandemError('USAGE', 'commit-confirm takes minutes from 1 to 1440 (decimals allowed)');
      }
      const previous = this.running;
      const result = await this.commitTree(s.candidate, who, opts.comment);
      s.candidate = this.running;
      s.baseSeq = this.runningSeq;
      if (!result.changed) return result;
      if (opts.confirmMinutes !== undefined)
        return { ...result, confirmBy: this.armConfirm(previous, opts.confirmMinutes) };
      return result;
    });
  }

  /** Keeps the configuration committed with commit-confirm. */
  confirm(): { confirmed: boolean } {
    if (!this.pending) return { confirmed: false };
    clearTimeout(this.pending.timer);
    this.pending = undefined;
    return { confirmed: true };
  }

  /** Writes the running configuration to the boot file (or another file). */
  async save(file?: string): Promise<{ file: string }> {
    const path = this.resolveFile(file);
    await writeFileAtomic(path, this.text(this.running));
    return { file: path };
  }

  shutdown(): void {
    if (this.pending) clearTimeout(this.pending.timer);
  }

  // ---- internals -------------------------------------------------------------------------------

  private resolveFile(file?: string): string {
    if (!file) return this.configFile;
    return isAbsolute(file) ? file : join(dirname(this.configFile), file);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.commitChain.then(fn, fn);
    this.commitChain = next.catch(() => undefined);
    return next;
  }

  private async facts(): Promise<SystemFacts> {
    const links = await ip.links();
    return {
      interfaces: new Set(links.map((l) => l.ifname)),
      linksDown: new Set(links.filter((l) => !l.flags.includes('LOWER_UP')).map((l) => l.ifname)),
    };
  }

  private async commitTree(candidate: ConfigTree, who: Who, comment?: string) {
    const tree = await encryptPlaintextPasswords(candidate);
    const text = this.text(tree);
    if (text === this.text(this.running) && this.archive.list().length > 0) {
      return { changed: false, features: [] as string[], warnings: [] as string[] };
    }
    const { features, warnings } = await this.engine.commit(this.running, tree, await this.facts(), this.ctx);
    this.running = tree;
    // Revision 0 is always the running configuration: a boot of the newest revision adds nothing.
    const newest = this.archive.list().length ? await this.archive.text(0) : undefined;
    let revision: number | undefined;
    if (newest !== text) {
      await this.archive.record(text, { ...who, ...(comment ? { comment } : {}) });
      revision = this.runningSeq;
    }
    this.log.info({ features, warnings, user: who.user, via: who.via, revision }, 'configuration committed');
    for (const hook of this.committedHooks) {
      try {
        warnings.push(...(await hook({ user: who.user, via: who.via, ...(comment ? { comment } : {}) })));
      } catch (e) {
        this.log.error({ err: e }, 'after-commit hook failed');
      }
    }
    return { changed: true, features, warnings, ...(revision ? { revision } : {}) };
  }

  private armConfirm(previous: ConfigTree, minutes: number): string {
    if (this.pending) clearTimeout(this.pending.timer);
    const deadline = new Date(Date.now() + minutes * 60_000).toISOString();
    const timer = setTimeout(() => {
      this.pending = undefined;
      this.exclusive(() =>
        this.commitTree(
          previous,
          { user: 'system', via: 'commit-confirm' },
          `not confirmed within ${minutes} min: rolled back`,
        ),
      ).then(
        () => this.log.warn({ minutes }, 'commit not confirmed: previous configuration restored'),
        (e) => this.log.error({ err: e }, 'commit-confirm rollback failed'),
      );
    }, minutes * 60_000);
    this.pending = { timer, deadline };
    return deadline;
  }
}

function errorOf(e: unknown): { path: string[]; message: string } {
  if (e instanceof ConfigPathError) return { path: [...e.path], message: e.message };
  return { path: [], message: e instanceof Error ? e.message : String(e) };
}

/** A rejected commit's problems: each with its path where it has one. */
function errorsOf(e: unknown): { path: string[]; message: string }[] {
  const list = (e as { errors?: { path: readonly string[]; message: string }[] }).errors;
  return Array.isArray(list) && list.length
    ? list.map((x) => ({ path: [...x.path], message: x.message }))
    : [errorOf(e)];
}
