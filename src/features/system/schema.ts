// Configuration schema of `system`: host name and login users with their privilege level
// (spec/cli-model.md §7: admin may configure, operator runs a restricted set of commands).

import type { Static } from '@sinclair/typebox';
import type { SchemaRegistry } from '../../config/registry.js';
import { Choice, Container, Leaf, Pattern, TagNode, Text } from '../../config/schemaNodes.js';

/** RFC 1123 host name label. */
export const HOST_NAME = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** Debian's default NAME_REGEX, limited to the 32 characters of utmp. */
const USER_NAME = '[a-z_][a-z0-9_-]{0,31}';
/** SHA-512 crypt(3): `$6$[rounds=N$]salt$hash`, the format Vyatta stores. */
const SHA512_CRYPT = '\\$6\\$(?:rounds=[0-9]{1,9}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}';

export function systemSchema() {
  const user = Container(
    {
      authentication: Container(
        {
          'encrypted-password': Leaf(
            Pattern(
              SHA512_CRYPT,
              'SHA-512 crypt hash ($6$salt$hash)',
              'must be a SHA-512 crypt hash ($6$salt$hash)',
            ),
            { description: 'Encrypted password' },
          ),
          'plaintext-password': Leaf(Text(1, 128), { description: 'Plain text password (stored encrypted)' }),
        },
        { description: 'Authentication settings' },
      ),
      level: Leaf(
        Choice({
          admin: 'Administrator: configuration mode and all operational commands',
          operator: 'Operator: a restricted set of operational commands',
        }),
        { description: 'User privilege level', default: 'admin' },
      ),
    },
    { description: 'User account' },
  );
  return Container(
    {
      'host-name': Leaf(
        Pattern(
          HOST_NAME,
          'host name (1-63 letters, digits, hyphens)',
          'must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen',
        ),
        { description: 'System host name' },
      ),
      login: Container(
        {
          user: TagNode(
            Pattern(
              USER_NAME,
              'user name',
              'must be a user name: a-z, 0-9, "_" and "-", at most 32, not starting with a digit or "-"',
            ),
            user,
            { description: 'User account' },
          ),
        },
        { description: 'User login' },
      ),
    },
    { description: 'System parameters' },
  );
}

export type SystemConfig = Static<ReturnType<typeof systemSchema>>;

export function registerSystemSchema(registry: SchemaRegistry): void {
  registry.register('system', ['system'], systemSchema());
}
