import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, systemClock } from '../../contract/clock.js';
import { helpText, langOf, parseCommandLine } from './args.js';
import { defaultRetryPolicy, type RetryPolicy } from './backoff.js';
import { maxBodyBytes, maxItemsPerBody } from './batching.js';
import { assertUtf8, readRows } from './csv.js';
import { deliverBatch } from './deliver.js';
import { CsvFileError, FatalError, UsageError } from './errors.js';
import type { FetchLike } from './http.js';
import { type Lang, text } from './messages.js';
import { submitRows } from './pipeline.js';
import { createProgress, type TextSink } from './progress.js';
import { exitCodeOf, formatHuman, formatJson, ReportBuilder } from './report.js';

export type ExitCode = 0 | 1 | 2;

/** Everything a run needs. Only `file`, `url` and `credential` are required; the rest default to the real world. */
export interface RunSubmitOptions {
  readonly file: string;
  /** Base URL of the API, e.g. `http://localhost:3000`. */
  readonly url: string;
  readonly credential: string;
  /** Results per request, 1 to 500 (default 500). */
  readonly batchSize?: number;
  /** Print the report as one JSON document instead of text. */
  readonly json?: boolean;
  /** The language of everything printed: progress, errors and the report (default vi). */
  readonly lang?: Lang;
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly clock?: Clock;
  /** Receives the report, and nothing else. */
  readonly stdout?: TextSink;
  /** Receives progress, retries and errors; a bar is drawn when `isTTY` is true. */
  readonly stderr?: TextSink;
  readonly retry?: Partial<RetryPolicy>;
  /** Body size limit, 1 MiB by default; lowered by tests only. */
  readonly maxBodyBytes?: number;
}

const fileSize = async (file: string): Promise<number> => {
  const info = await stat(file).catch((error: unknown) => {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw new CsvFileError(text.cannotRead(file, code));
  });
  if (!info.isFile()) throw new CsvFileError(text.notAFile(file));
  return info.size;
};

const asFatal = (error: unknown, lang: Lang): { code: string; message: string } => {
  if (error instanceof FatalError) return { code: error.code, message: error.text[lang] };
  // Not expected; shown without a stack. Our own errors never carry row contents.
  return {
    code: 'UNEXPECTED',
    message: text.unexpected(error instanceof Error ? error.message : String(error))[lang],
  };
};

/**
 * Uploads a lab's CSV export and prints the report. Resolves to the exit code: 0 when every row was
 * accepted, 1 when some row was rejected, 2 when the run stopped (bad file, refused credential, server
 * unreachable after retries). Never rejects.
 */
export const runSubmit = async (options: RunSubmitOptions): Promise<ExitCode> => {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const clock = options.clock ?? systemClock;
  const lang = options.lang ?? 'vi';
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const report = new ReportBuilder(options.file);

  let fatal: { code: string; message: string } | undefined;
  try {
    const totalBytes = await fileSize(options.file);
    await assertUtf8(createReadStream(options.file));
    const progress = createProgress({ sink: stderr, totalBytes, clock, lang });
    try {
      await submitRows(readRows(createReadStream(options.file)), {
        limits: {
          maxItems: Math.max(1, Math.min(options.batchSize ?? maxItemsPerBody, maxItemsPerBody)),
          maxBytes: options.maxBodyBytes ?? maxBodyBytes,
        },
        report,
        onProgress: () => progress.update(report.progress()),
        deliver: (entries, record) =>
          deliverBatch(
            entries,
            {
              url: options.url,
              credential: options.credential,
              fetch: options.fetch ?? globalThis.fetch,
              sleep: options.sleep ?? ((ms) => delay(ms)),
              random: options.random ?? Math.random,
              clock,
              policy,
              onRetry: ({ failures, delayMs, reason }) =>
                progress.note(
                  text.retrying((delayMs / 1000).toFixed(1), failures + 1, policy.maxAttempts, reason)[lang],
                ),
            },
            record,
          ),
      });
    } finally {
      if (report.progress().rows > 0) progress.done(report.progress());
    }
  } catch (error) {
    fatal = asFatal(error, lang);
  }

  const result = report.finish(fatal);
  if (fatal !== undefined) stderr.write(text.error(fatal.message, lang));
  stdout.write(options.json === true ? formatJson(result, lang) : formatHuman(result, lang));
  return exitCodeOf(result);
};

export interface Io {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** The command: parses arguments and environment, then runs. `deps` lets tests replace the outside world. */
export const main = async (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  deps: Pick<RunSubmitOptions, 'fetch' | 'sleep' | 'random' | 'clock' | 'retry'> = {},
): Promise<ExitCode> => {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const lang = langOf(argv);
    const message = error.text[lang];
    io.stderr.write(text.error(message, lang));
    if (argv.includes('--json')) {
      io.stdout.write(formatJson(new ReportBuilder('').finish({ code: error.code, message }), lang));
    }
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(helpText);
    return 0;
  }
  return runSubmit({ ...command, ...deps, stdout: io.stdout, stderr: io.stderr });
};
