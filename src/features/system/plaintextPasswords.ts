// `system login user <u> authentication plaintext-password` is a way to type a password, not a
// way to store one: before a commit it becomes `encrypted-password` (SHA-512 crypt).
import { run } from '../../platform/run.js';
import type { ConfigTree } from '../../config/tree.js';

interface UserAuth {
  authentication?: { 'plaintext-password'?: string; 'encrypted-password'?: string };
}

export async function encryptPlaintextPasswords(tree: ConfigTree): Promise<ConfigTree> {
  const users = (tree['system'] as { login?: { user?: Record<string, UserAuth> } } | undefined)?.login?.user;
  if (!users || !Object.values(users).some((u) => u.authentication?.['plaintext-password'] !== undefined))
    return tree;
  const out: Record<string, UserAuth> = {};
  for (const [name, user] of Object.entries(users)) {
    const auth = user.authentication;
    const plain = auth?.['plaintext-password'];
    if (plain === undefined) {
      out[name] = user;
      continue;
    }
    const { 'plaintext-password': _p, ...rest } = auth!;
    const { stdout } = await run(['openssl', 'passwd', '-6', '-stdin'], { input: `${plain}\n` });
    out[name] = { ...user, authentication: { ...rest, 'encrypted-password': stdout.trim() } };
  }
  const system = tree['system'] as ConfigTree;
  const login = system['login'] as ConfigTree;
  return { ...tree, system: { ...system, login: { ...login, user: out as unknown as ConfigTree } } };
}
