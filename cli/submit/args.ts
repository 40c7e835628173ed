import { parseArgs } from 'node:util';
import * as z from 'zod';
import { maxItemsPerBody } from './batching.js';
import { UsageError } from './errors.js';
import { both, helpText as help, isLang, type Lang, type Localized } from './messages.js';

/** `--help`, Vietnamese first, then English. */
export const helpText = help(maxItemsPerBody);

export interface SubmitSettings {
  readonly file: string;
  readonly url: string;
  readonly credential: string;
  readonly batchSize: number;
  readonly json: boolean;
  /** The language of everything printed (default vi). */
  readonly lang: Lang;
}

export type CommandLine =
  | { readonly kind: 'help'; readonly json: boolean; readonly lang: Lang }
  | ({ readonly kind: 'run' } & SubmitSettings);

/** Usage problems by key: zod carries the key as its message, the CLI prints the text in the chosen language. */
const usageTexts = {
  FILE: both('cần --file <đường dẫn>', '--file <path> is required'),
  BATCH_WHOLE: both('--batch-size phải là số nguyên', '--batch-size must be a whole number'),
  BATCH_MIN: both('--batch-size phải từ 1 trở lên', '--batch-size must be at least 1'),
  BATCH_MAX: both(
    `--batch-size tối đa là ${maxItemsPerBody} (giới hạn của API)`,
    `--batch-size must be at most ${maxItemsPerBody} (the API's limit)`,
  ),
  CREDENTIAL_UNSET: both(
    'chưa đặt RESULTGATE_CREDENTIAL: hãy export mã truy cập của cơ sở xét nghiệm trước',
    'RESULTGATE_CREDENTIAL is not set: export the lab credential first',
  ),
  CREDENTIAL_EMPTY: both(
    'RESULTGATE_CREDENTIAL trống: hãy export mã truy cập của cơ sở xét nghiệm trước',
    'RESULTGATE_CREDENTIAL is empty: export the lab credential first',
  ),
  URL: both(
    'RESULTGATE_URL phải là địa chỉ http(s), ví dụ http://localhost:3000',
    'RESULTGATE_URL must be an http(s) URL such as http://localhost:3000',
  ),
} satisfies Record<string, Localized>;
type UsageKey = keyof typeof usageTexts;
const isUsageKey = (key: string): key is UsageKey => key in usageTexts;

const settingsSchema = z.object({
  file: z.string({ error: 'FILE' }).min(1, 'FILE'),
  batchSize: z.coerce
    .number({ error: 'BATCH_WHOLE' })
    .int('BATCH_WHOLE')
    .min(1, 'BATCH_MIN')
    .max(maxItemsPerBody, 'BATCH_MAX')
    .default(maxItemsPerBody),
  credential: z.string({ error: 'CREDENTIAL_UNSET' }).trim().min(1, 'CREDENTIAL_EMPTY'),
  url: z.url({ protocol: /^https?$/, error: 'URL' }).default('http://localhost:3000'),
});

const joinTexts = (texts: readonly Localized[]): Localized =>
  both(texts.map((t) => t.vi).join('; '), texts.map((t) => t.en).join('; '));

/**
 * The language asked for, read before anything else so that even a usage error is printed in it;
 * Vietnamese when `--lang` is absent or not one of vi, en.
 */
export const langOf = (argv: readonly string[]): Lang => {
  const index = argv.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  const arg = argv[index];
  const value = arg?.startsWith('--lang=') ? arg.slice('--lang='.length) : argv[index + 1];
  return index >= 0 && isLang(value) ? value : 'vi';
};

/** Parses the arguments and the environment once; throws {@link UsageError} with a readable text. */
export const parseCommandLine = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CommandLine => {
  let values: { file?: string; 'batch-size'?: string; json?: boolean; help?: boolean; lang?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string' },
        'batch-size': { type: 'string' },
        json: { type: 'boolean' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // Node's own text names the flag; it is English only, so it is framed in both languages.
    const said = error instanceof Error ? error.message : String(error);
    throw new UsageError(both(`${said} (xem --help)`, `${said} (see --help)`));
  }
  const json = values.json === true;
  if (values.lang !== undefined && !isLang(values.lang)) {
    throw new UsageError(both('--lang phải là vi hoặc en', '--lang must be vi or en'));
  }
  const lang: Lang = isLang(values.lang) ? values.lang : 'vi';
  if (values.help === true) return { kind: 'help', json, lang };

  const parsed = settingsSchema.safeParse({
    file: values.file,
    batchSize: values['batch-size'],
    credential: env.RESULTGATE_CREDENTIAL,
    url: env.RESULTGATE_URL === '' ? undefined : env.RESULTGATE_URL,
  });
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((issue) => issue.message))];
    throw new UsageError(joinTexts(keys.map((key) => (isUsageKey(key) ? usageTexts[key] : both(key, key)))));
  }
  return { kind: 'run', json, lang, ...parsed.data };
};
