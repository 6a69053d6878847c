// Commit-time rules of config-sync (spec config-sync.md §2.2), each with its path.
import type { ConfigTree } from '../../config/tree.js';
import type { SchemaRegistry } from '../../config/registry.js';
import type { ConfigPathError } from '../../errors.js';
import { pathProblems } from '../pathProblems.js';
import { parsePrefix } from '../../net/ipAddress.js';
import type { SystemFacts } from '../feature.js';
import { ethernetAddresses } from '../interfaces/apply.js';
import { configSyncOf, locationWords } from './model.js';
import { hardExcluded, isPrefix } from './scope.js';

const BASE = ['system', 'config-sync'];

/** Locations the guide calls system-unique: syncing them breaks the pair. */
const UNIQUE: readonly (readonly string[])[] = [['system', 'host-name'], ['interfaces']];

/** `registry`: what locations are checked against (none: not checked). */
export function validateConfigSync(
  tree: ConfigTree,
  _facts: SystemFacts,
  registry?: SchemaRegistry,
): ConfigPathError[] {
  const c = configSyncOf(tree);
  if (!c) return [];
  const { problems, error, warn } = pathProblems(BASE);
  const maps = c['sync-map'] ?? {};
  const own = new Set([...ethernetAddresses(tree).values()].flat().map((a) => parsePrefix(a)?.address));

  for (const [addr, r] of Object.entries(c['remote-router'] ?? {})) {
    const at = ['remote-router', addr];
    if (!r.username) error(at, 'username must be specified');
    if (!r.password) error(at, 'password must be specified');
    if (!r['sync-map']) error(at, 'sync-map must be specified');
    else if (!maps[r['sync-map']]) error([...at, 'sync-map'], `sync-map ${r['sync-map']} does not exist`);
    if (own.has(parsePrefix(addr)?.address)) warn(at, `${addr} is an address of this router`);
  }

  for (const [name, m] of Object.entries(maps)) {
    const rules = Object.entries(m.rule ?? {}).sort(([a], [b]) => Number(a) - Number(b));
    const seen: { number: string; location: string[] }[] = [];
    for (const [n, r] of rules) {
      const at = ['sync-map', name, 'rule', n];
      if (!r.action) error(at, 'action must be specified');
      if (!r.location) {
        error(at, 'location must be specified');
        continue;
      }
      const words = locationWords(String(r.location));
      if (registry) {
        try {
          registry.nodeAt(words);
        } catch (e) {
          error(
            [...at, 'location'],
            `'${String(r.location)}' is not a configuration path: ${(e as Error).message}`,
          );
          continue;
        }
      }
      if (
        hardExcluded(words) ||
        words.every((w, i) => ['system', 'config-sync'][i] === w) ||
        words.every((w, i) => ['service', 'https'][i] === w)
      )
        if (hardExcluded(words)) warn([...at, 'location'], `${String(r.location)} is never synchronized`);
      const shadow = seen.find((s) => isPrefix(s.location, words));
      if (shadow) warn(at, `can never match: rule ${shadow.number} (${shadow.location.join(' ')}) covers it`);
      if (r.action === 'include' && UNIQUE.some((u) => isPrefix(u, words) || isPrefix(words, u)))
        warn([...at, 'location'], `includes settings unique to each router (${String(r.location)})`);
      seen.push({ number: n, location: words });
    }
  }
  return problems;
}
