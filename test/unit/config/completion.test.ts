import { describe, expect, it } from 'vitest';
import { complete, VALUE_PLACEHOLDER } from '../../../src/config/completion.js';
import { setPath } from '../../../src/config/edit.js';
import { splitForCompletion, splitWords } from '../../../src/config/pathWords.js';
import type { ConfigTree } from '../../../src/config/tree.js';
import { coreRegistry, vrrpRegistry } from './fixtures.js';

const registry = vrrpRegistry();
const tree = [
  'interfaces ethernet eth0 address 192.0.2.1/24',
  'interfaces ethernet eth0 address 2001:db8::1/64',
  'interfaces ethernet eth10 disable',
  'interfaces ethernet eth2 vrrp vrrp-group 20',
  'interfaces ethernet eth2 vrrp vrrp-group 5 priority 9',
  'system host-name R1',
].reduce<ConfigTree>((t, line) => setPath(t, registry, splitWords(line)), {});

/** What TAB at the end of `line` offers: [word, kind] pairs. */
function tab(line: string, reg = registry): [string, string][] {
  const { words, partial } = splitForCompletion(line);
  return complete(reg, tree, words, partial).map((c) => [c.word, c.kind]);
}

describe('complete', () => {
  it('completes vrrp once a vrrp schema is registered', () => {
    expect(tab('set interfaces ethernet eth0 vr', coreRegistry())).toEqual([]);
    const [only, ...rest] = complete(registry, tree, ['set', 'interfaces', 'ethernet', 'eth0'], 'vr');
    expect(rest).toEqual([]);
    expect(only).toEqual({ word: 'vrrp', help: 'Virtual Router Redundancy Protocol', kind: 'container' });
  });

  it('lists every schema word after set, with help from the schema', () => {
    expect(complete(registry, tree, ['set', 'interfaces', 'ethernet', 'eth0'], '')).toEqual([
      { word: 'address', help: 'IP address of the interface, with prefix length, or dhcp', kind: 'multi' },
      { word: 'description', help: 'Description of the interface', kind: 'leaf' },
      { word: 'disable', help: 'Administratively disable the interface', kind: 'flag' },
      { word: 'vrrp', help: 'Virtual Router Redundancy Protocol', kind: 'container' },
    ]);
    expect(tab('set ')).toEqual([
      ['interfaces', 'container'],
      ['system', 'container'],
    ]);
    expect(tab('set sys')).toEqual([['system', 'container']]);
  });

  it('offers existing tag instances in tag order plus a <value> placeholder with the key help', () => {
    expect(tab('set interfaces ethernet ')).toEqual([
      ['eth0', 'instance'],
      ['eth10', 'instance'],
      ['eth2', 'instance'],
      [VALUE_PLACEHOLDER, 'value'],
    ]);
    const placeholder = complete(registry, tree, ['set', 'interfaces', 'ethernet'], '').at(-1);
    expect(placeholder).toEqual({ word: '<value>', help: 'interface name (e.g. eth0)', kind: 'value' });
    expect(tab('set interfaces ethernet eth1')).toEqual([
      ['eth10', 'instance'],
      [VALUE_PLACEHOLDER, 'value'],
    ]);
    expect(tab('set interfaces ethernet eth2 vrrp vrrp-group ')).toEqual([
      ['5', 'instance'],
      ['20', 'instance'],
      [VALUE_PLACEHOLDER, 'value'],
    ]);
  });

  it('offers a <value> placeholder with type help, and enum values, for leaves', () => {
    expect(complete(registry, tree, ['set', 'interfaces', 'ethernet', 'eth0', 'address'], '')).toEqual([
      { word: 'dhcp', help: 'An IPv4 address leased by DHCP', kind: 'enum' },
      {
        word: '<value>',
        help: 'IPv4 address and prefix length (x.x.x.x/x) or IPv6 address and prefix length (h:h:h:h:h:h:h:h/x)',
        kind: 'value',
      },
    ]);
    expect(complete(registry, tree, ['set', 'system', 'login', 'user', 'bob', 'level'], 'op')).toEqual([
      { word: 'operator', help: 'Operator: a restricted set of operational commands', kind: 'enum' },
    ]);
    expect(
      complete(
        registry,
        tree,
        ['set', 'interfaces', 'ethernet', 'eth2', 'vrrp', 'vrrp-group', '5', 'priority'],
        '',
      ),
    ).toEqual([{ word: '<value>', help: 'number 1-255', kind: 'value' }]);
  });

  it('offers only what exists for delete and show, including current values', () => {
    expect(tab('delete ')).toEqual([
      ['interfaces', 'container'],
      ['system', 'container'],
    ]);
    expect(tab('delete interfaces ethernet eth0 ')).toEqual([['address', 'multi']]);
    expect(tab('delete interfaces ethernet eth0 address ')).toEqual([
      ['192.0.2.1/24', 'instance'],
      ['2001:db8::1/64', 'instance'],
    ]);
    expect(tab('delete system host-name ')).toEqual([['R1', 'instance']]);
    expect(tab('show interfaces ethernet ')).toEqual([
      ['eth0', 'instance'],
      ['eth10', 'instance'],
      ['eth2', 'instance'],
    ]);
    expect(tab('show system host-name ')).toEqual([]);
    expect(tab('delete system login ')).toEqual([]);
  });

  it('offers only nodes with children for edit, and new instances', () => {
    expect(tab('edit interfaces ethernet eth0 ')).toEqual([['vrrp', 'container']]);
    expect(tab('edit system ')).toEqual([['login', 'container']]);
    expect(tab('edit interfaces ethernet eth0 vrrp vrrp-group ')).toEqual([[VALUE_PLACEHOLDER, 'value']]);
  });

  it('completes the commands themselves', () => {
    expect(tab('')).toEqual([
      ['delete', 'command'],
      ['edit', 'command'],
      ['set', 'command'],
      ['show', 'command'],
    ]);
    expect(tab('s')).toEqual([
      ['set', 'command'],
      ['show', 'command'],
    ]);
  });

  it('completes to nothing past a value, a flag, an invalid path or another command', () => {
    expect(tab('set system host-name R1 ')).toEqual([]);
    expect(tab('set interfaces ethernet eth0 disable ')).toEqual([]);
    expect(tab('set bogus ')).toEqual([]);
    expect(tab('commit ')).toEqual([]);
    expect(tab('set constructor ')).toEqual([]);
  });
});
