// What every feature provides to the daemon: its schema, its cross-node rules, and how to make the
// system match a configuration. Features meet only through the config tree and the event bus.
import type { Logger } from 'pino';
import type { SchemaRegistry } from '../config/registry.js';
import type { EventBus } from '../daemon/eventBus.js';
import type { RpcServer } from '../daemon/rpcServer.js';
import type { ConfigTree } from '../config/tree.js';
import type { ConfigPathError } from '../errors.js';

/** Live facts validation may consult (read before each commit). */
export interface SystemFacts {
  /** Interface names present in this router's network namespace. */
  interfaces: ReadonlySet<string>;
  /** VRRP interfaces Tandem created (their names are not taken by another interface). */
  vrrpInterfaces?: ReadonlySet<string>;
  /** Interfaces whose link is down (no carrier or administratively down), when known. */
  linksDown?: ReadonlySet<string>;
}

export interface ApplyContext {
  log: Logger;
  stateDir: string;
  instance: string;
}

export interface Feature {
  name: string;
  /** Features whose apply must run before this one's. */
  after?: readonly string[];
  registerSchema(registry: SchemaRegistry): void;
  /** Rules across nodes (or against live facts); trees carry schema defaults. */
  validate?(tree: ConfigTree, facts: SystemFacts): ConfigPathError[];
  /**
   * Makes the system match `next`, given that it matched `prev` (both with schema defaults).
   * Must converge from a half-applied state too: rolling back is apply(next, prev).
   */
  apply?(prev: ConfigTree, next: ConfigTree, ctx: ApplyContext): Promise<void>;
  /** Once at daemon start: register operational RPC methods, subscribe to the bus. */
  attach?(host: FeatureHost): void;
  /** Clean daemon stop (SIGTERM), after which nothing of the feature may run. */
  shutdown?(): Promise<void>;
}

/** What the daemon offers a feature for its operational side. */
export interface FeatureHost {
  rpc: RpcServer;
  bus: EventBus;
  /** The running configuration with schema defaults. */
  running(): ConfigTree;
  /** The configuration service, for features that read or change configuration themselves
   * (config-sync: its API applies a peer's changes; the master syncs after each commit). */
  config: ConfigAccess;
}

/** One change of a remote-applied transaction: `set` or `delete` of a path of words. */
export interface ConfigOp {
  op: 'set' | 'delete';
  path: string[];
}

export interface CommittedInfo {
  user: string;
  via: string;
  comment?: string;
}

export interface ConfigAccess {
  registry: SchemaRegistry;
  /** The running configuration as committed (without defaults). */
  runningRaw(): ConfigTree;
  /** Applies ops to the running configuration as one commit (validated like any) and saves. */
  applyOps(
    ops: readonly ConfigOp[],
    who: { user: string; via: string },
    comment: string,
  ): Promise<{ committed: boolean; revision?: number; errors: { path: string[]; message: string }[] }>;
  /** Runs after every successful commit; what it returns is added to the commit's warnings. */
  onCommitted(hook: (info: CommittedInfo) => Promise<string[]>): void;
}

/** Features in an order where each comes after the ones it names in `after`. */
export function applyOrder(features: readonly Feature[]): Feature[] {
  const byName = new Map(features.map((f) => [f.name, f]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: Feature[] = [];
  const visit = (f: Feature) => {
    if (done.has(f.name)) return;
    if (visiting.has(f.name)) throw new Error(`feature dependency cycle through '${f.name}'`);
    visiting.add(f.name);
    for (const dep of f.after ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`feature '${f.name}' runs after unknown feature '${dep}'`);
      visit(d);
    }
    visiting.delete(f.name);
    done.add(f.name);
    order.push(f);
  };
  features.forEach(visit);
  return order;
}
