import { parseArgs } from 'node:util';
import * as z from 'zod';
import { maxItemsPerBody } from './batching.js';
import { UsageError } from './errors.js';

export const helpText = `Usage: npm run submit -- --file <results.csv> [--batch-size <n>] [--json]

Uploads a lab's CSV export of test results to ResultGate (POST /v1/results), in batches.

Options:
  --file <path>       the CSV file (required). A header row is required; its columns, in any order:
                      sampleId, idType, idNumber, fullName, dateOfBirth, phone, testType, result,
                      sampledAt, resultedAt. Other columns are ignored; an empty phone means none.
  --batch-size <n>    results per request, 1 to ${maxItemsPerBody} (default ${maxItemsPerBody})
  --json              print the report as one JSON document on stdout
  --help              show this help

Environment:
  RESULTGATE_CREDENTIAL   the lab's credential (required)
  RESULTGATE_URL          the API's base URL (default http://localhost:3000)

Exit codes: 0 every row accepted, 1 some rows rejected (see the report), 2 the run stopped
(bad file, refused credential, server unreachable). Running the same file again is safe.
`;

export interface SubmitSettings {
  readonly file: string;
  readonly url: string;
  readonly credential: string;
  readonly batchSize: number;
  readonly json: boolean;
}

export type CommandLine =
  | { readonly kind: 'help'; readonly json: boolean }
  | ({ readonly kind: 'run' } & SubmitSettings);

const settingsSchema = z.object({
  file: z.string({ error: '--file <path> is required' }).min(1, '--file <path> is required'),
  batchSize: z.coerce
    .number({ error: '--batch-size must be a whole number' })
    .int('--batch-size must be a whole number')
    .min(1, '--batch-size must be at least 1')
    .max(maxItemsPerBody, `--batch-size must be at most ${maxItemsPerBody} (the API's limit)`)
    .default(maxItemsPerBody),
  credential: z
    .string({ error: 'RESULTGATE_CREDENTIAL is not set: export the lab credential first' })
    .trim()
    .min(1, 'RESULTGATE_CREDENTIAL is empty: export the lab credential first'),
  url: z
    .url({
      protocol: /^https?$/,
      error: 'RESULTGATE_URL must be an http(s) URL such as http://localhost:3000',
    })
    .default('http://localhost:3000'),
});

/** Parses the arguments and the environment once; throws {@link UsageError} with a readable message. */
export const parseCommandLine = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CommandLine => {
  let values: { file?: string; 'batch-size'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string' },
        'batch-size': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const json = values.json === true;
  if (values.help === true) return { kind: 'help', json };

  const parsed = settingsSchema.safeParse({
    file: values.file,
    batchSize: values['batch-size'],
    credential: env.RESULTGATE_CREDENTIAL,
    url: env.RESULTGATE_URL === '' ? undefined : env.RESULTGATE_URL,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return { kind: 'run', json, ...parsed.data };
};
