// The HTTPS API's certificate: self-signed, made at first start in the state directory and kept
// (masters pin its fingerprint).
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../platform/run.js';

export interface Certificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, "AA:BB:…" as TLS peers see it. */
  fingerprint: string;
}

export async function ensureCertificate(stateDir: string, hostName: string): Promise<Certificate> {
  const dir = join(stateDir, 'https');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    return { key, cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  } catch {
    // Not there yet: make one.
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await run([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    `/CN=${hostName}`,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  return { key, cert, fingerprint: new X509Certificate(cert).fingerprint256 };
}
