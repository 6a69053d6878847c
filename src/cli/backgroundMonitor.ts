// `monitor vrrp background start|stop`: the VRRP log stream printed while the operator's
// interactive session (tandem shell, configure) goes on. It belongs to that session: it runs in
// the session's process and ends with it; a one-shot `tandem` command has no session to keep it.
import { TandemError } from '../errors.js';
import { RpcClient } from './rpcClient.js';
import { monitorLog } from './opCommands.js';

let sessions = 0;
let running: { stop: AbortController; done: Promise<void>; client: RpcClient } | undefined;

/** Runs `fn` as an interactive session: background monitors may start in it and end with it. */
export async function inSession<T>(fn: () => Promise<T>): Promise<T> {
  sessions++;
  try {
    return await fn();
  } finally {
    if (--sessions === 0) await stopBackground();
  }
}

async function stopBackground(): Promise<boolean> {
  const r = running;
  if (!r) return false;
  running = undefined;
  r.stop.abort();
  await r.done.catch(() => undefined);
  r.client.close();
  return true;
}

/** `monitor vrrp background start|stop`; returns the message for the operator. */
export async function backgroundVrrpMonitor(action: string | undefined, socket: string): Promise<string> {
  if (action !== 'start' && action !== 'stop')
    throw new TandemError('USAGE', 'usage: monitor vrrp background start|stop');
  if (!sessions)
    throw new TandemError(
      'NO_SESSION',
      'monitor vrrp background needs an interactive session (tandem shell, configure); use monitor vrrp',
    );
  if (action === 'stop')
    return (await stopBackground())
      ? 'VRRP background monitoring stopped'
      : 'VRRP background monitoring is not running';
  if (running) return 'VRRP background monitoring is already running';
  const client = await RpcClient.connect(socket);
  const stop = new AbortController();
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const done = monitorLog(client, 'vrrp', false, write, { signal: stop.signal }).catch((e: unknown) => {
    // The daemon went away: the session goes on without the stream.
    if (!stop.signal.aborted) process.stderr.write(`monitor vrrp background ended: ${String(e)}\n`);
  });
  running = { stop, done, client };
  return 'VRRP background monitoring started';
}
