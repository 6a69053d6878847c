// tandemd: one per router. Loads and commits the boot configuration, then serves the CLI over a
// unix socket until SIGTERM/SIGINT.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CommitArchive } from '../config/archive.js';
import { CommitEngine } from '../config/commit.js';
import { TandemError } from '../errors.js';
import { featureLogger, logToFile } from '../log.js';
import { ConfigService } from './configService.js';
import { EventBus } from './eventBus.js';
import { buildRegistry, FEATURES } from './features.js';
import { registerConfigMethods } from './rpcMethods.js';
import { RpcServer } from './rpcServer.js';
import { StateLock } from './stateLock.js';

export const DEFAULTS = {
  config: '/config/config.boot',
  stateDir: '/var/lib/tandem',
  socket: '/run/tandem/tandemd.sock',
};

const log = featureLogger('daemon');

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'state-dir': { type: 'string' },
      socket: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: tandemd [--config FILE] [--state-dir DIR] [--socket PATH]\n');
    return 0;
  }
  const configFile = values.config ?? process.env.TANDEM_CONFIG ?? DEFAULTS.config;
  const stateDir = values['state-dir'] ?? process.env.TANDEM_STATE_DIR ?? DEFAULTS.stateDir;
  const socket = values.socket ?? process.env.TANDEM_SOCKET ?? DEFAULTS.socket;
  const instance = process.env.TANDEM_INSTANCE ?? hostname();

  await mkdir(stateDir, { recursive: true });
  const lock = await StateLock.acquire(stateDir);
  const logFile = join(stateDir, 'log', 'tandemd.log');
  logToFile(logFile);
  log.info({ configFile, stateDir, socket, instance }, 'tandemd starting');

  const registry = buildRegistry();
  const engine = new CommitEngine(registry, FEATURES);
  const archive = await CommitArchive.open(stateDir);
  const config = new ConfigService(
    engine,
    archive,
    configFile,
    { log: featureLogger('commit'), stateDir, instance },
    log,
  );
  const rpc = new RpcServer();
  registerConfigMethods(rpc, config, logFile);
  const bus = new EventBus();
  for (const f of FEATURES) f.attach?.({ rpc, bus, running: () => config.runningWithDefaults(), config });

  try {
    await config.boot();
  } catch (e) {
    // A router must come up even with a broken file: it runs with what it has (nothing yet) and
    // says why; the operator fixes it through the CLI. The file is left as it is.
    log.error({ err: e, configFile }, 'boot configuration not applied');
  }
  await rpc.listen(socket);
  log.info('tandemd ready');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('tandemd stopping');
  config.shutdown();
  // Features stop in reverse order (VRRP masters release with priority 0 before the daemon exits).
  for (const f of [...FEATURES].reverse()) {
    await f.shutdown?.().catch((e: unknown) => log.error({ err: e, feature: f.name }, 'shutdown failed'));
  }
  await rpc.close();
  await lock.release();
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    process.stderr.write(
      `tandemd: ${e instanceof TandemError ? e.message : e instanceof Error ? e.stack : String(e)}\n`,
    );
    return 1;
  }
}
