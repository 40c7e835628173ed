import { systemClock } from '../../contract/clock.js';
import { metricNames, watchedLogMessages } from '../../contract/metrics.js';
import { DEFAULT_MODE, NATIONAL, ruleFor } from '../../contract/rules.js';
import { makeHolderResults } from '../adapters/holder-results.js';
import { makePassRequestCounter } from '../adapters/pass-requests.js';
import { pepperLoader } from '../adapters/pepper.js';
import { ruleSetsFromConfig } from '../adapters/rule-sets-reader.js';
import { signerFromConfig } from '../adapters/signer.js';
import { dynamoDb } from '../clients/dynamodb-client.js';
import { kms } from '../clients/kms.js';
import { secrets } from '../clients/secrets.js';
import { loadConfig } from '../config.js';
import { makeIssuePass } from '../domain/issue-pass.js';
import { ValidationFailedError } from '../errors.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf, readJsonBody } from '../http/request.js';
import { logger, MetricUnit, metrics } from '../observability.js';
import { issuesToDetails } from '../schemas/common.js';
import { passRequestSchema } from '../schemas/passes.js';

const config = loadConfig([
  'RESULTS_TABLE',
  'REGISTRY_TABLE',
  'PEPPER',
  'PEPPER_SECRET_ID',
  'PEPPER_VERSION',
  'SIGNING_KEY_ID',
  'SIGNING_KEY_FILE',
  'VALIDITY_RT_PCR_HOURS',
  'VALIDITY_RAPID_ANTIGEN_HOURS',
  'PASS_LIFETIME_DAYS',
]);
const identitySchema = passRequestSchema(systemClock);
const pepper = pepperLoader(config, () => secrets);
const signer = signerFromConfig(config, () => kms);
// Cold start: read the pepper and the signing key's public half in parallel during initialisation; a
// failure is not kept, the first request tries again.
void pepper().catch(() => undefined);
void signer().catch(() => undefined);
const ruleCache = ruleSetsFromConfig(dynamoDb, config, (error) =>
  logger.warn('rule sets not refreshed; the copy in hand is kept', { error }),
);
const issuePass = makeIssuePass({
  pepper,
  holders: makeHolderResults(dynamoDb, config.RESULTS_TABLE),
  requests: makePassRequestCounter(dynamoDb, config.RESULTS_TABLE),
  signer,
  clock: systemClock,
  rule: async (at) => ruleFor(await ruleCache.current(), NATIONAL, DEFAULT_MODE, at) ?? ruleCache.fallback,
  lifetimeSeconds: config.PASS_LIFETIME_DAYS * 86_400,
});

/** POST /v1/passes: a signed QR pass for a citizen-app user → 201 {qr, expiresAt, svg}. */
export const handler = apiHandler(
  async (event) => {
    const caller = callerOf(event, 'app');
    const identity = identitySchema.safeParse(readJsonBody(event));
    if (!identity.success) {
      throw new ValidationFailedError(
        'The holder is not named correctly.',
        issuesToDetails(identity.error.issues),
      );
    }
    // Past a holder's daily limit: counted and logged with the app, never the holder (README, PassGuessing).
    const pass = await issuePass(
      identity.data,
      (requestsToday) => {
        metrics.addMetric(metricNames.PassRequestsOverLimit, MetricUnit.Count, 1);
        logger.warn('pass requests over the daily limit for one holder: no snapshot', {
          appId: caller.principalId,
          requestsToday,
        });
      },
      // Counted per app by a Contributor Insights rule (PassBirthDateGuessing): the app, never the holder.
      () => logger.info(watchedLogMessages.PassBirthDateNotMatching, { appId: caller.principalId }),
    );
    metrics.addMetric(metricNames.PassesIssued, MetricUnit.Count, 1);
    logger.info('pass issued', { appId: caller.principalId });
    ruleCache.afterAnswer();
    return { status: 201, body: pass };
  },
  { metrics: true },
);
