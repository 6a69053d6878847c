// Runs Tandem's conntrack-sync engine in a lab namespace for a while, then (with `commit`) commits
// its external cache into the kernel, and prints {stats, internal, external, committed} as JSON.
// Usage: ctsyncEngineRun.mjs <ifname> <local address> <seconds> [commit | resync]
import console from 'node:console';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const [ifname, local, seconds, action] = process.argv.slice(2);
const root = new URL('../../..', import.meta.url).pathname;
const addon = createRequire(import.meta.url)(join(root, 'build', 'Release', 'tandem_native.node'));
const engine = new addon.CtsyncEngine({
  interface: ifname,
  localAddress: local,
  group: '225.0.0.50',
  port: 3780,
  socketBuffer: 1 << 20,
  eventBuffer: 8 << 20,
  acceptMask: 0,
  ignore: [{ address: local, mask: '255.255.255.255' }],
  commitTimeout: 180,
  resyncAtStart: action === 'resync',
  // The authenticated channel, for the replication benchmark's cost of authentication.
  ...(process.env.TANDEM_CTSYNC_SECRET ? { secret: process.env.TANDEM_CTSYNC_SECRET } : {}),
  // Expectation sync, for the interop tests of expectations (comma-separated helper names).
  ...(process.env.TANDEM_CTSYNC_EXPECT ? { expectHelpers: process.env.TANDEM_CTSYNC_EXPECT.split(',') } : {}),
});
console.error('engine started');
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const t0 = process.hrtime.bigint();
const result = action === 'commit' ? engine.commit() : null;
const commitMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(
  JSON.stringify({
    stats: engine.stats(),
    internal: engine.cache('internal'),
    external: engine.cache('external'),
    expectInternal: engine.expectCache('internal'),
    expectExternal: engine.expectCache('external'),
    committed: result?.created ?? null,
    commitFailed: result?.failed ?? null,
    commitMs,
  }),
);
engine.stop();
