// The CLI's side of the daemon socket: one connection, requests answered in order.
import { connect, type Socket } from 'node:net';
import { TandemError } from '../errors.js';
import { lineReader, RemoteError, type RpcResponse } from '../daemon/rpcProtocol.js';

export const DEFAULT_SOCKET = '/run/tandem/tandemd.sock';

/** --socket PATH, else TANDEM_SOCKET, else the default path. */
export function socketPath(flag?: string): string {
  return flag ?? process.env.TANDEM_SOCKET ?? DEFAULT_SOCKET;
}

export class RpcClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: Socket) {
    socket.on(
      'data',
      lineReader((line) => {
        const res = JSON.parse(line) as RpcResponse;
        const w = res.id === null ? undefined : this.waiting.get(res.id);
        if (!w || res.id === null) return;
        this.waiting.delete(res.id);
        if ('error' in res) {
          const { code = 'REMOTE', ...fields } = res.error.data ?? {};
          w.reject(new RemoteError(String(code), res.error.message, fields));
        } else {
          w.resolve(res.result);
        }
      }),
    );
    socket.on('close', () => {
      for (const w of this.waiting.values())
        w.reject(new TandemError('DAEMON_GONE', 'tandemd closed the connection'));
      this.waiting.clear();
    });
  }

  static connect(path: string): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => resolve(new RpcClient(socket)));
      socket.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new TandemError(
            'DAEMON_UNREACHABLE',
            `cannot reach tandemd at ${path}: ${e.code ?? e.message} (is it running?)`,
          ),
        ),
      );
    });
  }

  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  close(): void {
    this.socket.end();
  }
}
