import * as z from 'zod';
import { byProvinceThenName } from '../../../contract/facilities-order.js';
import { makeRegistryCommands, type Principal } from '../../../functions/domain/registry.js';
import { testTypes } from '../../../functions/schemas/common.js';
import { orDash, table } from '../output.js';
import { type Command, define, idOf, required } from './define.js';
import { registered, rotated, statusChanged, TAKES_EFFECT } from './principal-output.js';

const TEST_TYPES_USAGE = '--test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated';
const testTypesOption = z
  .string()
  .default(testTypes.join(','))
  .transform((value) => value.split(',').map((t) => t.trim().toUpperCase()))
  .pipe(z.array(z.enum(testTypes, { error: TEST_TYPES_USAGE })).min(1, TEST_TYPES_USAGE));

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
    synopsis: '--name <name> --province <province> [--test-types RT_PCR,RAPID_ANTIGEN]',
    description:
      'Registers a lab and issues its credential. Give the credential to the lab over a safe channel: it\n' +
      'is shown only now and stored only as a hash. The lab appears in GET /v1/facilities at once, with\n' +
      'null integratedSince and lastResultAt until its first result is stored.',
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: 'the lab\'s public name, e.g. "CDC Quảng Ninh" (1-200 chars)',
      },
      {
        option: 'province',
        usage: '--province <province>',
        help: 'the province it serves, e.g. "Quảng Ninh"',
      },
      {
        option: 'test-types',
        usage: '--test-types <types>',
        help: 'RT_PCR, RAPID_ANTIGEN or both, comma-separated (default: both)',
      },
    ],
    examples: [
      'npm run admin -- lab add --name "CDC Quảng Ninh" --province "Quảng Ninh"',
      'npm run admin -- lab add --name "Bệnh viện Bãi Cháy" --province "Quảng Ninh" --test-types RAPID_ANTIGEN --json',
    ],
    schema: z.object({
      name: required('--name <name>'),
      province: required('--province <province>'),
      'test-types': testTypesOption,
    }),
    run: async (args, target) =>
      registered(
        target,
        'lab',
        'lab',
        await makeRegistryCommands(target.registry).addLab({
          name: args.name,
          province: args.province,
          testTypes: args['test-types'],
        }),
      ),
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
      const labs = listedLabs(await makeRegistryCommands(target.registry).listLabs());
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
      await makeRegistryCommands(target.registry).suspendLab(id);
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
      await makeRegistryCommands(target.registry).resumeLab(id);
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
    run: async ({ id }, target) =>
      rotated(target, 'lab', await makeRegistryCommands(target.registry).rotate(id, 'lab')),
  }),
];
