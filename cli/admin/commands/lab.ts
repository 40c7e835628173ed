import * as z from 'zod';
import { byProvinceThenName } from '../../../contract/facilities-order.js';
import { PROVINCES_SOURCE } from '../../../contract/provinces.js';
import type { Principal } from '../../../functions/domain/registry.js';
import { testTypes } from '../../../functions/schemas/common.js';
import { viEn } from '../bilingual.js';
import { checklistText } from '../onboarding-checklist.js';
import { orDash, table } from '../output.js';
import { type Command, define, flag, idOf, required, requiredId } from './define.js';
import {
  registered,
  registryOf,
  removed,
  rotated,
  statusChanged,
  TAKES_EFFECT,
  updated,
} from './principal-output.js';

const TEST_TYPES_USAGE = viEn(
  '--test-types nhận RT_PCR, RAPID_ANTIGEN hoặc cả hai, cách nhau bằng dấu phẩy',
  '--test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated',
);
const testTypesList = z
  .string()
  .transform((value) => value.split(',').map((t) => t.trim().toUpperCase()))
  .pipe(z.array(z.enum(testTypes, { error: TEST_TYPES_USAGE })).min(1, TEST_TYPES_USAGE));
const testTypesOption = z.string().default(testTypes.join(',')).pipe(testTypesList);

const PROVINCE_HELP =
  'one of the 34 provincial units in force since 1 July 2025, by its name with diacritics ("Hải Phòng")\n' +
  `${' '.repeat(34)}or ISO code (VN-HP); a miss names the closest (contract/provinces.ts)`;
const FORCE_HELP = 'register it even if a lab of the same name is in the province';

/** A principal as printed: never its credential hash. */
const labView = (lab: Principal) => ({
  id: lab.id,
  name: lab.name,
  province: lab.province ?? '',
  testTypes: [...(lab.testTypes ?? [])],
  status: lab.status,
  createdAt: lab.createdAt,
  integratedSince: lab.integratedSince ?? null,
  lastResultAt: lab.lastResultAt ?? null,
});

/** The labs as `lab list` prints them: in the order of GET /v1/facilities. */
export const listedLabs = (labs: readonly Principal[]) => [...labs].sort(byProvinceThenName).map(labView);

/** The `lab` commands. */
export const labCommands: readonly Command[] = [
  define({
    noun: 'lab',
    verb: 'add',
    summary: 'register a testing lab; prints its id and credential (shown once)',
    synopsis: '--name <name> --province <province> [--test-types RT_PCR,RAPID_ANTIGEN] [--force]',
    description:
      'Registers a lab and issues its credential. Give the credential to the lab over a safe channel: it\n' +
      'is shown only now and stored only as a hash. The lab appears in GET /v1/facilities at once, with\n' +
      'null integratedSince and lastResultAt until its first result is stored. The province must be one of\n' +
      `the list (${PROVINCES_SOURCE}). A name already used in the province (same letters, any case) is\n` +
      'refused with exit 2 (DUPLICATE_NAME) unless --force. Prints the onboarding checklist.',
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: 'the lab\'s public name, e.g. "CDC Quảng Ninh" (1-200 chars)',
      },
      { option: 'province', usage: '--province <province>', help: PROVINCE_HELP },
      {
        option: 'test-types',
        usage: '--test-types <types>',
        help: 'RT_PCR, RAPID_ANTIGEN or both, comma-separated (default: both)',
      },
      { option: 'force', usage: '--force', help: FORCE_HELP },
    ],
    examples: [
      'npm run admin -- lab add --name "CDC Quảng Ninh" --province "Quảng Ninh"',
      'npm run admin -- lab add --name "Bệnh viện Bãi Cháy" --province "Quảng Ninh" --test-types RAPID_ANTIGEN --json',
    ],
    schema: z.object({
      name: required('--name <name>'),
      province: required('--province <province>'),
      'test-types': testTypesOption,
      force: flag,
    }),
    run: async (args, target) => {
      const output = await registered(
        target,
        'lab',
        'lab',
        await registryOf(target).addLab(
          { name: args.name, province: args.province, testTypes: args['test-types'] },
          { refuseDuplicateName: !args.force },
        ),
      );
      // --json stays {id, credential}: scripts (and strict parsers) read it as before.
      return { ...output, text: `${output.text}\n${checklistText()}` };
    },
  }),
  define({
    noun: 'lab',
    verb: 'update',
    summary: "correct a lab's name, province or test types",
    synopsis: '<id> [--name <name>] [--province <province>] [--test-types <types>] [--force]',
    description:
      'Corrects what GET /v1/facilities shows of a lab; its id, credential and results stay. Only the\n' +
      'options given change. The same checks as lab add: the province list, and a name already used in\n' +
      'the province is refused (exit 2) unless --force. Recorded in the audit with old and new values.\n' +
      'Officers see a new name on the next verify of that lab after the credential cache TTL (300 s).',
    options: [
      { option: 'name', usage: '--name <name>', help: 'the new public name' },
      { option: 'province', usage: '--province <province>', help: PROVINCE_HELP },
      { option: 'test-types', usage: '--test-types <types>', help: 'RT_PCR, RAPID_ANTIGEN or both' },
      { option: 'force', usage: '--force', help: FORCE_HELP },
    ],
    examples: [
      'npm run admin -- lab update lab_3f9a1c2b4d5e6f70 --province "Hải Phòng"',
      'npm run admin -- lab update lab_3f9a1c2b4d5e6f70 --name "CDC Hải Phòng" --test-types RT_PCR',
    ],
    schema: z
      .object({
        id: requiredId('lab', 'lab list'),
        name: z.string().optional(),
        province: z.string().optional(),
        'test-types': testTypesList.optional(),
        force: flag,
      })
      .refine((a) => a.name !== undefined || a.province !== undefined || a['test-types'] !== undefined, {
        error: viEn(
          'hãy cho ít nhất một trong --name, --province, --test-types',
          'give at least one of --name, --province, --test-types',
        ),
      }),
    run: async (args, target) =>
      updated(
        target,
        'lab',
        args.id,
        await registryOf(target).update(
          args.id,
          'lab',
          { name: args.name, province: args.province, testTypes: args['test-types'] },
          { refuseDuplicateName: !args.force },
        ),
      ),
  }),
  define({
    noun: 'lab',
    verb: 'remove',
    summary: 'delete a lab registered by mistake (only one that never sent a result)',
    synopsis: '<id>',
    description:
      'Deletes a lab and its credential, only if no result of it was ever stored (no integratedSince):\n' +
      'a lab registered twice or by mistake. A lab that has sent results is refused (exit 1, IN_USE): use\n' +
      `lab suspend, so its past results keep naming it. Recorded in the audit. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- lab remove lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'lab');
      return removed(target, 'lab', id);
    },
  }),
  define({
    noun: 'lab',
    verb: 'list',
    summary: 'list the labs with status, test types and when they last sent results',
    synopsis: '',
    description:
      'Lists every registered lab, by province then name: the same labs as GET /v1/facilities, plus when\n' +
      'each was registered. integratedSince is the time of its first stored result, lastResultAt the latest.',
    options: [],
    examples: [
      'npm run admin -- lab list',
      "npm run admin -- lab list --json | jq -r '.labs[] | select(.lastResultAt == null) | .id'",
    ],
    schema: z.object({}),
    run: async (_args, target) => {
      const labs = listedLabs(await registryOf(target).listLabs());
      return {
        json: { labs },
        text: table(
          labs.map((lab) => ({
            id: lab.id,
            name: lab.name,
            province: lab.province,
            status: lab.status,
            'test types': lab.testTypes.join(','),
            'integrated since': orDash(lab.integratedSince),
            'last result': orDash(lab.lastResultAt),
          })),
          ['id', 'name', 'province', 'status', 'test types', 'integrated since', 'last result'],
        ),
      };
    },
  }),
  define({
    noun: 'lab',
    verb: 'suspend',
    summary: "refuse the lab's results (403) until it is resumed",
    synopsis: '<id>',
    description:
      'Suspends a lab: its results are answered 403 FORBIDDEN, and GET /v1/facilities shows it SUSPENDED.\n' +
      'Results it sent before stay valid. ' +
      TAKES_EFFECT,
    options: [],
    examples: ['npm run admin -- lab suspend lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).suspendLab(id);
      return statusChanged(target, 'lab', id, 'SUSPENDED');
    },
  }),
  define({
    noun: 'lab',
    verb: 'resume',
    summary: "accept the lab's results again",
    synopsis: '<id>',
    description: `Makes a suspended lab ACTIVE again, with the credential it had. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- lab resume lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).resumeLab(id);
      return statusChanged(target, 'lab', id, 'ACTIVE');
    },
  }),
  define({
    noun: 'lab',
    verb: 'rotate',
    summary: 'issue a new credential for the lab; the old one stops working',
    synopsis: '<id>',
    description:
      'Issues a new credential (shown once) and retires the old one at once. Use it when a credential may\n' +
      `have leaked, or on a schedule. ${TAKES_EFFECT}`,
    options: [],
    examples: ['npm run admin -- lab rotate lab_3f9a1c2b4d5e6f70 --json'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => rotated(target, 'lab', await registryOf(target).rotate(id, 'lab')),
  }),
];
