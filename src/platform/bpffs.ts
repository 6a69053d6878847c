// bpffs, where Tandem pins its maps per router instance: /sys/fs/bpf/tandem/<instance>/.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './run.js';

export const BPFFS = '/sys/fs/bpf';

export function pinDir(instance: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(instance)) throw new Error(`invalid instance name '${instance}'`);
  return join(BPFFS, 'tandem', instance);
}

async function bpffsMounted(): Promise<boolean> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  return mounts.split('\n').some((l) => {
    const [, target, type] = l.split(' ');
    return target === BPFFS && type === 'bpf';
  });
}

/**
 * Makes sure bpffs is mounted in this mount namespace and the instance's pin directory exists.
 * (A lab router has its own mount namespace with its own bpffs; an appliance mounts it at boot.)
 */
export async function ensurePinDir(instance: string): Promise<string> {
  if (!(await bpffsMounted())) await run(['mount', '-t', 'bpf', 'bpf', BPFFS]);
  const dir = pinDir(instance);
  await mkdir(dir, { recursive: true });
  return dir;
}
