import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { systemClock } from '../../contract/clock.js';
import { type MetricName, metricNames } from '../../contract/metrics.js';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { makeResultsTable } from '../adapters/results-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { type StoreOutcome, storedSpans, storeResult } from '../domain/store.js';
import { lambdaHandler } from '../lambda-handler.js';
import { logger, MetricUnit, metrics } from '../observability.js';
import { queuedResultSchema } from '../schemas/queued-result.js';

const config = loadConfig(['RESULTS_TABLE', 'REGISTRY_TABLE', 'RETENTION_DAYS']);
const samples = makeResultsTable(dynamo, config.RESULTS_TABLE);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);

/** A message that can never be stored; it fails every receive and reaches the DLQ after the fifth. */
class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

const parseBody = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const METRIC: Record<StoreOutcome, MetricName> = {
  STORED: metricNames.ResultsStored,
  CORRECTED: metricNames.ResultsCorrected,
  DUPLICATE: metricNames.ResultsDuplicate,
  STALE: metricNames.ResultsStale,
  EXPIRED: metricNames.ResultsExpired,
};

/**
 * The results queue's consumer. Each record is stored on its own; a record that fails is reported in
 * batchItemFailures and comes back (after 5 receives it goes to the DLQ) without holding up the others.
 */
export const handler = lambdaHandler<SQSEvent, SQSBatchResponse>({ metrics: true }).handler(
  async (event, context) => {
    const stored = storedSpans();

    const storeRecord = async (record: SQSRecord): Promise<void> => {
      const message = queuedResultSchema.safeParse(parseBody(record.body));
      if (!message.success) {
        // The count of issues only: an issue's message could quote a value.
        logger.error('malformed queue message', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          issues: message.error.issues.length,
        });
        throw new MalformedMessageError(record.messageId);
      }
      const { labId, sampleId } = message.data;
      const { outcome, record: settled } = await storeResult(message.data, {
        samples,
        clock: systemClock,
        retentionDays: config.RETENTION_DAYS,
      });
      metrics.addMetric(METRIC[outcome], MetricUnit.Count, 1);
      logger.info('result processed', { labId, sampleId, outcome });
      if (settled !== undefined) stored.add(labId, settled.storedAt);
    };

    // One processor per invocation: it holds the batch's state, so concurrent invocations must not share it.
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, storeRecord, processor, { context });

    // One freshness write per lab per batch; it is conditional, so an older time never overwrites a newer one.
    await Promise.all(
      stored.byLab().map(([labId, span]) =>
        registry.recordStored(labId, span).catch((error: unknown) => {
          // The results are stored; only the facility list's timestamps lag until the lab's next batch.
          logger.warn('lab freshness not updated', {
            labId,
            error: error instanceof Error ? error.name : 'unknown',
          });
        }),
      ),
    );
    if (response.batchItemFailures.length > 0) {
      logger.warn('records failed', {
        failed: response.batchItemFailures.length,
        total: event.Records.length,
      });
    }
    return response;
  },
);
