import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeResultQueue, QueueUnavailableError } from '../../../functions/adapters/results-queue.js';
import type { QueuedResult } from '../../../functions/schemas/queued-result.js';

const sqsMock = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/results';

const message = (i: number) => ({ sampleId: `S-${i}` }) as unknown as QueuedResult;

describe('the results queue adapter', () => {
  beforeEach(() => {
    sqsMock.reset();
  });

  it('sends 25 results as three SendMessageBatch calls of at most 10', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = makeResultQueue(new SQSClient({}), QUEUE_URL);

    await queue.send(Array.from({ length: 25 }, (_, i) => message(i)));

    const sizes = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.length);
    expect(sizes.sort()).toEqual([10, 10, 5]);
    const bodies = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? '{}').sampleId);
    expect(new Set(bodies).size).toBe(25);
  });

  it('sends again only the entries SQS reported as failed', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });
    const queue = makeResultQueue(new SQSClient({}), QUEUE_URL);

    await queue.send([message(0), message(1), message(2)]);

    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((entry) => entry.Id)).toEqual(['1']);
  });

  it('gives up after three attempts, so the lab is told to resend', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const queue = makeResultQueue(new SQSClient({}), QUEUE_URL);

    await expect(queue.send([message(0)])).rejects.toThrow(QueueUnavailableError);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });
});
