import { systemClock } from '../../contract/clock.js';
import { metricNames, watchedLogMessages } from '../../contract/metrics.js';
import { isModeKnown } from '../../contract/rules.js';
import { makeHolderResults } from '../adapters/holder-results.js';
import { pepperLoader } from '../adapters/pepper.js';
import { publicKeysFromConfig } from '../adapters/public-keys.js';
import { ruleSetsFromConfig } from '../adapters/rule-sets-reader.js';
import { dynamoDb } from '../clients/dynamodb-client.js';
import { secrets } from '../clients/secrets.js';
import { loadConfig } from '../config.js';
import { createKeyRing } from '../domain/pass-keys.js';
import { makeVerifyByIdentity, makeVerifyByPass } from '../domain/verify-holder.js';
import { ValidationFailedError } from '../errors.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf, readJsonBody } from '../http/request.js';
import { logger, MetricUnit, metrics } from '../observability.js';
import { readVerifyRequest } from '../schemas/verify-body-reader.js';
import type { VerifyResponse } from '../schemas/verify-response.js';

const config = loadConfig([
  'RESULTS_TABLE',
  'REGISTRY_TABLE',
  'PEPPER',
  'PEPPER_SECRET_ID',
  'PEPPER_VERSION',
  'VALIDITY_RT_PCR_HOURS',
  'VALIDITY_RAPID_ANTIGEN_HOURS',
  'SIGNING_PUBLIC_KEYS',
]);
const read = readVerifyRequest(systemClock);
const holders = makeHolderResults(dynamoDb, config.RESULTS_TABLE);
const ruleCache = ruleSetsFromConfig(dynamoDb, config, (error) =>
  logger.warn('rule sets not refreshed; the copy in hand is kept', { error }),
);
// The public keys are deployment configuration (SIGNING_PUBLIC_KEYS, a JWKS): read here at cold start,
// with no call to a key service; a function without them does not start.
const keyRing = createKeyRing(publicKeysFromConfig(config));
const pepper = pepperLoader(config, () => secrets);
// Cold start: fetch the pepper (Secrets Manager) while the rest of the function initialises, instead of
// inside the first request. A failure is not kept: the request that needs it tries again and answers 500
// only if that fails too.
void pepper().catch(() => undefined);
const verifyByIdentity = makeVerifyByIdentity({ pepper, holders, clock: systemClock });
const verifyByPass = makeVerifyByPass({ keyRing, holders, clock: systemClock });

/** POST /v1/verify: a checkpoint device asks whether a holder has a valid negative test now. */
export const handler = apiHandler(
  async (event) => {
    const caller = callerOf(event, 'checkpoint');
    const request = read(readJsonBody(event));
    if (request.kind === 'invalid') {
      throw new ValidationFailedError('The request is not a QR or a manual entry.', request.details);
    }
    // Not awaited here: at a cold start the rules are read while the holder's results are (one round
    // trip's wait, not two). Marked handled, as a failed holder read may end the request first.
    const rules = ruleCache.current();
    rules.catch(() => undefined);
    // A mode no rule of the device's jurisdiction or of the country names is a mistake, not a fallback.
    if (request.mode !== undefined && !isModeKnown(await rules, caller.jurisdiction, request.mode)) {
      throw new ValidationFailedError(`No rule set has mode ${request.mode} for ${caller.jurisdiction}.`, [
        { path: 'mode', message: `is not a mode of ${caller.jurisdiction} (see the rule sets in force)` },
      ]);
    }
    const scope = { rules, jurisdiction: caller.jurisdiction, mode: request.mode ?? caller.mode };
    let answer: VerifyResponse;
    if (request.kind === 'manual') {
      answer = await verifyByIdentity(request.identity, scope);
    } else {
      const outcome = await verifyByPass(request.qr, scope);
      if (outcome.refused) {
        metrics.addMetric(metricNames.PassRefused, MetricUnit.Count, 1);
        logger.info('pass refused', { reason: outcome.refused });
      }
      answer = outcome.answer;
    }
    metrics.addMetric(
      answer.verdict === 'VALID' ? metricNames.VerifiedValid : metricNames.VerifiedNotValid,
      MetricUnit.Count,
      1,
    );
    // One line per NOT_VALID answer, with the device and never the holder: a Contributor Insights rule
    // counts them per device, so a device guessing birth dates or IDs is seen (CheckpointGuessing alarm).
    if (answer.verdict === 'NOT_VALID')
      logger.info(watchedLogMessages.NotValidAnswered, {
        deviceId: caller.principalId,
        reason: answer.reason,
      });
    ruleCache.afterAnswer();
    return { status: 200, body: answer };
  },
  { metrics: true },
);
