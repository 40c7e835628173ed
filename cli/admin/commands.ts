import * as z from 'zod';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../contract/limits.js';
import { DEFAULT_MODE, NATIONAL } from '../../contract/rules.js';
import { type Role, roles } from '../../contract/vocabulary.js';
import { makeDeadLetters } from '../../functions/adapters/dead-letters.js';
import { type Issued, makeRegistryCommands, type Principal } from '../../functions/domain/registry.js';
import { testTypes } from '../../functions/schemas/common.js';
import { classify, EXIT, UsageError } from './errors.js';
import { type Output, orDash, table } from './output.js';
import { ruleCommands } from './rules-commands.js';
import type { Target } from './target.js';

/** The options a command may take, besides the global ones (--json and the target). */
export const COMMAND_OPTIONS = [
  'name',
  'province',
  'test-types',
  'max',
  'jurisdiction',
  'mode',
  'file',
  'urgent',
  'version',
] as const;
export type CommandOption = (typeof COMMAND_OPTIONS)[number];

/** A command's input straight from the command line, before its own schema has checked it. */
export type RawInput = { readonly id: string | undefined } & Partial<Record<CommandOption, string>>;

export interface OptionHelp {
  readonly option: CommandOption;
  readonly usage: string;
  readonly help: string;
}

export interface Command {
  readonly noun: string;
  readonly verb: string;
  readonly summary: string;
  /** Arguments after the command name, e.g. `<id>` or `--name <name>`. */
  readonly synopsis: string;
  readonly description: string;
  readonly takesId: boolean;
  readonly options: readonly OptionHelp[];
  readonly examples: readonly string[];
  /** Checks the input (throws UsageError) and returns the run, so nothing touches a stack before. */
  prepare(input: RawInput): (target: Target) => Promise<Output>;
}

type Spec<S extends z.ZodType> = Omit<Command, 'prepare' | 'takesId'> & {
  readonly schema: S;
  readonly run: (args: z.output<S>, target: Target) => Promise<Output>;
};

const define = <S extends z.ZodType>({ schema, run, ...spec }: Spec<S>): Command => ({
  ...spec,
  takesId: spec.synopsis.startsWith('<id>'),
  prepare: (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const problems = [...new Set(parsed.error.issues.map((issue) => issue.message))];
      throw new UsageError(
        `${spec.noun} ${spec.verb}: ${problems.join('; ')}. See ${spec.noun} ${spec.verb} --help.`,
      );
    }
    return (target) => run(parsed.data, target);
  },
});

// --- Argument schemas: the single source of each command's argument types ---------------------------------

const required = (usage: string) =>
  z
    .string({ error: `${usage} is required` })
    .trim()
    .min(1, `${usage} must not be empty`);

const idOf = (what: string, listCommand: string) =>
  z.object({ id: required(`the ${what} id (see \`${listCommand}\`)`) });

const TEST_TYPES_USAGE = '--test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated';
const testTypesOption = z
  .string()
  .default(testTypes.join(','))
  .transform((value) => value.split(',').map((t) => t.trim().toUpperCase()))
  .pipe(z.array(z.enum(testTypes, { error: TEST_TYPES_USAGE })).min(1, TEST_TYPES_USAGE));

const maxOption = z
  .string()
  .regex(/^[1-9]\d*$/, '--max takes a positive whole number')
  .transform(Number)
  .optional();

// --- Output -----------------------------------------------------------------------------------------------

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

const byProvinceThenName = (a: Principal, b: Principal): number =>
  collator.compare(a.province ?? '', b.province ?? '') || collator.compare(a.name, b.name);

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

const principalView = (p: Principal) => ({
  id: p.id,
  name: p.name,
  status: p.status,
  createdAt: p.createdAt,
});

const issued = (what: string, out: Issued, verb = 'registered'): Output => ({
  json: out,
  text:
    `${what} ${out.id} ${verb}\n` +
    `credential: ${out.credential}\n` +
    'Keep it safe: it is shown only this once and stored only as a hash.\n',
});

/** A follow-up on the gateway, after the registry change is made: what happened, for the operator. */
interface FollowUp {
  readonly note: string;
  readonly failed: boolean;
}

const RETRY_FLUSH = '`npm run admin -- cache flush` (same target) once the cause is fixed';

/** Flushes the gateway's cached credentials, so the change takes effect at the caller's next request. */
const flushCache = async (target: Target): Promise<FollowUp & { readonly flushed: boolean }> => {
  try {
    const outcome = await target.flushAuthorizerCache();
    return outcome === 'flushed'
      ? {
          note: "It takes effect now: the gateway's credential cache was flushed.",
          failed: false,
          flushed: true,
        }
      : {
          note: `This stack's gateway offers no cache flush: it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s.`,
          failed: false,
          flushed: false,
        };
  } catch (error) {
    return {
      note: `The gateway's credential cache could not be flushed (${classify(error).message}); it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s, or at once after ${RETRY_FLUSH}.`,
      failed: true,
      flushed: false,
    };
  }
};

const SYNC = '`npm run admin -- keys sync` (same target)';

/** Gives a new principal its API key on its role's usage plan (its own throttle). */
const provisionKey = async (target: Target, id: string, role: Role): Promise<FollowUp> => {
  try {
    await target.gateway.ensureUsageKey(id, role);
    return { note: '', failed: false };
  } catch (error) {
    return {
      note: `Its API key could not be made (${classify(error).message}): the gateway refuses its calls (403) until ${SYNC} makes it.`,
      failed: true,
    };
  }
};

/** Deletes a revoked principal's API key, so it spends none of the account's 10,000 keys. */
const removeKey = async (target: Target, id: string): Promise<FollowUp> => {
  try {
    await target.gateway.deleteUsageKey(id);
    return { note: '', failed: false };
  } catch (error) {
    return {
      note: `Its API key could not be deleted (${classify(error).message}); ${SYNC} deletes it later. The credential is refused all the same.`,
      failed: true,
    };
  }
};

/** Adds the follow-ups' notes to an output; a failed follow-up makes the exit code 3. */
const withFollowUps = (output: Output, ...followUps: readonly FollowUp[]): Output => {
  const notes = followUps.map((f) => f.note).filter((note) => note !== '');
  const warnings = followUps.filter((f) => f.failed).map((f) => f.note);
  const json =
    warnings.length === 0 || typeof output.json !== 'object' || output.json === null
      ? output.json
      : { ...output.json, warnings };
  return {
    json,
    text: `${output.text}${notes.map((note) => `${note}\n`).join('')}`,
    ...(warnings.length > 0 ? { exitCode: EXIT.FAILED } : {}),
  };
};

const statusChanged = async (
  target: Target,
  what: string,
  id: string,
  status: Principal['status'],
  ...more: readonly FollowUp[]
): Promise<Output> => {
  const flush = await flushCache(target);
  return withFollowUps(
    { json: { id, status, cacheFlushed: flush.flushed }, text: `${what} ${id} is now ${status}.\n` },
    flush,
    ...more,
  );
};

const registered = async (target: Target, what: string, role: Role, out: Issued): Promise<Output> =>
  withFollowUps(issued(what, out), await provisionKey(target, out.id, role));

/** The JSON stays `{id, credential}` (scripts parse it strictly); the text says whether the cache was flushed. */
const rotated = async (target: Target, what: string, out: Issued): Promise<Output> => {
  const flush = await flushCache(target);
  return withFollowUps(issued(what, out, 'has a new credential'), {
    ...flush,
    note: flush.note.replace('It takes effect', 'The old credential stops working'),
  });
};

const TAKES_EFFECT =
  "The gateway's credential cache is flushed at once, so this takes effect at the next request.";

const listOf = (role: Role, key: string) => async (target: Target) => {
  const principals = (await makeRegistryCommands(target.registry).list(role))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map(principalView);
  return {
    json: { [key]: principals },
    text: table(principals, ['id', 'name', 'status', 'createdAt']),
  };
};

// --- The commands -----------------------------------------------------------------------------------------

export const commands: readonly Command[] = [
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
      const labs = (await makeRegistryCommands(target.registry).listLabs())
        .sort(byProvinceThenName)
        .map(labView);
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
  define({
    noun: 'app',
    verb: 'add',
    summary: 'register a citizen-app backend; prints its id and credential (shown once)',
    synopsis: '--name <name>',
    description: 'Registers a citizen-app backend (it asks for QR passes) and issues its credential.',
    options: [{ option: 'name', usage: '--name <name>', help: 'the app, e.g. "Bluezone"' }],
    examples: ['npm run admin -- app add --name Bluezone'],
    schema: z.object({ name: required('--name <name>') }),
    run: async ({ name }, target) =>
      registered(target, 'app', 'app', await makeRegistryCommands(target.registry).addApp(name)),
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
    run: async ({ id }, target) =>
      rotated(target, 'app', await makeRegistryCommands(target.registry).rotate(id, 'app')),
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
      await makeRegistryCommands(target.registry).revoke(id, 'app');
      return statusChanged(target, 'app', id, 'REVOKED', await removeKey(target, id));
    },
  }),
  define({
    noun: 'keys',
    verb: 'sync',
    summary: 'give every active lab, device and app its own API key (after an upgrade); idempotent',
    synopsis: '',
    description:
      "Makes sure every lab, device and app that is not revoked has its own API key on its role's usage plan\n" +
      '(its own request limit), and that no revoked one keeps a key. The add commands do this for new\n' +
      'principals; run it once after deploying a stack that had shared keys per role, and whenever an add\n' +
      'or revoke reported a key it could not make or delete. Safe to run again. The local stack has no keys.',
    options: [],
    examples: ['npm run admin -- keys sync --stack ResultGate-prod', 'npm run admin -- keys sync --json'],
    schema: z.object({}),
    run: async (_args, target) => {
      const registry = makeRegistryCommands(target.registry);
      const principals = (await Promise.all(roles.map((role) => registry.list(role)))).flat();
      const report = await target.gateway.syncUsageKeys(principals);
      const text =
        target.kind === 'local'
          ? 'The local stack meters each credential by its id: there are no API keys to sync.\n'
          : `${report.created} key(s) created, ${report.attached} put on their usage plan, ` +
            `${report.present} already in place, ${report.deleted} of revoked principals deleted.\n`;
      return { json: report, text };
    },
  }),
  define({
    noun: 'cache',
    verb: 'flush',
    summary: "forget the gateway's cached credentials (the revoke and rotate commands do it themselves)",
    synopsis: '',
    description:
      "Flushes the API stage's authorizer cache, so every credential is checked again at its next request.\n" +
      'The revoke, suspend, resume and rotate commands do this themselves; use it after a change made to\n' +
      `the registry by hand, or when one of them could not flush. Otherwise the cache forgets within ${AUTHORIZER_CACHE_TTL_SECONDS} s.`,
    options: [],
    examples: ['npm run admin -- cache flush --stack ResultGate-prod'],
    schema: z.object({}),
    run: async (_args, target) => {
      const outcome = await target.flushAuthorizerCache();
      return {
        json: { cacheFlushed: outcome === 'flushed' },
        text:
          outcome === 'flushed'
            ? "The gateway's credential cache was flushed.\n"
            : "This stack's gateway offers no cache flush (a local stack without a control token): nothing to do.\n",
      };
    },
  }),
  define({
    noun: 'dlq',
    verb: 'list',
    summary: 'list the results that failed to store (ids only, never the result)',
    synopsis: '[--max <n>]',
    description:
      'Lists the messages in the dead-letter queue: results that failed to store 5 times. It shows the lab\n' +
      'and sample ids only. SQS has no peek: each message is received and made visible again at once, which\n' +
      'adds one to its receive count and nothing else.',
    options: [{ option: 'max', usage: '--max <n>', help: 'list at most n messages (default 1000)' }],
    examples: ['npm run admin -- dlq list', 'npm run admin -- dlq list --max 50 --json'],
    schema: z.object({ max: maxOption }),
    run: async ({ max }, target) => {
      const messages = await makeDeadLetters(target.sqs, target).list(max === undefined ? {} : { max });
      const rows = messages.map((m) => ({
        'message id': m.messageId,
        lab: orDash(m.labId),
        sample: orDash(m.sampleId),
        receives: String(m.receiveCount),
        'first sent': orDash(m.sentAt),
      }));
      const columns = ['message id', 'lab', 'sample', 'receives', 'first sent'];
      return {
        json: { count: messages.length, messages },
        text: `${table(rows, columns)}${messages.length} message(s) in the dead-letter queue.\n`,
      };
    },
  }),
  define({
    noun: 'dlq',
    verb: 'redrive',
    summary: 'move the failed results back to the results queue to be stored again',
    synopsis: '[--max <n>]',
    description:
      'Moves the dead letters back to the results queue, once the cause of the failures is fixed. Each is\n' +
      'sent before it is deleted from the dead-letter queue, and storing is idempotent, so a redrive is\n' +
      'always safe to run (again).',
    options: [{ option: 'max', usage: '--max <n>', help: 'move at most n messages (default: all)' }],
    examples: ['npm run admin -- dlq redrive', 'npm run admin -- dlq redrive --max 10 --json'],
    schema: z.object({ max: maxOption }),
    run: async ({ max }, target) => {
      const report = await makeDeadLetters(target.sqs, target).redrive(max === undefined ? {} : { max });
      const notes = [
        report.failed > 0 ? `${report.failed} could not be sent and stay in the dead-letter queue.` : '',
        report.duplicated > 0
          ? `${report.duplicated} were sent but not deleted: they are in both queues; storing twice is harmless.`
          : '',
      ].filter((note) => note !== '');
      return {
        json: report,
        text: `Moved ${report.moved} message(s) back to the results queue.\n${notes.map((n) => `${n}\n`).join('')}`,
      };
    },
  }),
  ...ruleCommands,
];

export const nouns = [...new Set(commands.map((c) => c.noun))];

export const findCommand = (noun: string | undefined, verb: string | undefined): Command | undefined =>
  commands.find((c) => c.noun === noun && c.verb === verb);
