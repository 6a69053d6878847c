// Checking words and trees against schema nodes with ajv, and turning ajv's errors into the short
// sentences an operator reads after a path ("must be 1-255"), shared by edit.ts and validate.ts.

import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ANNOTATIONS, admitsNumber, KIND, VALUE_HELP, VALUE_MESSAGE } from './schemaNodes.js';

// allErrors: validate must report every problem at once; verbose: messages need the failing schema.
const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
ajv.addVocabulary(ANNOTATIONS);

// Schemas are immutable once built (the registry rebuilds rather than edits), so identity is a safe key.
const compiled = new WeakMap<TSchema, ValidateFunction>();

export function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

const NUMBER_WORD = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/**
 * The JSON value a typed word stands for: a number where the schema takes numbers and the word is
 * written as one, else the word itself. set and config.boot loading share this, so both agree.
 */
export function wordToValue(schema: TSchema, word: string): string | number {
  return admitsNumber(schema) && NUMBER_WORD.test(word) ? Number(word) : word;
}

/** Why `value` does not satisfy `schema`, in operator words; undefined when it does. */
export function valueProblem(schema: TSchema, value: unknown): string | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  const [first] = outermostErrors(validate.errors ?? []);
  return first ? humanMessage(first) : 'is not valid';
}

/**
 * With allErrors, ajv reports every failed branch of an anyOf next to the anyOf itself; the
 * operator only needs the anyOf's summary, so errors inside a failed union are dropped.
 */
export function outermostErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter(
    (e) =>
      !unions.some(
        (u) =>
          u !== e &&
          e.schemaPath.startsWith(`${u.schemaPath}/`) &&
          (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`)),
      ),
  );
}

// Keywords about the value itself, where a value type's own message is the better text.
const VALUE_KEYWORDS = new Set([
  'type',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'format',
]);

const TYPE_MESSAGES: Record<string, string> = {
  integer: 'must be a whole number',
  number: 'must be a number',
  string: 'must be text',
  boolean: 'is a flag: it takes no value',
  object: 'must be a node with children, not a value',
  array: 'must be a list of values',
};

function range(minimum: unknown, maximum: unknown, unit: string): string {
  if (minimum !== undefined && maximum !== undefined) return `must be ${minimum}-${maximum}${unit}`;
  if (minimum !== undefined) return `must be at least ${minimum}${unit}`;
  return `must be at most ${maximum}${unit}`;
}

/** How a union branch is named in "must be one of: …". */
function branchName(branch: Record<string, unknown>): string {
  if (branch['const'] !== undefined) return String(branch['const']);
  if (Array.isArray(branch['enum'])) return branch['enum'].join(', ');
  if (typeof branch[VALUE_HELP] === 'string') return branch[VALUE_HELP];
  return String(branch['type'] ?? 'value');
}

/** One ajv error as a sentence that reads after the operator path ("…priority 300: must be 1-255"). */
export function humanMessage(error: ErrorObject): string {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  if (parent[KIND] === 'flag') return 'is a flag: it takes no value';
  const custom = parent[VALUE_MESSAGE];
  if (typeof custom === 'string' && VALUE_KEYWORDS.has(error.keyword)) return custom;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return TYPE_MESSAGES[String(params['type'])] ?? `must be of type ${params['type']}`;
    case 'minimum':
    case 'maximum':
      return range(parent['minimum'], parent['maximum'], '');
    case 'exclusiveMinimum':
      return `must be greater than ${params['limit']}`;
    case 'exclusiveMaximum':
      return `must be less than ${params['limit']}`;
    case 'minLength':
    case 'maxLength':
      return range(parent['minLength'], parent['maxLength'], ' characters');
    case 'pattern':
      return `does not have the expected form (${typeof parent[VALUE_HELP] === 'string' ? parent[VALUE_HELP] : `pattern ${params['pattern']}`})`;
    case 'enum':
      return `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${String(params['allowedValue'])}`;
    case 'anyOf':
    case 'oneOf': {
      const branches = (parent[error.keyword] ?? []) as Record<string, unknown>[];
      return `must be one of: ${branches.map(branchName).join(', ')}`;
    }
    case 'uniqueItems':
      return 'is given more than once';
    case 'minItems':
      return `needs at least ${params['limit']} value${params['limit'] === 1 ? '' : 's'}`;
    case 'minProperties':
      return 'needs at least one instance';
    case 'maxItems':
      return `takes at most ${params['limit']} values`;
    case 'required':
      return 'must be set';
    default:
      return error.message ?? 'is not valid';
  }
}
