import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeadLetters } from '../../../functions/adapters/dead-letters.js';
import { makeResultsTable } from '../../../functions/adapters/results-table.js';
import { LOCAL_NAMES } from '../../../local/emulators.js';
import { type Poller, startPoller } from '../../../local/poller.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { eventually } from '../../support/local-stack.js';
import { aSubmission, queued } from './support/messages.js';

/**
 * fauxqs with a 1 s visibility timeout and a DLQ after 5 receives, the local poller, and the store
 * function's handler module: a poison message goes to the DLQ after exactly five receives while its
 * batch-mates are stored; then the operator lists and redrives the DLQ.
 */
type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let emulators: TestEmulators;
let poller: Poller;
/** messageId → the receive counts the store function saw it with. */
const receives = new Map<string, number[]>();
const NOW = new Date();

beforeAll(async () => {
  emulators = await startTestEmulators({ visibilityTimeoutSeconds: 1 });
  emulators.applyEnv();
  const { handler } = (await import('../../../functions/handlers/store-results.js')) as { handler: Handler };
  const counting: Handler = (event, context) => {
    for (const record of event.Records) {
      const seen = receives.get(record.messageId) ?? [];
      receives.set(record.messageId, [...seen, Number(record.attributes.ApproximateReceiveCount)]);
    }
    return handler(event, context);
  };
  poller = startPoller({
    sqs: emulators.sqs,
    queueUrl: emulators.queues.resultsQueueUrl,
    queueArn: emulators.queues.server.inspectQueue(LOCAL_NAMES.resultsQueue)?.arn ?? '',
    consumer: async () => counting,
  });
});
afterAll(async () => {
  await poller.stop();
  await emulators.stop();
});

const deadLetters = () =>
  makeDeadLetters(emulators.sqs, {
    resultsQueueUrl: emulators.queues.resultsQueueUrl,
    deadLetterQueueUrl: emulators.queues.deadLetterQueueUrl,
  });
const results = () => makeResultsTable(emulators.dynamo, emulators.names.resultsTable);
const dlqDepth = () =>
  emulators.queues.server.inspectQueue(LOCAL_NAMES.deadLetterQueue)?.messages.ready.length ?? 0;

describe('poison messages and the dead-letter queue', () => {
  it('moves a poison message to the DLQ after exactly five receives, while its batch-mates are stored', async () => {
    // Given one batch of four results and one body that is not a result
    const batch = [0, 1, 2, 3].map((i) =>
      JSON.stringify(
        queued(
          aSubmission({ labId: 'lab-poison', sampleId: `S-${i}`, idNumber: String(500_000_000 + i) }, NOW),
        ),
      ),
    );
    const sent = await emulators.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: emulators.queues.resultsQueueUrl,
        Entries: [...batch, '{"labId":"lab-poison","sampleId":"S-9","fullName":"Nguyễn Văn An"}'].map(
          (body, i) => ({ Id: String(i), MessageBody: body }),
        ),
      }),
    );
    const poisonId = sent.Successful?.find((entry) => entry.Id === '4')?.MessageId ?? '';

    // When the poller feeds the store function until the poison message has left the queue
    await eventually(
      async () => (await results().getStoredSample('lab-poison', 'S-3')) !== undefined,
      10_000,
    );
    const storedAfterFirstReceive = receives.get(poisonId)?.length;
    await eventually(async () => dlqDepth() === 1, 30_000);

    // Then the batch-mates were stored on the first pass, and the poison was received exactly five times
    expect(storedAfterFirstReceive).toBe(1);
    for (const i of [0, 1, 2, 3])
      expect(await results().getStoredSample('lab-poison', `S-${i}`)).toBeDefined();
    expect(receives.get(poisonId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lists the dead letters with ids, receive count, sent time, labId and sampleId only', async () => {
    const listed = await deadLetters().list({ holdSeconds: 5, waitSeconds: 0 });

    expect(listed).toEqual([
      {
        messageId: expect.any(String),
        receiveCount: expect.any(Number),
        sentAt: expect.any(String),
        labId: 'lab-poison',
        sampleId: 'S-9',
      },
    ]);
    expect(listed[0]?.receiveCount).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(listed)).not.toContain('Nguy');
    expect(dlqDepth()).toBe(1);
  });

  it('redrives every dead letter back to the results queue, where storable ones get stored', async () => {
    // Given a storable result in the DLQ as well (say it failed while the table was unavailable)
    const storable = JSON.stringify(queued(aSubmission({ labId: 'lab-redrive', sampleId: 'S-1' }, NOW)));
    await emulators.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: emulators.queues.deadLetterQueueUrl,
        Entries: [{ Id: '0', MessageBody: storable }],
      }),
    );

    // When the operator redrives
    const report = await deadLetters().redrive({ waitSeconds: 0 });

    // Then both left the DLQ, and the storable one is stored
    expect(report).toEqual({ moved: 2, failed: 0, duplicated: 0 });
    await eventually(
      async () => (await results().getStoredSample('lab-redrive', 'S-1')) !== undefined,
      10_000,
    );
  });
});
