// `system`: the host name is set in the kernel (the router's UTS namespace); login users are
// configuration data for authentication (their plaintext passwords never reach the running or
// saved configuration: see plaintextPasswords.ts).
import { hostname } from 'node:os';
import { run } from '../../platform/run.js';
import type { Feature } from '../feature.js';
import { registerSystemSchema } from './schema.js';

export const systemFeature: Feature = {
  name: 'system',
  after: ['interfaces'],
  registerSchema: registerSystemSchema,
  async apply(_prev, next) {
    const want = (next['system'] as { 'host-name'?: string } | undefined)?.['host-name'];
    if (want && want !== hostname()) await run(['hostname', want]);
  },
};
