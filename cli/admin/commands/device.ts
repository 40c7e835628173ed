import * as z from 'zod';
import { DEFAULT_MODE, NATIONAL } from '../../../contract/rules.js';
import { makeRegistryCommands } from '../../../functions/domain/registry.js';
import { type Command, define, idOf, required } from './define.js';
import { listOf, registered, removeKey, rotated, statusChanged, TAKES_EFFECT } from './principal-output.js';

/** The `device` commands. */
export const deviceCommands: readonly Command[] = [
  define({
    noun: 'device',
    verb: 'add',
    summary: 'register a checkpoint device; prints its id and credential (shown once)',
    synopsis: '--name <name> [--jurisdiction <code>] [--mode <mode>]',
    description:
      'Registers a checkpoint device (phone, tablet or checkpoint app install) and issues its credential.\n' +
      'Verify applies the rule set in force for its jurisdiction and mode (see `rules list`).',
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: 'which checkpoint and device, e.g. "Chốt Km 5 — máy 1"',
      },
      {
        option: 'jurisdiction',
        usage: '--jurisdiction <code>',
        help: 'its province, ISO 3166-2, e.g. VN-13 (Quảng Ninh) (default: VN, the whole country)',
      },
      {
        option: 'mode',
        usage: '--mode <mode>',
        help: 'its default use, e.g. ENTRY, FREIGHT (default: ENTRY)',
      },
    ],
    examples: [
      'npm run admin -- device add --name "Chốt Km 5 — máy 1"',
      'npm run admin -- device add --name "Cầu Bắc Luân — máy 2" --jurisdiction VN-13 --mode FREIGHT',
    ],
    schema: z.object({
      name: required('--name <name>'),
      jurisdiction: z.string().trim().toUpperCase().default(NATIONAL),
      mode: z.string().trim().toUpperCase().default(DEFAULT_MODE),
    }),
    run: async ({ name, jurisdiction, mode }, target) =>
      registered(
        target,
        'device',
        'checkpoint',
        await makeRegistryCommands(target.registry).addDevice(name, { jurisdiction, mode }),
      ),
  }),
  define({
    noun: 'device',
    verb: 'list',
    summary: 'list the checkpoint devices and their status',
    synopsis: '',
    description: 'Lists every checkpoint device, ACTIVE or REVOKED, by name.',
    options: [],
    examples: ['npm run admin -- device list'],
    schema: z.object({}),
    run: async (_args, target) => listOf('checkpoint', 'devices')(target),
  }),
  define({
    noun: 'device',
    verb: 'revoke',
    summary: "the device's credential stops working (for a lost or stolen device)",
    synopsis: '<id>',
    description: `Revokes a checkpoint device for good: its credential is refused (401). ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- device revoke dev_9a8b7c6d5e4f3a2b'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) => {
      await makeRegistryCommands(target.registry).revoke(id, 'checkpoint');
      return statusChanged(target, 'device', id, 'REVOKED', await removeKey(target, id));
    },
  }),
  define({
    noun: 'device',
    verb: 'rotate',
    summary: 'issue a new credential for a device; the old one stops working',
    synopsis: '<id>',
    description:
      'Issues a new credential for a checkpoint device (shown once) and retires the old one at once: for a\n' +
      `credential that may have been copied while the device itself is still in good hands. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- device rotate dev_9a8b7c6d5e4f3a2b --json'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) =>
      rotated(target, 'device', await makeRegistryCommands(target.registry).rotate(id, 'checkpoint')),
  }),
];
