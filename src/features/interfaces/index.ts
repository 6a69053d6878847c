import { ConfigPathError } from '../../errors.js';
import type { Feature } from '../feature.js';
import { applyInterfaces, ethernetsOf } from './apply.js';
import { registerInterfacesSchema } from './schema.js';

export const interfacesFeature: Feature = {
  name: 'interfaces',
  registerSchema: registerInterfacesSchema,
  validate(tree, facts) {
    return Object.keys(ethernetsOf(tree))
      .filter((name) => !facts.interfaces.has(name))
      .map(
        (name) => new ConfigPathError(['interfaces', 'ethernet', name], 'no such interface on this router'),
      );
  },
  apply: (prev, next, ctx) => applyInterfaces(prev, next, ctx.stateDir),
};
