import * as z from 'zod/mini';
import './schemas/zod-messages.js';

/**
 * All configuration comes from the environment, parsed once at cold start against the schemas below.
 * Nothing else in the code reads `process.env`. Each handler picks the part it needs, so a
 * function that lacks a setting fails fast at start with a message naming the setting. Each setting's
 * schema is made only when a function asks for it: a cold start builds the few it reads, not all.
 */
const positiveInt = () => z.coerce.number().check(z.int(), z.positive());
const nonEmpty = () => z.string().check(z.minLength(1));
const optionalNonEmpty = () => z.optional(nonEmpty());

const settings = {
  STAGE: () => z._default(z.enum(['local', 'dev', 'prod']), 'local'),
  RESULTS_TABLE: nonEmpty,
  REGISTRY_TABLE: nonEmpty,
  RESULTS_QUEUE_URL: nonEmpty,
  /** Cloud: the Secrets Manager secret holding the pepper. Local: the pepper itself (hex) in PEPPER. */
  PEPPER_SECRET_ID: optionalNonEmpty,
  PEPPER: () => z.optional(
    z.string().check(z.regex(/^[0-9a-f]{64,}$/, 'PEPPER must be at least 32 bytes of lowercase hex')),
  ),
  /** Stored with every item, so the pepper can be rotated: items keyed under an older version stay readable. */
  PEPPER_VERSION: () => z._default(positiveInt(), 1),
  /** Cloud: the KMS key that signs passes. Local: a PKCS#8 PEM file of a P-256 private key. */
  SIGNING_KEY_ID: optionalNonEmpty,
  SIGNING_KEY_FILE: optionalNonEmpty,
  /**
   * The public keys passes may be signed with, as the JWKS JSON that GET /v1/keys publishes: the current
   * key first, then the previous one during a rotation. Set at deployment (cloud: from KMS by a custom
   * resource) or at start (local: from the key files), so checking a pass needs no key service.
   */
  SIGNING_PUBLIC_KEYS: optionalNonEmpty,
  RETENTION_DAYS: () => z._default(positiveInt(), 30),
  VALIDITY_RT_PCR_HOURS: () => z._default(positiveInt(), 72),
  VALIDITY_RAPID_ANTIGEN_HOURS: () => z._default(positiveInt(), 48),
  PASS_LIFETIME_DAYS: () => z._default(positiveInt(), 7),
  /**
   * Origins (comma-separated) of the checkpoint web app that may call the API from a browser; the API
   * answers them with Access-Control-Allow-Origin. Unset locally, where the page is served same-origin.
   */
  CORS_ALLOWED_ORIGINS: () => z.optional(z.string()),
  /** An active lab that has sent nothing for this long is reported stale. */
  STALE_LAB_HOURS: () => z._default(positiveInt(), 24),
  /**
   * API Gateway usage-plan identifiers, one per role, handed back by the authorizer so that each role's
   * usage plan throttles it. They identify a plan; they are not credentials (the bearer credential is).
   */
  USAGE_KEY_LAB: () => z.optional(z.string().check(z.minLength(20))),
  USAGE_KEY_CHECKPOINT: () => z.optional(z.string().check(z.minLength(20))),
  USAGE_KEY_APP: () => z.optional(z.string().check(z.minLength(20))),
};

type Key = keyof typeof settings;
export type Config = { [K in Key]: z.output<ReturnType<(typeof settings)[K]>> };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the keys a function needs from `env` (defaults to the process environment). */
export const loadConfig = <K extends Key>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Pick<Config, K> => {
  const parsed = z.object(Object.fromEntries(keys.map((key) => [key, settings[key]()]))).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  // zod cannot type an object built from a generic key list; it is exactly the picked keys of Config.
  return parsed.data as unknown as Pick<Config, K>;
};
