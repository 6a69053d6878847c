// TAB and `?` for the configure-mode commands that take a path (set, delete, show, edit): the next
// possible words with their help, all taken from the schema, plus what the candidate already holds.

import type { TSchema } from '@sinclair/typebox';
import { TandemError } from '../errors.js';
import type { SchemaRegistry } from './registry.js';
import {
  childrenOf,
  choicesOf,
  descriptionOf,
  expectedValueOf,
  type NodeKind,
  kindOf,
  tagKeyOf,
  valueHelpOf,
  valueSchemaOf,
} from './schemaNodes.js';
import {
  type ConfigTree,
  type ConfigValue,
  childValue,
  compareWords,
  isConfigTree,
  tagKeyOrder,
} from './tree.js';

/**
 * keyword kinds name the node a word leads to; `instance` is an existing tag instance or value;
 * `enum` a keyword value; `value` the `<value>` placeholder (shown as help, never inserted).
 */
export type CompletionKind = 'command' | NodeKind | 'instance' | 'enum' | 'value';

export interface Completion {
  word: string;
  help: string;
  kind: CompletionKind;
}

const COMMANDS: Record<string, string> = {
  delete: 'Delete a configuration node or value',
  edit: 'Move the edit level down to a node',
  set: 'Set a configuration node or value',
  show: 'Show the candidate configuration',
};

/** The `<value>` placeholder word. */
export const VALUE_PLACEHOLDER = '<value>';

/**
 * Possible next words after `words` (the command first, e.g. `['set','interfaces']`) that start with
 * `partial`. set and edit offer every schema word and new instances; delete and show only what the
 * tree holds; edit only nodes that have children. An invalid path completes to nothing.
 */
export function complete(
  registry: SchemaRegistry,
  tree: ConfigTree,
  words: readonly string[],
  partial: string,
): Completion[] {
  const [command, ...path] = words;
  if (command === undefined) {
    return Object.entries(COMMANDS)
      .filter(([word]) => word.startsWith(partial))
      .map(([word, help]) => ({ word, help, kind: 'command' }));
  }
  if (!Object.hasOwn(COMMANDS, command)) return [];
  let at: ReturnType<SchemaRegistry['nodeAt']>;
  try {
    at = registry.nodeAt(path);
  } catch (error) {
    if (error instanceof TandemError) return [];
    throw error;
  }
  if (at.values.length) return [];
  let here: ConfigValue | undefined = tree;
  for (const step of at.steps) here = isConfigTree(here) ? childValue(here, step.word) : undefined;
  const existing = isConfigTree(here) ? here : undefined;
  const creates = command === 'set' || command === 'edit';
  const matching = (list: Completion[]) =>
    list.filter((c) => c.kind === 'value' || c.word.startsWith(partial));

  switch (at.kind) {
    case 'container':
    case 'instance':
      return matching(keywords(at.schema, existing, command));
    case 'tag': {
      const instances: Completion[] = Object.keys(existing ?? {})
        .sort(tagKeyOrder(at.schema))
        .map((word) => ({ word, help: descriptionOf(at.schema), kind: 'instance' }));
      const key = tagKeyOf(at.schema);
      const placeholder: Completion = {
        word: VALUE_PLACEHOLDER,
        help: descriptionOf(key) || expectedValueOf(key),
        kind: 'value',
      };
      return matching(creates ? [...instances, placeholder] : instances);
    }
    case 'leaf':
    case 'multi':
      if (command === 'set') return matching(valueWords(valueSchemaOf(at.schema)));
      if (command === 'delete') return matching(currentValues(here));
      return [];
    default:
      return [];
  }
}

function keywords(container: TSchema, existing: ConfigTree | undefined, command: string): Completion[] {
  return Object.entries(childrenOf(container))
    .filter(([word, schema]) => {
      const kind = kindOf(schema);
      if (command === 'edit') return kind === 'container' || kind === 'tag';
      if (command === 'set') return true;
      return existing !== undefined && childValue(existing, word) !== undefined;
    })
    .sort(([a], [b]) => compareWords(a, b))
    .map(([word, schema]) => ({ word, help: descriptionOf(schema), kind: kindOf(schema) ?? 'container' }));
}

/** Keyword values first, then the placeholder for the free-form part, if the type has one. */
function valueWords(schema: TSchema): Completion[] {
  const choices: Completion[] = choicesOf(schema).map((c) => ({ word: c.value, help: c.help, kind: 'enum' }));
  const help = valueHelpOf(schema);
  return help ? [...choices, { word: VALUE_PLACEHOLDER, help, kind: 'value' }] : choices;
}

function currentValues(value: ConfigValue | undefined): Completion[] {
  const values = Array.isArray(value)
    ? value
    : typeof value === 'string' || typeof value === 'number'
      ? [value]
      : [];
  return values.map((v) => ({ word: String(v), help: 'current value', kind: 'instance' }));
}
