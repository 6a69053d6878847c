// The standby's side of config-sync (spec config-sync.md C-20…C-24): an HTTPS API (TLS 1.3,
// self-signed certificate, HTTP Basic against `system login`, admin level) offering exactly what
// a sync needs: the version, the running configuration, and one atomic transaction of set/delete
// operations that is committed with its origin and saved.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ConfigAccess, ConfigOp } from '../feature.js';
import type { Certificate } from './certificate.js';
import { checkLogin } from './login.js';
import { hardExcluded } from './scope.js';

export const API_VERSION_PATH = '/api/v1/system/version';
export const API_RUNNING_PATH = '/api/v1/config/running';
export const API_APPLY_PATH = '/api/v1/config/apply';
const MAX_BODY = 16 << 20;

export interface ApplyRequest {
  origin: { hostName: string; address: string };
  ops: ConfigOp[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(c);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export class ApiServer {
  private servers: Server[] = [];

  constructor(
    private readonly config: ConfigAccess,
    private readonly version: string,
    private readonly log: Logger,
  ) {}

  /** One listener per address (none given: every address, IPv4 and IPv6). */
  async listen(cert: Certificate, port: number, addresses: readonly string[]): Promise<void> {
    await this.close();
    for (const host of addresses.length ? addresses : ['::']) {
      const server = createServer({ key: cert.key, cert: cert.cert, minVersion: 'TLSv1.3' }, (req, res) => {
        void this.handle(req, res).catch((e) => {
          this.log.warn(`https API: ${e instanceof Error ? e.message : String(e)}`);
          if (!res.headersSent) send(res, 400, { error: e instanceof Error ? e.message : String(e) });
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host, ipv6Only: false }, resolve);
      });
      this.servers.push(server);
    }
    this.log.info(`https API listening on port ${port} (certificate ${cert.fingerprint})`);
  }

  async close(): Promise<void> {
    const all = this.servers.splice(0);
    await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(auth);
    const [user, ...rest] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    const login = user
      ? await checkLogin(this.config.runningRaw(), user, rest.join(':'))
      : 'authentication-failed';
    if (login === 'authentication-failed') return send(res, 401, { error: 'authentication failed' });
    if (login === 'not-authorized') return send(res, 403, { error: `user ${user} is not an admin` });
    if (req.method === 'GET' && req.url === API_VERSION_PATH)
      return send(res, 200, { version: this.version });
    if (req.method === 'GET' && req.url === API_RUNNING_PATH)
      return send(res, 200, { tree: this.config.runningRaw() });
    if (req.method === 'POST' && req.url === API_APPLY_PATH) {
      const body = (await bodyOf(req)) as ApplyRequest;
      if (!Array.isArray(body?.ops) || !body.origin)
        return send(res, 400, { error: 'expected { origin, ops: [{ op, path }] }' });
      // Defence in depth (C-4): the sync channel's own configuration never travels.
      const refused = body.ops.find((o) => hardExcluded(o.path));
      if (refused)
        return send(res, 400, {
          committed: false,
          errors: [{ path: refused.path, message: 'never synchronized: the config-sync channel itself' }],
        });
      const origin = `${body.origin.hostName} (${body.origin.address})`;
      this.log.info(`config-sync from ${origin}: ${body.ops.length} changes`);
      const r = await this.config.applyOps(
        body.ops,
        { user: user!, via: 'config-sync' },
        `config-sync from ${origin}`,
      );
      return send(res, 200, r);
    }
    send(res, 404, { error: `no such API: ${req.method} ${req.url}` });
  }
}
