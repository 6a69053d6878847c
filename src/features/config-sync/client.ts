// The master's side of the API (spec config-sync.md C-20…C-25): TLS 1.3 to the standby, its
// certificate checked against the pinned fingerprint before a single byte of the request (or the
// credentials) is sent, then one JSON request over that connection.
import { request } from 'node:http';
import { connect, type TLSSocket } from 'node:tls';
import { isIPv6 } from 'node:net';

export type AccessStatus =
  | 'connected'
  | 'unreachable'
  | 'authentication-failed'
  | 'not-authorized'
  | 'tls-error'
  | 'certificate-mismatch'
  | 'api-error';

export type SyncStage = 'connect' | 'authenticate' | 'read' | 'apply' | 'commit' | 'save';

export class SyncError extends Error {
  constructor(
    readonly access: AccessStatus,
    readonly stage: SyncStage,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 60_000;

export interface Peer {
  address: string;
  port: number;
  username: string;
  password: string;
  /** The fingerprint to insist on; undefined: trust on first contact (the caller pins it). */
  pinned: string | undefined;
}

function tlsConnect(peer: Peer): Promise<{ socket: TLSSocket; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: peer.address,
      port: peer.port,
      rejectUnauthorized: false, // self-signed: trust is the pinned fingerprint, checked below
      minVersion: 'TLSv1.3',
    });
    const fail = (e: SyncError) => {
      socket.destroy();
      reject(e);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      fail(new SyncError('unreachable', 'connect', 'connection timed out')),
    );
    socket.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new SyncError(
          e.code && /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET)$/.test(e.code)
            ? 'unreachable'
            : 'tls-error',
          'connect',
          e.message,
        ),
      ),
    );
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      if (peer.pinned && fingerprint !== peer.pinned)
        return fail(
          new SyncError(
            'certificate-mismatch',
            'connect',
            `certificate ${fingerprint} is not the pinned ${peer.pinned}`,
          ),
        );
      resolve({ socket, fingerprint });
    });
  });
}

/** One API call; resolves with the JSON answer and the certificate seen. */
export async function apiCall<T>(
  peer: Peer,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ data: T; fingerprint: string; localAddress: string }> {
  const { socket, fingerprint } = await tlsConnect(peer);
  const localAddress = socket.localAddress ?? '';
  const text = body === undefined ? undefined : JSON.stringify(body);
  const auth = Buffer.from(`${peer.username}:${peer.password}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        createConnection: () => socket,
        method,
        path,
        host: isIPv6(peer.address) ? `[${peer.address}]` : peer.address,
        headers: {
          authorization: `Basic ${auth}`,
          ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}),
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          socket.destroy();
          let data: unknown;
          try {
            data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new SyncError('api-error', 'read', `HTTP ${res.statusCode}: not JSON`));
          }
          const error = (data as { error?: string }).error;
          if (res.statusCode === 401)
            return reject(new SyncError('authentication-failed', 'authenticate', error ?? 'login refused'));
          if (res.statusCode === 403)
            return reject(new SyncError('not-authorized', 'authenticate', error ?? 'not an admin'));
          if (res.statusCode !== 200 && !(res.statusCode === 400 && (data as { errors?: unknown }).errors))
            return reject(new SyncError('api-error', 'read', error ?? `HTTP ${res.statusCode}`));
          resolve({ data: data as T, fingerprint, localAddress });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', (e) =>
      reject(e instanceof SyncError ? e : new SyncError('api-error', 'read', e.message)),
    );
    req.end(text);
  });
}
