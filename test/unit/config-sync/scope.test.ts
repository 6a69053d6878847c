// What a sync-map selects (spec config-sync.md §4.1) and the commit rules of §2.2.
import { describe, expect, it } from 'vitest';
import { configLines, lineText } from '../../../src/config/lines.js';
import { inScope, scopeDiff, type SyncRule } from '../../../src/features/config-sync/scope.js';
import { validateConfigSync } from '../../../src/features/config-sync/validate.js';
import { buildRegistry } from '../../../src/daemon/features.js';
import { featureRules } from '../support/featureRules.js';

const registry = buildRegistry();
const rule = (number: number, action: 'include' | 'exclude', location: string): SyncRule => ({
  number,
  action,
  location: location.split(' '),
});
const w = (line: string) => line.split(' ');

describe('sync-map scope', () => {
  it('matches whole words as a prefix; the lowest-numbered matching rule decides; no match is out', () => {
    const rules = [
      rule(20, 'include', 'interfaces ethernet eth2'),
      rule(10, 'exclude', 'interfaces ethernet eth2 address'),
    ];
    expect(inScope(rules, w('interfaces ethernet eth2 description x'))).toBe(true);
    expect(inScope(rules, w('interfaces ethernet eth2 address 192.0.2.1/24'))).toBe(false);
    expect(inScope(rules, w('interfaces ethernet eth20 description x'))).toBe(false);
    expect(inScope(rules, w('system host-name r1'))).toBe(false);
    // Reverse numbering: the include shadows the exclude (C-5).
    const reversed = [
      rule(10, 'include', 'interfaces ethernet eth2'),
      rule(20, 'exclude', 'interfaces ethernet eth2 address'),
    ];
    expect(inScope(reversed, w('interfaces ethernet eth2 address 192.0.2.1/24'))).toBe(true);
    // A location ending at a value matches only that value.
    const one = [rule(1, 'include', 'cluster group G monitor 192.0.2.7')];
    expect(inScope(one, w('cluster group G monitor 192.0.2.7'))).toBe(true);
    expect(inScope(one, w('cluster group G monitor 192.0.2.8'))).toBe(false);
  });

  it('never selects the sync channel itself, whatever the rules say (C-4)', () => {
    const all = [rule(1, 'include', 'system'), rule(2, 'include', 'service')];
    expect(inScope(all, w('system config-sync remote-router 192.0.2.2 username u'))).toBe(false);
    expect(inScope(all, w('service https port 443'))).toBe(false);
    expect(inScope(all, w('system host-name r1'))).toBe(true);
  });

  it('diffs the scope of both sides as lines: set what only the master has, delete what only the remote has', () => {
    const { tree } = featureRules(registry, () => [], { interfaces: new Set(['eth2']) });
    const master = configLines(
      tree(
        'interfaces ethernet eth2 description "new one"',
        'interfaces ethernet eth2 address 192.0.2.1/24',
        'system host-name r1',
      ),
      registry,
    );
    const remote = configLines(
      tree(
        'interfaces ethernet eth2 description old',
        'interfaces ethernet eth2 address 192.0.2.2/24',
        'system host-name r2',
      ),
      registry,
    );
    const d = scopeDiff(
      [rule(1, 'exclude', 'interfaces ethernet eth2 address'), rule(2, 'include', 'interfaces')],
      master,
      remote,
    );
    expect(d.onlyOnMaster.map(lineText)).toEqual(['interfaces ethernet eth2 description "new one"']);
    expect(d.onlyOnRemote.map(lineText)).toEqual(['interfaces ethernet eth2 description old']);
  });
});

describe('config-sync commit rules', () => {
  const CS = 'system config-sync';
  const { problems } = featureRules(registry, (t, f) => validateConfigSync(t, f, registry), {
    interfaces: new Set(['eth1']),
  });
  const GOOD = [
    'interfaces ethernet eth1 address 192.0.2.1/24',
    `${CS} remote-router 192.0.2.2 username sync`,
    `${CS} remote-router 192.0.2.2 password secret`,
    `${CS} remote-router 192.0.2.2 sync-map M`,
    `${CS} sync-map M rule 10 action include`,
    `${CS} sync-map M rule 10 location "system fast-path"`,
  ];

  it('accepts a complete remote-router and map', () => {
    expect(problems(...GOOD)).toEqual([]);
  });

  it('needs credentials, an existing map, and rules with an action and a schema path', () => {
    expect(problems(...GOOD.filter((l) => !l.includes('username')))).toEqual([
      `${CS} remote-router 192.0.2.2: username must be specified`,
    ]);
    expect(problems(...GOOD, `${CS} remote-router 192.0.2.2 sync-map N`)).toEqual([
      `${CS} remote-router 192.0.2.2 sync-map: sync-map N does not exist`,
    ]);
    expect(problems(...GOOD, `${CS} sync-map M rule 20 location firewall`)).toEqual([
      `${CS} sync-map M rule 20: action must be specified`,
      expect.stringContaining(`${CS} sync-map M rule 20 location: 'firewall' is not a configuration path`),
    ]);
  });

  it('warns about shadowed rules, never-synchronized locations, unique settings and its own address', () => {
    expect(
      problems(
        ...GOOD,
        `${CS} sync-map M rule 20 action exclude`,
        `${CS} sync-map M rule 20 location "system fast-path disable"`,
        `${CS} sync-map M rule 30 action include`,
        `${CS} sync-map M rule 30 location "service https"`,
        `${CS} sync-map M rule 40 action include`,
        `${CS} sync-map M rule 40 location "system host-name"`,
        `${CS} remote-router 192.0.2.1 username a`,
        `${CS} remote-router 192.0.2.1 password b`,
        `${CS} remote-router 192.0.2.1 sync-map M`,
      ),
    ).toEqual([
      `warning: ${CS} remote-router 192.0.2.1: 192.0.2.1 is an address of this router`,
      `warning: ${CS} sync-map M rule 20: can never match: rule 10 (system fast-path) covers it`,
      `warning: ${CS} sync-map M rule 30 location: service https is never synchronized`,
      `warning: ${CS} sync-map M rule 40 location: includes settings unique to each router (system host-name)`,
    ]);
  });
});
