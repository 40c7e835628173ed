import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { makeResultsTable } from '../adapters/results-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { storeResult } from '../domain/store.js';
import { logger, metrics } from '../observability.js';
import { type QueuedResult, queuedResultSchema } from '../schemas/queued-result.js';

const config = loadConfig(['RESULTS_TABLE', 'REGISTRY_TABLE', 'RETENTION_DAYS']);
const samples = makeResultsTable(dynamo, config.RESULTS_TABLE);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);
const processor = new BatchProcessor(EventType.SQS);

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

const METRIC = { STORED: 'ResultsStored', DUPLICATE: 'ResultsDuplicate', STALE: 'ResultsStale' } as const;

/**
 * The results queue's consumer. Each record is stored on its own; a record that fails is reported in
 * batchItemFailures and comes back (after 5 receives it goes to the DLQ) without holding up the others.
 * Lab freshness costs one write per lab per batch, not one per result.
 */
export const handler = async (event: SQSEvent, context: Context) => {
  const latestByLab = new Map<string, string>();

  const storeRecord = async (record: SQSRecord): Promise<void> => {
    const message = queuedResultSchema.safeParse(parseBody(record.body));
    if (!message.success) {
      // Never storable: it will go to the DLQ after its receives. The issues name fields, not values.
      logger.error('malformed queue message', {
        messageId: record.messageId,
        issues: message.error.issues.length,
      });
      throw new MalformedMessageError(record.messageId);
    }
    await store(message.data);
  };

  const store = async (message: QueuedResult): Promise<void> => {
    const outcome = await storeResult(message, {
      samples,
      now: () => new Date(),
      retentionDays: config.RETENTION_DAYS,
    });
    metrics.addMetric(METRIC[outcome], MetricUnit.Count, 1);
    logger.info('result processed', { labId: message.labId, sampleId: message.sampleId, outcome });
    if (outcome === 'STORED') latestByLab.set(message.labId, new Date().toISOString());
  };

  logger.addContext(context);
  const response = await processPartialResponse(event, storeRecord, processor, { context });

  await Promise.all(
    [...latestByLab].map(([labId, at]) =>
      registry.recordStored(labId, at).catch((error: unknown) => {
        // The results are stored; only the facility list's timestamps lag until the next batch.
        logger.warn('lab freshness not updated', { labId, error });
      }),
    ),
  );
  if (response.batchItemFailures.length > 0) {
    logger.warn('records failed', { failed: response.batchItemFailures.length, total: event.Records.length });
  }
  metrics.publishStoredMetrics();
  return response;
};
