// Config-sync (spec config-sync.md): the master pushes the sync-map's scope of its running
// configuration to each remote router after every commit, at start-up and on `update
// config-sync`; `service https` is the API a standby serves for it. Results per remote are kept
// (and persisted) for `show config-sync status`.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { printBoot } from '../../config/bootSyntax.js';
import { setPath } from '../../config/edit.js';
import { configLines, lineText } from '../../config/lines.js';
import { type ConfigTree, treeToBoot } from '../../config/tree.js';
import type { SchemaRegistry } from '../../config/registry.js';
import { featureLogger } from '../../log.js';
import { packageVersion } from '../../packageRoot.js';
import { writeFileAtomic } from '../../platform/atomicFile.js';
import type { ConfigAccess, Feature, FeatureHost } from '../feature.js';
import { ApiServer } from './apiServer.js';
import { ensureCertificate } from './certificate.js';
import { type AccessStatus, SyncError } from './client.js';
import { type RemoteRouter, type SyncModel, syncModelOf } from './model.js';
import { inScope } from './scope.js';
import { registerConfigSyncSchema, registerHttpsSchema, type HttpsConfig } from './schema.js';
import { type Contact, compareRemote, syncRemote } from './sync.js';
import { validateConfigSync } from './validate.js';

export const API_PORT = 443;
const RECHECK_MS = 300_000;
const STARTUP_RETRY_MS = [5000, 300_000] as const;

export interface RemoteStatus {
  remoteRouter: string;
  version: string | null;
  localVersion: string;
  syncMap: string;
  lastSync: 'good' | 'failed' | 'never';
  lastSyncTime: string | null;
  inSync: boolean | null;
  accessStatus: AccessStatus | null;
  errorStage: string | null;
  error: string | null;
  tlsFingerprint: string | null;
}

export interface RemoteDifference {
  remoteRouter: string;
  inSync: boolean | null;
  onlyOnMaster: string[];
  onlyOnRemote: string[];
  error: string | null;
}

export interface UpdateResult {
  remoteRouter: string;
  result: 'synchronized' | 'already-in-sync' | 'failed';
  errorStage: string | null;
  error: string | null;
}

/** The master's side. */
export function createConfigSyncFeature(): Feature {
  const log = featureLogger('config-sync');
  let model: SyncModel | undefined;
  let stateDir = '';
  let config: ConfigAccess | undefined;
  let localVersion = '';
  const status = new Map<string, RemoteStatus>();
  let pins: Record<string, string> = {};
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;

  const file = (name: string) => join(stateDir, 'config-sync', name);
  const persist = async () => {
    await writeFileAtomic(file('status.json'), `${JSON.stringify([...status.values()], null, 2)}\n`);
    await writeFileAtomic(file('pins.json'), `${JSON.stringify(pins, null, 2)}\n`);
  };
  const load = async () => {
    try {
      for (const s of JSON.parse(await readFile(file('status.json'), 'utf8')) as RemoteStatus[])
        status.set(s.remoteRouter, s);
      pins = JSON.parse(await readFile(file('pins.json'), 'utf8')) as Record<string, string>;
    } catch {
      // First start.
    }
  };

  const statusOf = (r: RemoteRouter): RemoteStatus => {
    const s = status.get(r.address) ?? {
      remoteRouter: r.address,
      version: null,
      localVersion,
      syncMap: r.syncMap,
      lastSync: 'never',
      lastSyncTime: null,
      inSync: null,
      accessStatus: null,
      errorStage: null,
      error: null,
      tlsFingerprint: null,
    };
    s.syncMap = r.syncMap;
    s.localVersion = localVersion;
    status.set(r.address, s);
    return s;
  };

  const peerOf = (r: RemoteRouter) => ({
    address: r.address,
    port: API_PORT,
    username: r.username,
    password: r.password,
    pinned: r.fingerprint ?? pins[r.address],
  });

  const running = (): ConfigTree => config!.runningRaw();
  const hostName = () =>
    (running()['system'] as { 'host-name'?: string } | undefined)?.['host-name'] ?? hostname();
  const rulesOf = (r: RemoteRouter) => model?.maps.get(r.syncMap) ?? [];

  /** Records a contact: pins the certificate on first sight, notes (and logs) sync state. */
  const contacted = (r: RemoteRouter, c: Contact) => {
    const s = statusOf(r);
    if (!r.fingerprint && !pins[r.address]) {
      pins[r.address] = c.fingerprint;
      log.info(`config-sync: pinned the certificate of ${r.address}: ${c.fingerprint}`);
    }
    const inSync = c.diff.onlyOnMaster.length === 0 && c.diff.onlyOnRemote.length === 0;
    if (s.inSync === true && !inSync) log.warn(`config-sync: ${r.address} configuration is out of sync`);
    if (s.inSync === false && inSync) log.info(`config-sync: ${r.address} configuration is in sync again`);
    s.inSync = inSync;
    // C-41: the standby syncs back to us: each ignores what the other sends on, but say so.
    const back = (
      c.remoteTree['system'] as { 'config-sync'?: { 'remote-router'?: Record<string, unknown> } } | undefined
    )?.['config-sync']?.['remote-router'];
    if (back && c.localAddress && Object.keys(back).includes(c.localAddress.replace(/^::ffff:/, '')))
      log.warn(`config-sync: mutual config-sync between ${hostName()} and ${r.address}`);
    s.version = c.version;
    s.accessStatus = 'connected';
    s.tlsFingerprint = c.fingerprint;
  };

  const failed = (r: RemoteRouter, e: unknown, sync: boolean): SyncError => {
    const err =
      e instanceof SyncError
        ? e
        : new SyncError('api-error', 'read', e instanceof Error ? e.message : String(e));
    const s = statusOf(r);
    s.accessStatus = err.access;
    if (err.access !== 'connected') s.inSync = null;
    if (sync) {
      s.lastSync = 'failed';
      s.lastSyncTime = new Date().toISOString();
      s.errorStage = err.stage;
      s.error = err.message;
    }
    return err;
  };

  /** The remote's configuration within the sync-map's scope, as config.boot text (status detail). */
  const lastRemote = new Map<string, ConfigTree>();
  const scopedText = (r: RemoteRouter): string | null => {
    const tree = lastRemote.get(r.address);
    if (!tree || !config) return null;
    let scopedTree: ConfigTree = {};
    for (const words of configLines(tree, config.registry))
      if (inScope(rulesOf(r), words)) scopedTree = setPath(scopedTree, config.registry, words);
    return printBoot(treeToBoot(scopedTree, config.registry));
  };

  const compare = async (r: RemoteRouter): Promise<RemoteDifference> => {
    try {
      const c = await compareRemote(peerOf(r), rulesOf(r), running(), config!.registry);
      lastRemote.set(r.address, c.remoteTree);
      contacted(r, c);
      return {
        remoteRouter: r.address,
        inSync: statusOf(r).inSync,
        onlyOnMaster: c.diff.onlyOnMaster.map(lineText),
        onlyOnRemote: c.diff.onlyOnRemote.map(lineText),
        error: null,
      };
    } catch (e) {
      const err = failed(r, e, false);
      return {
        remoteRouter: r.address,
        inSync: null,
        onlyOnMaster: [],
        onlyOnRemote: [],
        error: err.message,
      };
    }
  };

  const sync = async (r: RemoteRouter): Promise<UpdateResult> => {
    try {
      const { result, contact } = await syncRemote(
        peerOf(r),
        rulesOf(r),
        running(),
        config!.registry,
        hostName(),
      );
      contacted(r, contact);
      const s = statusOf(r);
      Object.assign(s, {
        lastSync: 'good',
        lastSyncTime: new Date().toISOString(),
        inSync: true,
        errorStage: null,
        error: null,
      });
      log.info(`config-sync: ${r.address} ${result === 'synchronized' ? 'updated' : 'already in sync'}`);
      return { remoteRouter: r.address, result, errorStage: null, error: null };
    } catch (e) {
      const err = failed(r, e, true);
      log.warn(`config-sync: ${r.address} FAILED (${err.stage}): ${err.message}`);
      return { remoteRouter: r.address, result: 'failed', errorStage: err.stage, error: err.message };
    }
  };

  const select = (addr: string | undefined): RemoteRouter[] => {
    const remotes = model?.remotes ?? [];
    if (!addr) return remotes;
    const r = remotes.find((x) => x.address === addr);
    if (!r) throw new Error(`${addr} is not a configured config-sync remote-router`);
    return [r];
  };

  const syncAll = async (addr?: string): Promise<UpdateResult[]> => {
    const results = await Promise.all(select(addr).map(sync));
    await persist().catch((e) => log.warn(`config-sync state: ${String(e)}`));
    return results;
  };

  /** Start-up (C-12 b, C-15): unreachable remotes are retried with backoff until first contact. */
  const startupSync = (delay: number) => {
    retry = setTimeout(() => {
      void syncAll().then((results) => {
        const unreachable = results.some(
          (r) => r.result === 'failed' && status.get(r.remoteRouter)?.accessStatus === 'unreachable',
        );
        if (unreachable && model) startupSync(Math.min(delay * 2, STARTUP_RETRY_MS[1]));
      });
    }, delay);
  };

  let registry: SchemaRegistry | undefined;
  return {
    name: 'config-sync',
    after: ['system'],
    registerSchema(r) {
      registry = r;
      registerConfigSyncSchema(r);
    },
    validate: (tree, facts) => validateConfigSync(tree, facts, registry),
    async apply(_prev, next, ctx) {
      stateDir = ctx.stateDir;
      if (!localVersion) {
        localVersion = packageVersion();
        await load();
      }
      model = syncModelOf(next);
      if (model && !timer)
        timer = setInterval(() => {
          void Promise.all((model?.remotes ?? []).map(compare)).then(() => persist().catch(() => undefined));
        }, RECHECK_MS);
      if (!model && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    },
    attach(host: FeatureHost) {
      config = host.config;
      host.config.onCommitted(async (info) => {
        // C-41: what arrived through config-sync is never passed on.
        if (!model?.remotes.length || info.via === 'config-sync') return [];
        if (info.via === 'boot') {
          if (retry) clearTimeout(retry);
          startupSync(0);
          return [];
        }
        const results = await syncAll();
        return results.map((r) =>
          r.result === 'failed'
            ? `config-sync: ${r.remoteRouter} FAILED (${r.errorStage}): ${r.error}`
            : `config-sync: ${r.remoteRouter} ${r.result === 'synchronized' ? 'updated' : 'already in sync'}`,
        );
      });
      host.rpc.register('configsync.status', async (p) => {
        const remotes = select(p['address'] as string | undefined);
        await Promise.all(remotes.map(compare));
        await persist().catch(() => undefined);
        return {
          configured: (model?.remotes.length ?? 0) > 0,
          remotes: remotes.map((r) => ({
            ...statusOf(r),
            ...(p['detail'] ? { remoteConfiguration: scopedText(r) } : {}),
          })),
        };
      });
      host.rpc.register('configsync.difference', async (p) => ({
        configured: (model?.remotes.length ?? 0) > 0,
        remotes: await Promise.all(select(p['address'] as string | undefined).map(compare)),
      }));
      host.rpc.register('configsync.update', async (p) => ({
        configured: (model?.remotes.length ?? 0) > 0,
        remotes: await syncAll(p['address'] as string | undefined),
      }));
    },
    shutdown() {
      if (timer) clearInterval(timer);
      if (retry) clearTimeout(retry);
      return Promise.resolve();
    },
  };
}

/** The standby's side: the HTTPS API while `service https` is configured. */
export function createHttpsFeature(): Feature {
  const log = featureLogger('https');
  let server: ApiServer | undefined;
  let config: ConfigAccess | undefined;
  let current = '';
  return {
    name: 'https',
    after: ['system', 'interfaces'],
    registerSchema: registerHttpsSchema,
    async apply(_prev, next, ctx) {
      const c = (next['service'] as { https?: HttpsConfig } | undefined)?.https;
      const key = JSON.stringify(c ?? null);
      if (key === current) return;
      current = key;
      await server?.close();
      server = undefined;
      if (!c || !config) return;
      const host = (next['system'] as { 'host-name'?: string } | undefined)?.['host-name'] ?? hostname();
      const cert = await ensureCertificate(ctx.stateDir, host);
      server = new ApiServer(config, packageVersion(), log);
      await server.listen(cert, Number(c.port ?? API_PORT), (c['listen-address'] ?? []).map(String));
    },
    attach(host: FeatureHost) {
      config = host.config;
    },
    async shutdown() {
      await server?.close();
    },
  };
}
