// Kernel modules: a modular kernel (the appliance's Debian kernel) loads most of what Tandem uses
// on demand, but not everything — conntrack's BPF kfuncs exist only once nf_conntrack is loaded.
import { run } from './run.js';

/** Loads a module if the kernel has it as one; false when modprobe cannot (built in, absent, no modprobe). */
export async function loadModule(name: string): Promise<boolean> {
  try {
    return (await run(['modprobe', '-q', name], { allowFailure: true })).code === 0;
  } catch {
    return false;
  }
}
