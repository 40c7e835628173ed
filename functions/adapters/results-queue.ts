import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResultQueue } from '../domain/ingest.js';
import type { QueuedResult } from '../schemas/queued-result.js';

export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

const SQS_BATCH = 10;
const ATTEMPTS = 3;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/**
 * Sends results with SendMessageBatch, ten at a time and in parallel, retrying the entries SQS reports
 * as failed. Resolves only when every message is queued; otherwise throws, and the lab resends the batch
 * (safe: storing is idempotent on lab and sample).
 */
export const makeResultQueue = (client: SQSClient, queueUrl: string): ResultQueue => ({
  async send(messages: readonly QueuedResult[]) {
    await Promise.all(
      chunks(messages, SQS_BATCH).map(async (chunk) => {
        let pending = chunk.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
        for (let attempt = 1; pending.length > 0; attempt += 1) {
          if (attempt > ATTEMPTS)
            throw new QueueUnavailableError(`${pending.length} result(s) could not be queued.`);
          const out = await client.send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
          );
          const failed = new Set((out.Failed ?? []).map((entry) => entry.Id));
          pending = pending.filter((entry) => failed.has(entry.Id));
        }
      }),
    );
  },
});
