// Forwarded packets per second through a lab router while trafgen floods it: the sum of the
// router's tx counters on the egress interfaces over a fixed window, after a warm-up.
import type { Lab } from '../src/lab/lab.js';

async function txPackets(lab: Lab, node: string, ifname: string): Promise<number> {
  const { stdout } = await lab.exec(node, ['cat', `/sys/class/net/${ifname}/statistics/tx_packets`]);
  return Number(stdout.trim());
}

export async function floodRate(
  lab: Lab,
  opts: {
    gen: string;
    conf: string;
    router: string;
    egress: readonly string[];
    warmupMs: number;
    windowMs: number;
  },
): Promise<number> {
  const gen = lab.spawn(opts.gen, ['trafgen', '--dev', 'eth0', '--conf', opts.conf, '--cpus', '1', '-q'], {
    logName: 'trafgen',
  });
  const total = async () => {
    let sum = 0;
    for (const ifname of opts.egress) sum += await txPackets(lab, opts.router, ifname);
    return sum;
  };
  try {
    await new Promise((r) => setTimeout(r, opts.warmupMs));
    const t0 = process.hrtime.bigint();
    const c0 = await total();
    await new Promise((r) => setTimeout(r, opts.windowMs));
    const c1 = await total();
    return (c1 - c0) / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await gen.stop();
  }
}
