import { systemClock } from '../../contract/clock.js';
import { RULES_DOCUMENT_MAX_AGE_SECONDS } from '../../contract/rules-document.js';
import { makeRevocationsTable } from '../adapters/revocations-table.js';
import { makeRuleSetsTable } from '../adapters/rule-sets-table.js';
import { rulesSignerFromConfig } from '../adapters/signer.js';
import { dynamo } from '../clients/dynamodb.js';
import { kms } from '../clients/kms.js';
import { loadConfig } from '../config.js';
import { publishedWindows } from '../domain/revocations.js';
import { makeRulesDocument } from '../domain/rules-document.js';
import { apiHandler } from '../http/api-handler.js';
import { logger } from '../observability.js';

const config = loadConfig([
  'REGISTRY_TABLE',
  'RULES_SIGNING_KEY_ID',
  'RULES_SIGNING_KEY_FILE',
  'RETENTION_DAYS',
]);
const revocations = makeRevocationsTable(dynamo, config.REGISTRY_TABLE);
const signer = rulesSignerFromConfig(config, () => kms);
void signer().catch(() => undefined);
// Kept for the life of the instance: a burst of phones costs one Query and one Sign per minute at most.
const rulesDocument = makeRulesDocument({
  ruleSets: makeRuleSetsTable(dynamo, config.REGISTRY_TABLE),
  signer,
  clock: systemClock,
  revokedWindows: async (now) => publishedWindows(await revocations.list(), now, config.RETENTION_DAYS),
  onStale: (error) => logger.warn('rules document not refreshed; the last one signed is served', { error }),
});

/** GET /v1/rules: every rule set in force or scheduled, signed (`{jws}`), for offline checkpoints. */
export const handler = apiHandler(async () => {
  const { jws, claims } = await rulesDocument();
  const now = systemClock.now();
  // Cacheable for what is left of the document's life, not a fresh minute each time: a cache in between
  // then holds a version out at most a minute after it was published. A stale document (the key service
  // failing) is not cached at all.
  const left = Math.min(RULES_DOCUMENT_MAX_AGE_SECONDS, claims.exp - Math.floor(now.getTime() / 1000));
  return {
    status: 200,
    // When the server answered: the page checks its own clock against it (not signed, and not needed to be).
    body: { jws, servedAt: now.toISOString() },
    headers: { 'Cache-Control': left > 0 ? `public, max-age=${left}` : 'no-cache' },
  };
});
