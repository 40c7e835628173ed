import { buildPublishedKeys, parseSigningPublicKeys, publicKeysFromConfig } from '../adapters/public-keys.js';
import { loadConfig } from '../config.js';
import { apiHandler } from '../http/api-handler.js';

// The JWKS comes from deployment configuration, checked (and normalised) once at cold start. Without
// RULES_PUBLIC_KEYS (a deployment from before rules documents) only the pass keys are published.
const config = loadConfig(['SIGNING_PUBLIC_KEYS', 'RULES_PUBLIC_KEYS']);
const jwks = buildPublishedKeys(
  publicKeysFromConfig(config),
  config.RULES_PUBLIC_KEYS === undefined
    ? []
    : parseSigningPublicKeys(config.RULES_PUBLIC_KEYS, 'RULES_PUBLIC_KEYS'),
);

/**
 * GET /v1/keys: the current and previous pass-signing public keys, for offline checks, and the key that
 * signs the rules document (marked `"signs": "rules"`). Cacheable.
 */
export const handler = apiHandler(async () => ({
  status: 200,
  body: jwks,
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
