import { buildJwks, publicKeysFromConfig } from '../adapters/signer.js';
import { kms } from '../clients/kms.js';
import { loadConfig } from '../config.js';
import { apiHandler } from '../http/api-handler.js';

const config = loadConfig([
  'SIGNING_KEY_ID',
  'SIGNING_KEY_FILE',
  'PREVIOUS_SIGNING_KEY_ID',
  'PREVIOUS_SIGNING_KEY_FILE',
]);
const publicKeys = publicKeysFromConfig(config, () => kms);

/** GET /v1/keys: the current and previous pass-signing public keys, for offline checks. Cacheable. */
export const handler = apiHandler(async () => ({
  status: 200,
  body: buildJwks(await publicKeys()),
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
