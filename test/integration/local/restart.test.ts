import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { localSqsClient } from '../../../local/emulators.js';
import { startLocalStack } from '../../../local/stack.js';
import { makeTempDir } from '../../support/temp.js';

const depth = async (endpoint: string, queueUrl: string) => {
  const out = await localSqsClient(endpoint).send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages);
};

describe('the local stack across a restart', () => {
  it('keeps dead-lettered messages, although the queue emulator holds them only in memory', async () => {
    const dataDir = await makeTempDir('restart');
    const first = await startLocalStack({ port: 0, dataDir });
    await localSqsClient(first.sqsEndpoint).send(
      new SendMessageCommand({ QueueUrl: first.deadLetterQueueUrl, MessageBody: '{"poison":true}' }),
    );
    await first.stop();

    const second = await startLocalStack({ port: 0, dataDir });
    const dead = await depth(second.sqsEndpoint, second.deadLetterQueueUrl);
    await second.stop();

    expect(dead).toBe(1);
  });
});
