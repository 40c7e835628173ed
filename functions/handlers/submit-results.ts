import { systemClock } from '../../contract/clock.js';
import { metricNames } from '../../contract/metrics.js';
import { pepperLoader } from '../adapters/pepper.js';
import { makeResultQueue } from '../adapters/results-queue.js';
import { secrets } from '../clients/secrets.js';
import { sqs } from '../clients/sqs.js';
import { loadConfig } from '../config.js';
import { makeSubmitResults, noneAcceptedError } from '../domain/ingest.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf, readJsonBody } from '../http/request.js';
import { logger, MetricUnit, metrics } from '../observability.js';

const config = loadConfig([
  'RESULTS_QUEUE_URL',
  'RETENTION_DAYS',
  'PEPPER',
  'PEPPER_SECRET_ID',
  'PEPPER_VERSION',
]);
const submitResults = makeSubmitResults({
  rules: { clock: systemClock, retentionDays: config.RETENTION_DAYS },
  pepper: pepperLoader(config, () => secrets),
  queue: makeResultQueue(sqs, config.RESULTS_QUEUE_URL),
});

/**
 * POST /v1/results: a lab's batch → 202 with a status per item, or 400 when none is accepted; 413 over
 * 1 MiB and MALFORMED_JSON for a body that is not JSON (both from readJsonBody). The lab is the
 * credential's lab. Field rules and the decisions the contract leaves open are in functions/schemas/ and
 * functions/domain/ingest.ts, and published in the OpenAPI document.
 */
export const handler = apiHandler(
  async (event) => {
    const caller = callerOf(event, 'lab');
    // Counted before the body is read, so refused bodies (413, MALFORMED_JSON) show up in the metrics too.
    metrics.addMetric(metricNames.BatchesReceived, MetricUnit.Count, 1);
    const outcome = await submitResults(readJsonBody(event), {
      id: caller.principalId,
      name: caller.name,
      testTypes: caller.testTypes,
    });
    metrics.addMetric(metricNames.ResultsAccepted, MetricUnit.Count, outcome.accepted);
    metrics.addMetric(metricNames.ResultsRejected, MetricUnit.Count, outcome.rejected);
    logger.info('batch received', {
      labId: caller.principalId,
      accepted: outcome.accepted,
      rejected: outcome.rejected,
    });
    if (outcome.accepted === 0) throw noneAcceptedError(outcome);
    return { status: 202, body: outcome };
  },
  { metrics: true },
);
