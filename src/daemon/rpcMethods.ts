// The RPC surface of tandemd: operational queries and configure-session commands.
import { readFile } from 'node:fs/promises';
import { TandemError } from '../errors.js';
import type { ConfigService } from './configService.js';
import type { RpcServer } from './rpcServer.js';

const words = (p: Record<string, unknown>): string[] => {
  const w = p['words'] ?? [];
  if (!Array.isArray(w) || !w.every((x) => typeof x === 'string'))
    throw new TandemError('USAGE', 'words must be strings');
  return w;
};
const optNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function registerConfigMethods(rpc: RpcServer, config: ConfigService, logFile: string): void {
  rpc.register('config.show', (p) => ({ text: config.showRunning(words(p), p['all'] === true) }));
  rpc.register('config.json', (p) => ({ tree: config.runningJson(words(p), p['all'] === true) }));
  rpc.register('config.commits', () => config.commits());
  rpc.register('log.read', async (p) => {
    const feature = optString(p['feature']);
    const limit = optNumber(p['limit']) ?? 200;
    const text = await readFile(logFile, 'utf8').catch(() => '');
    const entries = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => !feature || e['feature'] === feature);
    return { entries: entries.slice(-limit) };
  });

  rpc.register('session.open', (_p, ctx) => {
    config.open(ctx.connection);
    ctx.onClose(() => config.close(ctx.connection));
    return { session: ctx.connection };
  });
  rpc.register('session.set', (p, ctx) => config.set(ctx.connection, words(p)));
  rpc.register('session.delete', (p, ctx) => config.delete(ctx.connection, words(p)));
  rpc.register('session.show', (p, ctx) => ({
    text: config.show(ctx.connection, words(p), p['all'] === true),
  }));
  rpc.register('session.changed', (_p, ctx) => ({ changed: config.changed(ctx.connection) }));
  rpc.register('session.compare', async (p, ctx) => ({
    text: await config.compare(ctx.connection, optNumber(p['revision'])),
  }));
  rpc.register('session.complete', (p, ctx) => ({
    completions: config.complete(ctx.connection, words(p), optString(p['partial']) ?? ''),
  }));
  rpc.register('session.commit', (p, ctx) =>
    config.commit(
      ctx.connection,
      { user: optString(p['user']) ?? 'unknown', via: 'cli' },
      { comment: optString(p['comment']), confirmMinutes: optNumber(p['confirmMinutes']) },
    ),
  );
  rpc.register('session.confirm', () => config.confirm());
  rpc.register('session.discard', (_p, ctx) => config.discard(ctx.connection));
  rpc.register('session.rollback', async (p, ctx) => {
    const revision = optNumber(p['revision']);
    if (revision === undefined) throw new TandemError('USAGE', 'rollback needs a revision number');
    await config.rollback(ctx.connection, revision);
  });
  rpc.register('session.load', (p, ctx) => config.load(ctx.connection, optString(p['file'])));
  rpc.register('session.save', (p) => config.save(optString(p['file'])));
}
