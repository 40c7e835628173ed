/**
 * The functions' configuration, read from the environment once at cold start; nothing else in functions/
 * reads `process.env` (a test keeps it so; the AWS SDK and Powertools read their own variables). Each
 * handler names the settings it needs, so a missing one fails the start with its name. Plain readers, not
 * a schema library: the environment is flat strings, and this costs no cold start.
 */

/** What is wrong with one setting; the message names the rule, never the value. */
class Problem {
  constructor(readonly message: string) {}
}

/** Reads one variable: its value, or a Problem. */
type Setting<T> = (raw: string | undefined) => T | Problem;

const required: Setting<string> = (raw) =>
  raw === undefined ? new Problem('is required') : raw === '' ? new Problem('must not be empty') : raw;

/** Absent is fine; present must not be empty (an empty variable is a mistake, not an absence). */
const optional =
  (check: (value: string) => Problem | undefined = () => undefined): Setting<string | undefined> =>
  (raw) => {
    if (raw === undefined) return undefined;
    if (raw === '') return new Problem('must not be empty');
    return check(raw) ?? raw;
  };

const positiveInt =
  (fallback: number): Setting<number> =>
  (raw) => {
    if (raw === undefined) return fallback;
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isInteger(value) && value > 0 ? value : new Problem('must be a positive whole number');
  };

const oneOf =
  <const T extends readonly string[]>(values: T, fallback: T[number]): Setting<T[number]> =>
  (raw) => {
    if (raw === undefined) return fallback;
    return values.includes(raw) ? raw : new Problem(`must be one of ${values.join(', ')}`);
  };

/** The levels Powertools knows, read as the logger's (observability.ts): TRACE is DEBUG, CRITICAL is ERROR. */
const logLevelNames: Readonly<Partial<Record<string, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT'>>> = {
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  CRITICAL: 'ERROR',
  SILENT: 'SILENT',
};

const settings = {
  STAGE: oneOf(['local', 'dev', 'prod'], 'local'),
  RESULTS_TABLE: required,
  REGISTRY_TABLE: required,
  RESULTS_QUEUE_URL: required,
  /** Cloud: the Secrets Manager secret holding the pepper. Local: the pepper itself (hex) in PEPPER. */
  PEPPER_SECRET_ID: optional(),
  PEPPER: optional((value) =>
    /^[0-9a-f]{64,}$/.test(value) ? undefined : new Problem('must be at least 32 bytes of lowercase hex'),
  ),
  /** Stored with every item, so the pepper can be rotated: items keyed under an older version stay readable. */
  PEPPER_VERSION: positiveInt(1),
  /** Cloud: the KMS key that signs passes. Local: a PKCS#8 PEM file of a P-256 private key. */
  SIGNING_KEY_ID: optional(),
  SIGNING_KEY_FILE: optional(),
  /**
   * The public keys passes may be signed with, as the JWKS JSON that GET /v1/keys publishes: the current
   * key first, then the previous one during a rotation. Set at deployment (cloud: from KMS by a custom
   * resource) or at start (local: from the key files), so checking a pass needs no key service.
   */
  SIGNING_PUBLIC_KEYS: optional(),
  /**
   * The key that signs the rules document of GET /v1/rules (never passes): a KMS key id in the cloud, a
   * PKCS#8 PEM file locally. RULES_PUBLIC_KEYS is its JWKS, which GET /v1/keys publishes with the pass keys,
   * each rules key marked `"signs": "rules"`.
   */
  RULES_SIGNING_KEY_ID: optional(),
  RULES_SIGNING_KEY_FILE: optional(),
  RULES_PUBLIC_KEYS: optional(),
  RETENTION_DAYS: positiveInt(30),
  VALIDITY_RT_PCR_HOURS: positiveInt(72),
  VALIDITY_RAPID_ANTIGEN_HOURS: positiveInt(48),
  PASS_LIFETIME_DAYS: positiveInt(7),
  /**
   * Origins (comma-separated) of the checkpoint web app that may call the API from a browser; the API
   * answers them with Access-Control-Allow-Origin. Unset locally, where the page is served same-origin.
   */
  CORS_ALLOWED_ORIGINS: optional(),
  /** An active lab that has sent nothing for this long is reported stale. */
  STALE_LAB_HOURS: positiveInt(24),
  /**
   * The observability module's two switches (observability.ts), under the names Powertools gives them,
   * which operators know: the least level logged (any case; INFO unless set), and `true` to write no
   * metrics (the local stack, where nothing reads them).
   */
  POWERTOOLS_LOG_LEVEL: (raw) =>
    logLevelNames[(raw ?? 'INFO').toUpperCase()] ??
    new Problem(`must be one of ${Object.keys(logLevelNames).join(', ')} (any case)`),
  POWERTOOLS_METRICS_DISABLED: (raw) => {
    const value = (raw ?? 'false').toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    return new Problem('must be true or false (or 1, 0, yes, no, on, off)');
  },
} satisfies Record<string, Setting<unknown>>;

type Key = keyof typeof settings;
export type Config = { [K in Key]: Exclude<ReturnType<(typeof settings)[K]>, Problem> };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the settings a function needs from `env` (defaults to the process environment). */
export const loadConfig = <K extends Key>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Pick<Config, K> => {
  const config: Partial<Record<K, unknown>> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const value = settings[key](env[key]);
    if (value instanceof Problem) problems.push(`${key} ${value.message}`);
    else config[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  // Each key was read by its own setting above, so the object holds exactly Pick<Config, K>.
  return config as Pick<Config, K>;
};

/**
 * The X-Ray trace id (`Root`) of the invocation being served, or undefined when it is not traced. The one
 * setting read at each call rather than at cold start: Lambda sets `_X_AMZN_TRACE_ID` anew for every
 * invocation. The logger writes it in each line (`xray_trace_id`).
 */
export const xrayTraceId = (env: Record<string, string | undefined> = process.env): string | undefined =>
  /(?:^|;)Root=([^;]+)/.exec(env._X_AMZN_TRACE_ID ?? '')?.[1];
