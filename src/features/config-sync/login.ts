// Checks an API user against `system login user` (SHA-512 crypt, as stored by commit).
import { run } from '../../platform/run.js';
import type { ConfigTree } from '../../config/tree.js';

interface LoginUser {
  authentication?: { 'encrypted-password'?: string };
  level?: string;
}

export type LoginResult = 'ok' | 'authentication-failed' | 'not-authorized';

export async function checkLogin(running: ConfigTree, user: string, password: string): Promise<LoginResult> {
  const users = (running['system'] as { login?: { user?: Record<string, LoginUser> } } | undefined)?.login
    ?.user;
  const u = users?.[user];
  const hash = u?.authentication?.['encrypted-password'];
  const salt = hash?.split('$')[2];
  if (!hash || !salt) return 'authentication-failed';
  const { stdout } = await run(['openssl', 'passwd', '-6', '-salt', salt, '-stdin'], {
    input: `${password}\n`,
  });
  if (stdout.trim() !== hash) return 'authentication-failed';
  return (u.level ?? 'admin') === 'admin' ? 'ok' : 'not-authorized';
}
