// Validation of a whole candidate against the merged schema: ajv for the JSON shape and values,
// a walk for tag instance names (JSON keys, which ajv cannot range-check), and every error mapped
// to the operator's path (`interfaces ethernet eth1 vrrp vrrp-group 300: must be 1-255`).

import type { TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { ConfigPathError } from '../errors.js';
import { allowedWords, type SchemaRegistry } from './registry.js';
import { childrenOf, kindOf, tagBodyOf, tagKeyOf } from './schemaNodes.js';
import { type ConfigTree, childValue, compareKeys, isConfigTree } from './tree.js';
import { humanMessage, outermostErrors, validatorFor, valueProblem, wordToValue } from './valueCheck.js';

/** Every problem of the tree, each with its path, in tree order; empty when the tree is valid. */
export function validateTree(tree: ConfigTree, registry: SchemaRegistry): ConfigPathError[] {
  // validatorFor caches by schema identity and each registration builds a new root: one compile
  // per registry version.
  const validate = validatorFor(registry.root());
  const errors: ConfigPathError[] = [];
  if (!validate(tree)) {
    for (const error of outermostErrors(validate.errors ?? [])) errors.push(toPathError(error, tree));
  }
  checkTagKeys(tree, registry.root(), [], errors);
  return sortedUnique(errors);
}

const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function toPathError(error: ErrorObject, tree: ConfigTree): ConfigPathError {
  // Walk the data along the JSON pointer: array indexes become the values they point at, since
  // an operator names one value of a multi-value leaf by the value (`address 192.0.2.1/24`).
  const path: string[] = [];
  let data: unknown = tree;
  let atValue = false;
  for (const segment of error.instancePath.split('/').slice(1).map(unescapePointer)) {
    if (Array.isArray(data)) {
      data = data[Number(segment)];
      path.push(String(data));
      atValue = true;
    } else {
      data = isConfigTree(data) ? childValue(data, segment) : undefined;
      path.push(segment);
      atValue = false;
    }
  }
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const word = String(params['additionalProperty']);
      const container = error.parentSchema as TSchema;
      return new ConfigPathError([...path, word], `unknown word '${word}'; ${allowedWords(container)}`);
    }
    case 'required':
      return new ConfigPathError([...path, String(params['missingProperty'])], 'must be set');
    case 'uniqueItems': {
      const repeated = Array.isArray(data) ? data[Number(params['j'])] : undefined;
      return new ConfigPathError([...path, String(repeated)], humanMessage(error));
    }
    default: {
      // A bad scalar is named with its value, as the operator would type it ('' would read as nothing).
      const scalar =
        (typeof data === 'string' && data !== '') || typeof data === 'number' || typeof data === 'boolean';
      return new ConfigPathError(scalar && !atValue ? [...path, String(data)] : path, humanMessage(error));
    }
  }
}

function checkTagKeys(tree: ConfigTree, container: TSchema, path: string[], errors: ConfigPathError[]): void {
  for (const [word, schema] of Object.entries(childrenOf(container))) {
    const value = childValue(tree, word);
    if (!isConfigTree(value)) continue;
    if (kindOf(schema) === 'container') {
      checkTagKeys(value, schema, [...path, word], errors);
    } else if (kindOf(schema) === 'tag') {
      const key = tagKeyOf(schema);
      for (const [name, instance] of Object.entries(value)) {
        const problem = valueProblem(key, wordToValue(key, name));
        if (problem) errors.push(new ConfigPathError([...path, word, name], problem));
        if (isConfigTree(instance)) checkTagKeys(instance, tagBodyOf(schema), [...path, word, name], errors);
      }
    }
  }
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareKeys(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function sortedUnique(errors: ConfigPathError[]): ConfigPathError[] {
  const seen = new Set<string>();
  return errors
    .filter((error) => {
      const key = JSON.stringify([error.path, error.detail]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => comparePaths(a.path, b.path));
}
