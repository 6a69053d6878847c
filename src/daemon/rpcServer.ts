// The daemon's RPC endpoint: a unix socket (mode 0660, group `tandem` when that group exists)
// serving JSON-RPC methods registered by the daemon's services.
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { TandemError } from '../errors.js';
import { featureLogger } from '../log.js';
import { lineReader, RpcCode, type RpcRequest, type RpcResponse } from './rpcProtocol.js';
import { groupId } from './systemGroups.js';

/** Context of one call: which connection (a configure session lives as long as its connection). */
export interface RpcContext {
  connection: number;
  /** Runs when the connection closes (e.g. to end the session it opened). */
  onClose(fn: () => void): void;
}

export type RpcHandler = (params: Record<string, unknown>, ctx: RpcContext) => unknown;

const log = featureLogger('rpc');

export class RpcServer {
  private readonly methods = new Map<string, RpcHandler>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private nextConnection = 1;

  register(method: string, handler: RpcHandler): void {
    if (this.methods.has(method)) throw new Error(`RPC method ${method} registered twice`);
    this.methods.set(method, handler);
  }

  async listen(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await rm(path, { force: true }); // the state lock guarantees no live daemon owns it
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    await chmod(path, 0o660);
    const gid = await groupId('tandem');
    if (gid !== undefined) await chown(path, process.getuid?.() ?? 0, gid);
    this.server = server;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(socket: Socket): void {
    const connection = this.nextConnection++;
    const closers: (() => void)[] = [];
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const fn of closers) fn();
    });
    socket.on('error', () => socket.destroy());
    const ctx: RpcContext = { connection, onClose: (fn) => closers.push(fn) };
    // Requests of one connection run one after another, in order.
    let queue = Promise.resolve();
    socket.on(
      'data',
      lineReader((line) => {
        queue = queue.then(async () => {
          const response = await this.dispatch(line, ctx);
          if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
        });
      }),
    );
  }

  private async dispatch(line: string, ctx: RpcContext): Promise<RpcResponse> {
    let req: RpcRequest;
    try {
      req = JSON.parse(line) as RpcRequest;
    } catch {
      return { jsonrpc: '2.0', id: null, error: { code: RpcCode.parse, message: 'malformed JSON' } };
    }
    const handler = this.methods.get(req.method);
    if (!handler) {
      return {
        jsonrpc: '2.0',
        id: req.id,
        error: { code: RpcCode.noMethod, message: `no method ${req.method}` },
      };
    }
    try {
      const result = await handler((req.params ?? {}) as Record<string, unknown>, ctx);
      return { jsonrpc: '2.0', id: req.id, result: result ?? null };
    } catch (e) {
      if (e instanceof TandemError) {
        const { name: _n, message: _m, stack: _s, ...fields } = e as TandemError & Record<string, unknown>;
        return {
          jsonrpc: '2.0',
          id: req.id,
          error: { code: RpcCode.rejected, message: e.message, data: { ...fields, code: e.code } },
        };
      }
      log.error({ err: e, method: req.method }, 'RPC method failed');
      return { jsonrpc: '2.0', id: req.id, error: { code: RpcCode.internal, message: String(e) } };
    }
  }
}
