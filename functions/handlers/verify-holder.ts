import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { pepperLoader } from '../adapters/pepper.js';
import { makeResultsTable } from '../adapters/results-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { secrets } from '../clients/secrets.js';
import { loadConfig } from '../config.js';
import { hours } from '../domain/verdict.js';
import { makeVerifyByIdentity } from '../domain/verify.js';
import { ValidationFailedError } from '../errors.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf, readJsonBody } from '../http/request.js';
import { metrics } from '../observability.js';
import { issuesToDetails, systemClock } from '../schemas/common.js';
import { parseVerifyRequest } from '../schemas/verify.js';

const config = loadConfig([
  'RESULTS_TABLE',
  'PEPPER',
  'PEPPER_SECRET_ID',
  'PEPPER_VERSION',
  'VALIDITY_RT_PCR_HOURS',
  'VALIDITY_RAPID_ANTIGEN_HOURS',
]);
const parse = parseVerifyRequest(systemClock);
const verifyByIdentity = makeVerifyByIdentity({
  pepper: pepperLoader(config, () => secrets),
  holders: makeResultsTable(dynamo, config.RESULTS_TABLE),
  clock: systemClock,
  windows: {
    RT_PCR: hours(config.VALIDITY_RT_PCR_HOURS),
    RAPID_ANTIGEN: hours(config.VALIDITY_RAPID_ANTIGEN_HOURS),
  },
});

/** POST /v1/verify: a checkpoint device asks whether a holder has a valid negative test now. */
export const handler = apiHandler(
  async (event) => {
    callerOf(event, 'checkpoint');
    const request = parse(readJsonBody(event));
    if (!request.parsed.success) {
      throw new ValidationFailedError(
        'The request is not a QR or a manual entry.',
        issuesToDetails(request.parsed.error.issues),
      );
    }
    const answer =
      request.kind === 'manual'
        ? await verifyByIdentity(request.parsed.data)
        : // Passes are checked once pass signing is deployed; until then every scanned pass is refused.
          {
            verdict: 'NOT_VALID' as const,
            checkedAt: systemClock.now().toISOString(),
            reason: 'PASS_INVALID' as const,
          };
    metrics.addMetric(answer.verdict === 'VALID' ? 'VerifiedValid' : 'VerifiedNotValid', MetricUnit.Count, 1);
    return { status: 200, body: answer };
  },
  { metrics: true },
);
