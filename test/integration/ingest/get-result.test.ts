import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedResultResponseSchema } from '../../../functions/schemas/results.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, aResult, lambdaContext } from '../../support/fixtures.js';

type ApiHandler = (
  event: ReturnType<typeof apiEvent>,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyResult>;

const labA = { principalId: 'lab_a', role: 'lab', name: 'CDC Quảng Ninh' } as const;
const labB = { principalId: 'lab_b', role: 'lab', name: 'Bệnh viện Bãi Cháy' } as const;

/**
 * GET /v1/results/{sampleId} as a story, in-process against dynalite and fauxqs: a lab submits through
 * the submit handler, the queue feeds the real store handler, then the lab asks.
 */
describe('GET /v1/results/{sampleId}', () => {
  let emulators: TestEmulators;
  let submit: ApiHandler;
  let getResult: ApiHandler;
  let store: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

  /** Drains the results queue into the store handler, as the poller and Lambda's event source do. */
  const storeQueued = async (): Promise<void> => {
    for (;;) {
      const out = await emulators.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: emulators.queues.resultsQueueUrl, MaxNumberOfMessages: 10 }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) return;
      await store(
        {
          Records: messages.map((message) => ({
            messageId: message.MessageId ?? '',
            receiptHandle: message.ReceiptHandle ?? '',
            body: message.Body ?? '',
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: 'local',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: message.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:resultgate-results',
            awsRegion: 'us-east-1',
          })),
        },
        lambdaContext(),
      );
      await emulators.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: emulators.queues.resultsQueueUrl,
          Entries: messages.map((message, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  };

  const ask = (caller: typeof labA | typeof labB, sampleId: string) =>
    getResult(
      apiEvent({
        method: 'GET',
        path: `/v1/results/${sampleId}`,
        resource: '/v1/results/{sampleId}',
        caller,
        pathParameters: { sampleId },
      }),
      lambdaContext(),
    );

  beforeAll(async () => {
    emulators = await startTestEmulators();
    emulators.applyEnv();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    submit = (await import('../../../functions/handlers/submit-results.js')).handler;
    getResult = (await import('../../../functions/handlers/get-result.js')).handler;
    store = (await import('../../../functions/handlers/store-results.js')).handler;
  });

  afterAll(async () => {
    await emulators.stop();
  });

  it('answers 200 with exactly the contract’s fields, and no citizen data, for the lab’s own stored sample', async () => {
    const result = aResult({
      sampleId: 'G-1',
      fullName: 'Nguyễn Thị Ánh',
      idNumber: '022 090 001234',
      phone: '0912345678',
    });
    const submitted = await submit(
      apiEvent({ method: 'POST', path: '/v1/results', caller: labA, body: { results: [result] } }),
      lambdaContext(),
    );
    expect(submitted.statusCode).toBe(202);
    await storeQueued();

    const response = await ask(labA, 'G-1');

    expect(response.statusCode).toBe(200);
    const body: unknown = JSON.parse(response.body);
    expect(Object.keys(storedResultResponseSchema.parse(body)).sort()).toEqual(
      ['resultedAt', 'result', 'sampleId', 'sampledAt', 'status', 'storedAt', 'testType'].sort(),
    );
    expect(body).toMatchObject({
      sampleId: 'G-1',
      status: 'STORED',
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: new Date(result.sampledAt).toISOString(),
      resultedAt: new Date(result.resultedAt).toISOString(),
    });
    for (const personal of ['Nguyễn', '022090001234', '0912345678', '1990-05-01', 'N*****']) {
      expect(response.body).not.toContain(personal);
    }
  });

  it('answers 404 NOT_FOUND for a sample that is not stored (yet)', async () => {
    const submitted = await submit(
      apiEvent({
        method: 'POST',
        path: '/v1/results',
        caller: labA,
        body: { results: [aResult({ sampleId: 'G-QUEUED' })] },
      }),
      lambdaContext(),
    );
    expect(submitted.statusCode).toBe(202);

    const queuedOnly = await ask(labA, 'G-QUEUED');
    const never = await ask(labA, 'G-NEVER');

    expect(queuedOnly.statusCode).toBe(404);
    expect(JSON.parse(queuedOnly.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(never.statusCode).toBe(404);
    await storeQueued();
    expect((await ask(labA, 'G-QUEUED')).statusCode).toBe(200);
  });

  it('answers 404 NOT_FOUND for another lab’s sample, exactly as for a missing one', async () => {
    await submit(
      apiEvent({
        method: 'POST',
        path: '/v1/results',
        caller: labA,
        body: { results: [aResult({ sampleId: 'G-A' })] },
      }),
      lambdaContext(),
    );
    await storeQueued();

    const other = await ask(labB, 'G-A');
    const missing = await ask(labB, 'G-MISSING');

    expect(other.statusCode).toBe(404);
    expect(JSON.parse(other.body)).toEqual(JSON.parse(missing.body));
  });

  it('answers 404 NOT_FOUND for a path that is not a valid sampleId', async () => {
    const response = await ask(labA, 'not a sample id');

    expect(response.statusCode).toBe(404);
  });
});
