import { run } from './run.js';

/** Sets sysctls inside a network namespace (net.* keys are per namespace). */
export async function sysctlSet(ns: string, values: Record<string, string>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (args.length) await run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...args]);
}

/** Sets sysctls of the namespace this process runs in (tandemd inside its router). */
export async function sysctlSetHere(values: Record<string, string>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (args.length) await run(['sysctl', '-q', '-w', ...args]);
}
