import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DurableQueues, startDurableQueues } from '../../../local/durable-queues.js';
import { LOCAL_NAMES, localSqsClient } from '../../../local/emulators.js';
import { type JournalFs, nodeJournalFs, replayJournal } from '../../../local/queue-journal.js';

const bodiesIn = (queues: DurableQueues, queue: string) => {
  const inspected = queues.server.inspectQueue(queue);
  if (!inspected) return [];
  const { ready, delayed, inflight } = inspected.messages;
  return [...ready, ...delayed, ...inflight.map((entry) => entry.message)]
    .map((message) => message.body)
    .sort();
};

describe('the journaling SQS endpoint of the local stack', () => {
  let dir: string;
  let journalPath: string;
  const running: DurableQueues[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resultgate-queues-'));
    journalPath = join(dir, 'queue-journal.ndjson');
  });

  afterEach(async () => {
    for (const queues of running.splice(0)) await queues.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (options: Partial<Parameters<typeof startDurableQueues>[0]> = {}) => {
    const queues = await startDurableQueues({ journalPath, visibilityTimeoutSeconds: 30, ...options });
    running.push(queues);
    return queues;
  };

  /** What a kill -9 leaves: the journal as it is on disk now, with no clean stop after it. */
  const startFromCrash = async (options: Partial<Parameters<typeof startDurableQueues>[0]> = {}) => {
    const crashed = join(dir, `crashed-${running.length}.ndjson`);
    await copyFile(journalPath, crashed);
    return start({ ...options, journalPath: crashed });
  };

  it('answers SendMessageBatch only after the messages are synced to the journal', async () => {
    // Given a journal whose sync the test holds
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    const fs: JournalFs = {
      ...nodeJournalFs,
      openForAppend: async (path) => {
        const file = await nodeJournalFs.openForAppend(path);
        return { ...file, sync: async () => (holding ? gate.then(() => file.sync()) : file.sync()) };
      },
    };
    const queues = await start({ fs });
    const sqs = localSqsClient(queues.endpoint);
    holding = true;

    // When a batch is sent
    let answered = false;
    const sent = sqs
      .send(
        new SendMessageBatchCommand({
          QueueUrl: queues.resultsQueueUrl,
          Entries: [
            { Id: '0', MessageBody: 'one' },
            { Id: '1', MessageBody: 'two' },
          ],
        }),
      )
      .then((out) => {
        answered = true;
        return out;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Then no answer while the sync is held; after it, the answered ids are in the journal
    expect(answered).toBe(false);
    release();
    const out = await sent;
    const live = replayJournal(await readFile(journalPath, 'utf8')).live;
    expect((out.Successful ?? []).map((entry) => live.queueOf(entry.MessageId ?? ''))).toEqual([
      LOCAL_NAMES.resultsQueue,
      LOCAL_NAMES.resultsQueue,
    ]);
    sqs.destroy();
  });

  it('restores sent messages after a crash, less the ones a consumer deleted', async () => {
    const queues = await start();
    const sqs = localSqsClient(queues.endpoint);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.resultsQueueUrl,
        Entries: ['a', 'b', 'c'].map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, MessageBody: 'dead' }));
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.resultsQueueUrl, MaxNumberOfMessages: 2 }),
    );
    const done = received.Messages ?? [];
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queues.resultsQueueUrl,
        Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
    sqs.destroy();

    const restarted = await startFromCrash();

    const left = ['a', 'b', 'c'].filter((body) => !done.some((message) => message.Body === body));
    expect(done).toHaveLength(2);
    expect(bodiesIn(restarted, LOCAL_NAMES.resultsQueue)).toEqual(left);
    expect(bodiesIn(restarted, LOCAL_NAMES.deadLetterQueue)).toEqual(['dead']);
    expect(restarted.restored).toBe(2);
  });

  it('records a move to the DLQ after maxReceiveCount receives, so it is in the DLQ after a crash', async () => {
    const queues = await start({ visibilityTimeoutSeconds: 0, maxReceiveCount: 1 });
    const sqs = localSqsClient(queues.endpoint);
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.resultsQueueUrl, MessageBody: 'poison' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.resultsQueueUrl }));
    // The second receive makes fauxqs move it (receive count 2 > 1); its answer is empty.
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.resultsQueueUrl }));
    sqs.destroy();
    expect(second.Messages ?? []).toEqual([]);

    const restarted = await startFromCrash();

    expect(bodiesIn(restarted, LOCAL_NAMES.resultsQueue)).toEqual([]);
    expect(bodiesIn(restarted, LOCAL_NAMES.deadLetterQueue)).toEqual(['poison']);
  });

  it('sends the messages of an older version’s queues.json at start, then removes the file', async () => {
    const legacySnapshotPath = join(dir, 'queues.json');
    await writeFile(legacySnapshotPath, JSON.stringify({ results: ['r1', 'r2'], deadLetter: ['d1'] }));

    const queues = await start({ legacySnapshotPath });

    expect(bodiesIn(queues, LOCAL_NAMES.resultsQueue)).toEqual(['r1', 'r2']);
    expect(bodiesIn(queues, LOCAL_NAMES.deadLetterQueue)).toEqual(['d1']);
    await expect(stat(legacySnapshotPath)).rejects.toThrow(/ENOENT/);
    expect(replayJournal(await readFile(journalPath, 'utf8')).live.size).toBe(3);
  });

  it('refuses a request that is not in the AWS JSON protocol, which it could not journal', async () => {
    const queues = await start();

    const response = await fetch(queues.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=SendMessage&QueueUrl=${encodeURIComponent(queues.resultsQueueUrl)}&MessageBody=x`,
    });

    expect(response.status).toBe(400);
    expect(bodiesIn(queues, LOCAL_NAMES.resultsQueue)).toEqual([]);
  });
});
