import { rm } from 'node:fs/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { readStackInfo } from '../../../local/data-dir.js';
import { localDynamoClient, localSqsClient } from '../../../local/emulators.js';
import { aResult, cccdFor } from '../../support/fixtures.js';
import { eventually, startStack, type TestStack } from '../../support/local-stack.js';

/**
 * The contract's ACCEPTED means durably queued: the local stack is killed with SIGKILL (its whole process
 * tree, no clean stop) and started again on the same data dir; every result it had acknowledged is stored.
 */
describe('the local stack after kill -9', () => {
  // Per-credential rate limits would throttle the stream of batches; this lifts them (harmless if unknown).
  const env = { RESULTGATE_RATE_LIMITS: 'off' };
  let stack: TestStack | undefined;

  afterEach(async () => {
    if (!stack) return;
    await stack.stop();
    await rm(stack.dataDir, { recursive: true, force: true });
    stack = undefined;
  });

  const itemsSchema = z.object({ items: z.array(z.object({ sampleId: z.string(), status: z.string() })) });
  const restoredCount = (output: string) => Number(/restored (\d+) queued message/.exec(output)?.[1] ?? 0);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const batchOf = (prefix: string, batch: number, size: number) => ({
    results: Array.from({ length: size }, (_, i) =>
      aResult({
        sampleId: `${prefix}-${batch}-${i}`,
        idNumber: cccdFor('1990-05-01', String(batch * size + i).padStart(6, '0')),
      }),
    ),
  });

  const submit = async (running: TestStack, credential: string, body: unknown): Promise<string[]> => {
    const response = await running.call('POST', '/v1/results', credential, body);
    if (response.status !== 202) return [];
    return itemsSchema
      .parse(response.body)
      .items.filter((item) => item.status === 'ACCEPTED')
      .map((item) => item.sampleId);
  };

  /** The sample and holder items of the results table: one of each per stored result, never more. */
  const storedItems = async (running: TestStack) => {
    const info = await readStackInfo(running.dataDir);
    const dynamo = localDynamoClient(info.dynamodbEndpoint);
    const samples: string[] = [];
    let holders = 0;
    let start: Record<string, { S: string }> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: info.resultsTable,
          ProjectionExpression: 'pk, sk, sampleId',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk?.S === 'SAMPLE' && item.sampleId?.S) samples.push(item.sampleId.S);
        else if (item.pk?.S?.startsWith('HOLDER#')) holders += 1;
      }
      const last = page.LastEvaluatedKey;
      start = last?.pk?.S && last.sk?.S ? { pk: { S: last.pk.S }, sk: { S: last.sk.S } } : undefined;
    } while (start);
    dynamo.destroy();
    return { samples, holders };
  };

  /** Every acknowledged result answers 200 STORED to its lab, and is in the table exactly once. */
  const expectAllStoredOnce = async (
    running: TestStack,
    credential: string,
    accepted: ReadonlySet<string>,
  ) => {
    await eventually(async () => {
      const { samples } = await storedItems(running);
      const stored = new Set(samples);
      return [...accepted].every((id) => stored.has(id));
    }, 45_000);
    const ids = [...accepted];
    for (let i = 0; i < ids.length; i += 20) {
      const answers = await Promise.all(
        ids.slice(i, i + 20).map((id) => running.call('GET', `/v1/results/${id}`, credential)),
      );
      for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { status: 'STORED' } });
    }
    const { samples, holders } = await storedItems(running);
    expect(new Set(samples).size).toBe(samples.length);
    expect(holders).toBe(samples.length);
  };

  it('stores every result acknowledged before a kill in the middle of a stream of batches', async () => {
    // Given a lab streaming batches of 50 from three connections
    stack = await startStack({ env });
    const running = stack;
    const lab = await running.addLab();
    const accepted = new Set<string>();
    let sending = true;
    let next = 0;
    const sender = async () => {
      while (sending && next < 120) {
        const batch = next;
        next += 1;
        const ids = await submit(running, lab.credential, batchOf('K', batch, 50)).catch(() => []);
        for (const id of ids) accepted.add(id);
      }
    };
    const senders = [sender(), sender(), sender()];

    // When the whole process tree is killed at a random moment mid-stream
    await eventually(async () => accepted.size >= 300, 30_000);
    await sleep(Math.random() * 800);
    await running.crash();
    sending = false;
    await Promise.all(senders);
    const acknowledged = new Set(accepted);

    // Then after a restart on the same data every acknowledged result is stored, once
    await running.start();
    expect(restoredCount(running.output())).toBeGreaterThan(0);
    await expectAllStoredOnce(running, lab.credential, acknowledged);
  });

  it('stores everything when killed while the store poller drains a backlog', async () => {
    // Given a backlog of 1000 acknowledged results that the poller has started to store
    stack = await startStack({ env });
    const running = stack;
    const lab = await running.addLab();
    const accepted = new Set<string>();
    for (let batch = 0; batch < 2; batch += 1) {
      for (const id of await submit(running, lab.credential, batchOf('P', batch, 500))) accepted.add(id);
    }
    expect(accepted.size).toBe(1000);
    await eventually(
      async () => (await running.call('GET', '/v1/results/P-0-0', lab.credential)).status === 200,
      20_000,
    );

    // When it is killed mid-drain
    await sleep(Math.random() * 300);
    await running.crash();

    // Then the rest is restored from the journal and stored, once
    await running.start();
    expect(restoredCount(running.output())).toBeGreaterThan(0);
    await expectAllStoredOnce(running, lab.credential, accepted);
  });

  it('keeps a poison message in the dead-letter queue across a kill', async () => {
    // Given a malformed message that failed five times and was moved to the DLQ (visibility 0: at once)
    stack = await startStack({ env: { ...env, RESULTGATE_VISIBILITY_TIMEOUT: '0' } });
    const running = stack;
    const info = await readStackInfo(running.dataDir);
    const sqs = localSqsClient(info.sqsEndpoint);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: info.resultsQueueUrl,
        MessageBody: JSON.stringify({ labId: 'poison-lab', sampleId: 'POISON-1' }),
      }),
    );
    await eventually(async () => {
      const out = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: info.deadLetterQueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return out.Attributes?.ApproximateNumberOfMessages === '1';
    });
    sqs.destroy();

    // When the stack is killed and started again, now with a long visibility timeout, so that a message
    // wrongly back in the results queue would still be there when we look
    await running.crash();
    await running.start({ RESULTGATE_VISIBILITY_TIMEOUT: '30' });

    // Then the DLQ still holds it, once, and the results queue does not
    expect(await running.admin('dlq', 'list')).toMatchObject({
      count: 1,
      messages: [{ labId: 'poison-lab', sampleId: 'POISON-1' }],
    });
    const after = await readStackInfo(running.dataDir);
    const again = localSqsClient(after.sqsEndpoint);
    const results = await again.send(
      new GetQueueAttributesCommand({
        QueueUrl: after.resultsQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    again.destroy();
    expect(results.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });
});
