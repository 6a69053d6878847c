// JSON-RPC 2.0 between `tandem` and `tandemd` over a unix socket, one JSON object per line.
import { TandemError } from '../errors.js';

export interface RpcRequest {
  jsonrpc: '2.0';
  id: number;
  method: string;
  params?: unknown;
}

export interface RpcErrorBody {
  code: number;
  message: string;
  /** The TandemError code and its fields (path, line, column…), so the CLI can show them. */
  data?: { code: string; [field: string]: unknown };
}

export type RpcResponse =
  | { jsonrpc: '2.0'; id: number; result: unknown }
  | { jsonrpc: '2.0'; id: number | null; error: RpcErrorBody };

export const RpcCode = { parse: -32700, invalid: -32600, noMethod: -32601, rejected: 1, internal: -32603 };

/** Error reported by the daemon, rebuilt on the client side with its code and fields. */
export class RemoteError extends TandemError {
  constructor(
    code: string,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(code, message);
  }
}

/** Splits a byte stream into lines and hands each complete one on. */
export function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim()) onLine(line);
      nl = pending.indexOf('\n');
    }
  };
}
