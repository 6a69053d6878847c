// Commit latency of a configuration with 1,000 tag nodes (`system login user <name>`), through
// the daemon's ConfigService as a CLI commit runs it: load the file into a session, validate, diff,
// apply, archive (fsync'ed). Baseline in the same run: a plain schema validation of the same tree.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Bench } from 'tinybench';
import { CommitArchive } from '../src/config/archive.js';
import { CommitEngine } from '../src/config/commit.js';
import { validateTree } from '../src/config/validate.js';
import { ConfigService } from '../src/daemon/configService.js';
import { buildRegistry, FEATURES } from '../src/daemon/features.js';
import type { Benchmark, BenchResult } from './benchResult.js';

const USERS = 1000;
const HASH = `$6$benchsalt$${'a'.repeat(86)}`;

function configText(level: string): string {
  const users = Array.from(
    { length: USERS },
    (_, i) => `            user u${String(i).padStart(4, '0')} {
                authentication {
                    encrypted-password ${HASH}
                }
                level ${i === 0 ? level : 'operator'}
            }`,
  );
  return `system {\n    login {\n${users.join('\n')}\n    }\n}\n`;
}

export const commitLatency: Benchmark = {
  name: 'commit latency, 1000 tag nodes',
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
    try {
      const registry = buildRegistry();
      const log = pino({ level: 'silent' });
      const archive = await CommitArchive.open(dir);
      const service = new ConfigService(
        new CommitEngine(registry, FEATURES),
        archive,
        join(dir, 'config.boot'),
        { log, stateDir: dir, instance: 'bench' },
        log,
      );
      const files = [join(dir, 'a.boot'), join(dir, 'b.boot')];
      await writeFile(files[0]!, configText('admin'));
      await writeFile(files[1]!, configText('operator'));
      service.open(1);
      await service.load(1, files[0]);
      const tree = service.parse(configText('admin'), 'a.boot');
      let flip = 0;

      const bench = new Bench({ time: 3000, warmupTime: 500 });
      bench.add('validate', () => {
        if (validateTree(tree, registry).length) throw new Error('bench tree is invalid');
      });
      bench.add('commit', async () => {
        flip ^= 1;
        await service.load(1, files[flip]);
        const r = await service.commit(1, { user: 'bench', via: 'bench' });
        if (!r.changed) throw new Error('bench commit changed nothing');
      });
      await bench.run();
      const ms = (name: string) => {
        const t = bench.tasks.find((x) => x.name === name)!;
        const r = t.result as { latency?: { p50?: number }; error?: unknown } | undefined;
        if (!r?.latency?.p50) throw new Error(`bench task ${name} failed: ${String(r?.error)}`);
        return r.latency.p50;
      };
      const commit = ms('commit');
      const validate = ms('validate');
      return [
        {
          name: 'commit_1000_tag_nodes_p50',
          value: Number(commit.toFixed(2)),
          unit: 'ms',
          baseline: { name: 'validate_1000_tag_nodes_p50', value: Number(validate.toFixed(3)) },
          ratio: commit / validate,
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
