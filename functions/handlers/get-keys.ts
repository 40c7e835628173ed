import { buildJwks, publicKeysFromConfig } from '../adapters/public-keys.js';
import { loadConfig } from '../config.js';
import { apiHandler } from '../http/api-handler.js';

// The JWKS comes from deployment configuration, checked (and normalised) once at cold start.
const jwks = buildJwks(publicKeysFromConfig(loadConfig(['SIGNING_PUBLIC_KEYS'])));

/** GET /v1/keys: the current and previous pass-signing public keys, for offline checks. Cacheable. */
export const handler = apiHandler(async () => ({
  status: 200,
  body: jwks,
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
