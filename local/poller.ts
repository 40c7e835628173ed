import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';

export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly consumer: () => Promise<QueueConsumer>;
  readonly batchSize?: number;
  readonly log?: (line: string) => void;
}

export interface Poller {
  /** Resolves once the loop has finished its current batch. */
  stop(): Promise<void>;
  /** Batches handed to the consumer so far. */
  readonly batches: () => number;
}

/**
 * What Lambda's SQS event source does, locally: receive up to `batchSize` messages, hand them to the
 * consumer as a real SQS event, delete the ones it did not report in batchItemFailures, and leave the
 * failed ones to reappear after their visibility timeout (the queue's redrive policy moves them to the DLQ).
 */
export const startPoller = ({
  sqs,
  queueUrl,
  queueArn,
  consumer,
  batchSize = 10,
  log,
}: PollerOptions): Poller => {
  let running = true;
  let batches = 0;

  const pollOnce = async (): Promise<void> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return;
    const records: SQSRecord[] = messages.map((message) => ({
      messageId: message.MessageId ?? randomUUID(),
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: message.Attributes?.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp:
          message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    }));
    batches += 1;
    const handler = await consumer();
    const response = await handler({ Records: records }, lambdaContext('storeResults')).catch(
      (error: unknown) => {
        // Like Lambda: a thrown error fails the whole batch.
        log?.(`store batch failed: ${error instanceof Error ? error.name : 'unknown error'}`);
        return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
      },
    );
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
  };

  const loop = (async () => {
    while (running) {
      await pollOnce().catch(async (error: unknown) => {
        log?.(`poller: ${error instanceof Error ? error.message : 'unknown error'}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      });
    }
  })();

  return {
    stop: async () => {
      running = false;
      await loop;
    },
    batches: () => batches,
  };
};
