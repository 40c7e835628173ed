import * as z from 'zod';
import { startLocalStack } from '../local/stack.js';
import { StartupError } from '../local/startup-errors.js';

/**
 * `npm start`: the whole system on this machine. Settings: PORT, HOST, RESULTGATE_DATA_DIR,
 * RESULTGATE_LOG_LEVEL, RESULTGATE_VISIBILITY_TIMEOUT, RESULTGATE_RATE_LIMITS. A mistake in them, a second start on the same
 * data dir or a busy port ends with one `error:` line (as the admin CLI words its errors) and exit 1.
 */
const expected = {
  PORT: { vi: 'một số cổng từ 0 đến 65535', en: 'a port number from 0 to 65535' },
  HOST: { vi: 'một địa chỉ như 127.0.0.1 hoặc 0.0.0.0', en: 'an address such as 127.0.0.1 or 0.0.0.0' },
  RESULTGATE_DATA_DIR: { vi: 'một đường dẫn thư mục', en: 'a folder path' },
  RESULTGATE_LOG_LEVEL: { vi: 'DEBUG, INFO, WARN hoặc ERROR', en: 'DEBUG, INFO, WARN or ERROR' },
  RESULTGATE_VISIBILITY_TIMEOUT: {
    vi: 'một số giây từ 0 đến 43200',
    en: 'a number of seconds from 0 to 43200',
  },
  RESULTGATE_RATE_LIMITS: { vi: 'on hoặc off', en: 'on or off' },
} as const;

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  RESULTGATE_DATA_DIR: z.string().min(1).default('.resultgate'),
  RESULTGATE_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
  RESULTGATE_VISIBILITY_TIMEOUT: z.coerce.number().int().min(0).max(43_200).default(30),
  // Per-credential rate limits at the local gateway; off only for load tests and benches.
  RESULTGATE_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
});

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const parsed = settingsSchema.safeParse(process.env);
if (!parsed.success) {
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    const known = Object.entries(expected).find(([name]) => name === key);
    const setting = `${key}=${JSON.stringify(process.env[key] ?? '')}`;
    return `${setting} không hợp lệ: cần ${known?.[1].vi ?? issue.message}. / ${setting} is not valid: expected ${known?.[1].en ?? issue.message}.`;
  });
  fail([...new Set(lines)].join('\nerror: '));
}
const settings = parsed.data;

const stack = await startLocalStack({
  port: settings.PORT,
  host: settings.HOST,
  dataDir: settings.RESULTGATE_DATA_DIR,
  logLevel: settings.RESULTGATE_LOG_LEVEL,
  visibilityTimeoutSeconds: settings.RESULTGATE_VISIBILITY_TIMEOUT,
  rateLimits: settings.RESULTGATE_RATE_LIMITS,
  log: (line) => console.log(line),
}).catch((error: unknown) => {
  // Anything else is a bug: its stack trace is worth seeing.
  if (error instanceof StartupError) return fail(error.message);
  throw error;
});

console.log(
  `ResultGate is running at ${stack.url} (data in ${settings.RESULTGATE_DATA_DIR}). Ctrl-C stops it.`,
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  await stack.stop();
  console.log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
