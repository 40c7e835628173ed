import * as z from 'zod';
import { startLocalStack } from '../local/stack.js';

/** `npm start`: the whole system on this machine. Settings: PORT, RESULTGATE_DATA_DIR, RESULTGATE_LOG_LEVEL, RESULTGATE_RATE_LIMITS. */
const settings = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    RESULTGATE_DATA_DIR: z.string().min(1).default('.resultgate'),
    RESULTGATE_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
    RESULTGATE_VISIBILITY_TIMEOUT: z.coerce.number().int().min(0).max(43_200).default(30),
    // Per-credential rate limits at the local gateway; off only for load tests and benches.
    RESULTGATE_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  })
  .parse(process.env);

const stack = await startLocalStack({
  port: settings.PORT,
  host: settings.HOST,
  dataDir: settings.RESULTGATE_DATA_DIR,
  logLevel: settings.RESULTGATE_LOG_LEVEL,
  visibilityTimeoutSeconds: settings.RESULTGATE_VISIBILITY_TIMEOUT,
  rateLimits: settings.RESULTGATE_RATE_LIMITS,
  log: (line) => console.log(line),
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
