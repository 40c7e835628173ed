import { parseArgs } from 'node:util';
import * as z from 'zod';
import { makeRegistryCommands, type Principal } from '../../functions/domain/registry.js';
import { ApiError } from '../../functions/errors.js';
import { testTypes } from '../../functions/schemas/common.js';
import { LocalStackNotRunningError } from '../../local/data-dir.js';
import { localTarget, type Target } from './target.js';

export const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  lab add --name <name> --province <province> [--test-types RT_PCR,RAPID_ANTIGEN]
                              register a lab; prints its id and credential (shown once)
  lab list                    list the labs with status and freshness
  lab suspend <id>            refuse the lab's results (403) until resumed
  lab resume <id>             accept the lab's results again
  lab rotate <id>             issue a new credential; the old one stops working
  device add --name <name>    register a checkpoint device; prints its id and credential
  device revoke <id>          the device's credential stops working
  app add --name <name>       register a citizen-app backend; prints its id and credential

Options:
  --json                      print one JSON document on stdout
  --data-dir <dir>            the local stack's data dir (default: RESULTGATE_DATA_DIR or .resultgate)
  -h, --help                  this help
`;

export interface AdminIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  /** Resolves the target; tests and the AWS mode pass their own. */
  readonly target?: (options: { dataDir: string }) => Promise<Target>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const testTypesOption = z
  .string()
  .transform((value) => value.split(',').map((t) => t.trim()))
  .pipe(z.array(z.enum(testTypes, { error: 'test types are RT_PCR and RAPID_ANTIGEN' })).min(1));

const table = (rows: readonly Record<string, string>[]): string => {
  const first = rows[0];
  if (!first) return '(none)\n';
  const columns = Object.keys(first);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n')}\n`;
};

/** Principals as printed: never their credential hash. */
const publicView = (p: Principal) => ({
  id: p.id,
  name: p.name,
  status: p.status,
  ...(p.role === 'lab'
    ? {
        province: p.province ?? '',
        testTypes: p.testTypes ?? [],
        integratedSince: p.integratedSince ?? null,
        lastResultAt: p.lastResultAt ?? null,
      }
    : {}),
  createdAt: p.createdAt,
});

/** Runs one admin command; returns the exit code (0 ok, 1 refused, 2 usage or environment error). */
export const runAdmin = async (argv: readonly string[], io: AdminIo): Promise<number> => {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        name: { type: 'string' },
        province: { type: 'string' },
        'test-types': { type: 'string', default: 'RT_PCR,RAPID_ANTIGEN' },
        'data-dir': { type: 'string' },
      },
    });
    json = values.json;
    const [noun, verb, id] = positionals;
    if (values.help || noun === undefined) {
      io.stdout(USAGE);
      return values.help ? 0 : 2;
    }
    const need = (value: string | undefined, what: string): string => {
      if (value === undefined || value.trim() === '')
        throw new UsageError(`${noun} ${verb ?? ''} needs ${what}.`);
      return value;
    };
    const dataDir = values['data-dir'] ?? io.env.RESULTGATE_DATA_DIR ?? '.resultgate';
    const target = await (io.target ?? localTarget)({ dataDir });
    const commands = makeRegistryCommands(target.registry);

    const print = (document: unknown, human: string) =>
      io.stdout(json ? `${JSON.stringify(document, null, 2)}\n` : human);
    const issued = (what: string, out: { id: string; credential: string }) =>
      print(
        out,
        `${what} ${out.id}\ncredential: ${out.credential}\nKeep it safe: it is shown only this once and stored only as a hash.\n`,
      );

    switch (`${noun} ${verb ?? ''}`) {
      case 'lab add': {
        const types = testTypesOption.safeParse(values['test-types']);
        if (!types.success)
          throw new UsageError('--test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated.');
        issued(
          'lab',
          await commands.addLab({
            name: need(values.name, '--name'),
            province: need(values.province, '--province'),
            testTypes: types.data,
          }),
        );
        return 0;
      }
      case 'lab list': {
        const labs = (await commands.listLabs()).map(publicView);
        print(
          { labs },
          table(
            labs.map((lab) => ({
              id: lab.id,
              name: lab.name,
              province: String(lab.province ?? ''),
              status: lab.status,
              'test types': (lab.testTypes ?? []).join(','),
              'integrated since': lab.integratedSince ?? '-',
              'last result': lab.lastResultAt ?? '-',
            })),
          ),
        );
        return 0;
      }
      case 'lab suspend':
        await commands.suspendLab(need(id, 'a lab id'));
        print({ id, status: 'SUSPENDED' }, `lab ${id} suspended\n`);
        return 0;
      case 'lab resume':
        await commands.resumeLab(need(id, 'a lab id'));
        print({ id, status: 'ACTIVE' }, `lab ${id} active\n`);
        return 0;
      case 'lab rotate':
        issued('lab', await commands.rotate(need(id, 'a lab id'), 'lab'));
        return 0;
      case 'device add':
        issued('device', await commands.addDevice(need(values.name, '--name')));
        return 0;
      case 'device revoke':
        await commands.revokeDevice(need(id, 'a device id'));
        print({ id, status: 'REVOKED' }, `device ${id} revoked\n`);
        return 0;
      case 'app add':
        issued('app', await commands.addApp(need(values.name, '--name')));
        return 0;
      default:
        throw new UsageError(`Unknown command: ${[noun, verb].filter(Boolean).join(' ')}. See --help.`);
    }
  } catch (error) {
    const fail = (code: string, message: string, exit: number) => {
      if (json) io.stdout(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
      io.stderr(`error: ${message}\n`);
      return exit;
    };
    if (error instanceof ApiError) return fail(error.code, error.message, 1);
    if (error instanceof UsageError) return fail('USAGE', error.message, 2);
    if (error instanceof LocalStackNotRunningError) return fail('NOT_RUNNING', error.message, 2);
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return fail('USAGE', error.message, 2);
    }
    throw error;
  }
};
