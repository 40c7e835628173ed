import * as z from 'zod';
import { nameUpdate } from './bulk-devices.js';
import { type Command, define, idOf, required } from './define.js';
import {
  listOf,
  registered,
  registryOf,
  removed,
  removeKey,
  rotated,
  statusChanged,
  TAKES_EFFECT,
  updated,
} from './principal-output.js';

/** The `app` commands. */
export const appCommands: readonly Command[] = [
  define({
    noun: 'app',
    verb: 'add',
    summary: 'register a citizen-app backend; prints its id and credential (shown once)',
    synopsis: '--name <name>',
    description: 'Registers a citizen-app backend (it asks for QR passes) and issues its credential.',
    options: [{ option: 'name', usage: '--name <name>', help: 'the app, e.g. "Bluezone"' }],
    examples: ['npm run admin -- app add --name Bluezone'],
    schema: z.object({ name: required('--name <name>') }),
    run: async ({ name }, target) => registered(target, 'app', 'app', await registryOf(target).addApp(name)),
  }),
  define({
    noun: 'app',
    verb: 'update',
    summary: "correct an app backend's name",
    synopsis: '<id> --name <name>',
    description: 'Renames a citizen-app backend; its id and credential stay. Recorded in the audit.',
    options: [{ option: 'name', usage: '--name <name>', help: 'the new name' }],
    examples: ['npm run admin -- app update app_0a1b2c3d4e5f6a7b --name "PC-Covid"'],
    schema: nameUpdate('app'),
    run: async ({ id, name }, target) =>
      updated(target, 'app', id, await registryOf(target).update(id, 'app', { name })),
  }),
  define({
    noun: 'app',
    verb: 'remove',
    summary: 'delete an app backend registered by mistake (only one never used)',
    synopsis: '<id>',
    description:
      'Deletes a citizen-app backend and its credential, only if the credential was never used; otherwise\n' +
      `refused (exit 1, IN_USE): use app revoke. Recorded in the audit. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- app remove app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'app');
      return removed(target, 'app', id);
    },
  }),
  define({
    noun: 'app',
    verb: 'list',
    summary: 'list the citizen-app backends',
    synopsis: '',
    description: 'Lists every citizen-app backend by name.',
    options: [],
    examples: ['npm run admin -- app list --json'],
    schema: z.object({}),
    run: async (_args, target) => listOf('app', 'apps')(target),
  }),
  define({
    noun: 'app',
    verb: 'rotate',
    summary: 'issue a new credential for an app backend; the old one stops working',
    synopsis: '<id>',
    description: `Issues a new credential for an app backend (shown once) and retires the old one. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- app rotate app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => rotated(target, 'app', await registryOf(target).rotate(id, 'app')),
  }),
  define({
    noun: 'app',
    verb: 'revoke',
    summary: "the app backend's credential stops working (a retired or compromised backend)",
    synopsis: '<id>',
    description: `Revokes a citizen-app backend for good: its credential is refused (401). ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- app revoke app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => {
      await registryOf(target).revoke(id, 'app');
      return statusChanged(target, 'app', id, 'REVOKED', await removeKey(target, id));
    },
  }),
];
