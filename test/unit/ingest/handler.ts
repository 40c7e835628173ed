import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod';
import { type QueuedResult, queuedResultSchema } from '../../../functions/schemas/queued-result.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

const TEST_ENV = {
  STAGE: 'local',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  RESULTS_QUEUE_URL: 'http://127.0.0.1:1/000000000000/resultgate-results',
  PEPPER: 'cd'.repeat(32),
  RETENTION_DAYS: '30',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

export const LAB = { principalId: 'lab_fuzz', role: 'lab', name: 'CDC Quảng Ninh' } as const;

/**
 * The real POST /v1/results handler module, in-process, with every SQS client of the process replaced by
 * an in-memory queue: SendMessageBatch succeeds and the message bodies are kept, parsed, for checking.
 */
export const loadSubmitHandler = async () => {
  Object.assign(process.env, TEST_ENV);
  const queued: unknown[] = [];
  const sqs = mockClient(SQSClient);
  sqs
    .on(SendMessageBatchCommand)
    .callsFake((input: { Entries?: { Id?: string; MessageBody?: string }[] }) => {
      const entries = input.Entries ?? [];
      for (const entry of entries) queued.push(JSON.parse(entry.MessageBody ?? 'null'));
      return {
        Successful: entries.map((entry) => ({
          Id: entry.Id,
          MessageId: `m-${entry.Id}`,
          MD5OfMessageBody: '-',
        })),
        Failed: [],
      };
    });
  const { handler } = await import('../../../functions/handlers/submit-results.js');

  /** POSTs a raw body (string) or a JSON value as the lab `LAB`. */
  const post = async (body: string | unknown): Promise<APIGatewayProxyResult> => {
    const event = apiEvent({
      method: 'POST',
      path: '/v1/results',
      caller: LAB,
      ...(typeof body === 'string' ? { rawBody: body } : { body }),
    });
    return handler(event, lambdaContext());
  };

  /** Every queued message, each checked against the queue message schema (throws when one is not). */
  const messages = (): QueuedResult[] => z.array(queuedResultSchema).parse(queued);

  return { post, messages, queuedCount: () => queued.length, restore: () => sqs.restore() };
};

export type SubmitHandler = Awaited<ReturnType<typeof loadSubmitHandler>>;

/** The response body as JSON (every answer of the API is JSON). */
export const bodyOf = (response: APIGatewayProxyResult): unknown => JSON.parse(response.body);
