import * as z from 'zod';
import { addDevices, bulkAddSchema, nameUpdate } from './bulk-devices.js';
import { type Command, define, idOf } from './define.js';
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

/** The `device` commands. */
export const deviceCommands: readonly Command[] = [
  define({
    noun: 'device',
    verb: 'add',
    summary: 'register checkpoint devices, one or many; prints ids and credentials (shown once)',
    synopsis:
      '--name <name> | --count <n> --name-prefix <prefix> [--sheet <file.html>]; [--jurisdiction <code>] [--mode <mode>]',
    description:
      'Registers a checkpoint device (phone, tablet or checkpoint app install) and issues its credential.\n' +
      'With --count N (1-500) and --name-prefix P it registers N devices named P001, P002, … (numbering\n' +
      'goes on after the highest P### already registered), and with --sheet writes a printable A4 page of\n' +
      'their pairing QR codes (RGDEV:<credential>, what the page\'s "Scan pairing QR" reads). The sheet\n' +
      'holds the credentials: it is written readable by you only, and an existing file is never replaced.\n' +
      "Against AWS each device also gets its API key, paced under CreateApiKey's 5 requests/s, with\n" +
      "progress on stderr. Verify applies the rule set in force for the devices' jurisdiction and mode\n" +
      '(see `rules list`).',
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
      { option: 'count', usage: '--count <n>', help: 'how many devices to register, 1-500' },
      {
        option: 'name-prefix',
        usage: '--name-prefix <prefix>',
        help: 'their names\' start, e.g. "Chốt QL18 "',
      },
      { option: 'sheet', usage: '--sheet <file.html>', help: 'write the printable pairing sheet there' },
    ],
    examples: [
      'npm run admin -- device add --name "Chốt Km 5 — máy 1"',
      'npm run admin -- device add --count 40 --name-prefix "Chốt QL18 " --sheet ql18.html',
      'npm run admin -- device add --name "Cầu Bắc Luân — máy 2" --jurisdiction VN-13 --mode FREIGHT',
    ],
    schema: bulkAddSchema,
    run: async (args, target) =>
      args.kind === 'one'
        ? registered(
            target,
            'device',
            'checkpoint',
            await registryOf(target).addDevice(args.name, args.scope),
          )
        : addDevices(args, target),
  }),
  define({
    noun: 'device',
    verb: 'update',
    summary: "correct a device's name",
    synopsis: '<id> --name <name>',
    description:
      'Renames a checkpoint device; its id and credential stay. Recorded in the audit with old and new\n' +
      'names.',
    options: [{ option: 'name', usage: '--name <name>', help: 'the new name' }],
    examples: ['npm run admin -- device update dev_9a8b7c6d5e4f3a2b --name "Chốt QL18 — máy 2"'],
    schema: nameUpdate('device'),
    run: async ({ id, name }, target) =>
      updated(target, 'device', id, await registryOf(target).update(id, 'checkpoint', { name })),
  }),
  define({
    noun: 'device',
    verb: 'remove',
    summary: 'delete a device registered by mistake (only one never used)',
    synopsis: '<id>',
    description:
      'Deletes a checkpoint device and its credential, only if its credential was never used (no last\n' +
      'use in device list): one registered twice or by mistake. A device that was used is refused (exit\n' +
      `1, IN_USE): use device revoke. Recorded in the audit. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- device remove dev_9a8b7c6d5e4f3a2b'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'checkpoint');
      return removed(target, 'device', id);
    },
  }),
  define({
    noun: 'device',
    verb: 'list',
    summary: 'list the checkpoint devices, their status and last use',
    synopsis: '',
    description:
      'Lists every checkpoint device, ACTIVE or REVOKED, by name, with when its credential was last used\n' +
      '(lastUsedAt: recorded when the gateway checks the credential, at most once per 300 s, so up to\n' +
      '5 minutes behind; - when never used).',
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
      await registryOf(target).revoke(id, 'checkpoint');
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
      rotated(target, 'device', await registryOf(target).rotate(id, 'checkpoint')),
  }),
];
