import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';

/**
 * The dead-letter queue of the results queue, for the operator (`npm run admin -- dlq list|redrive`),
 * locally (fauxqs) and in AWS alike: it needs only an SQS client and the two queue URLs.
 */
export interface DeadLetterQueues {
  readonly resultsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** One dead letter as an operator sees it: ids and counts, never the result or anything about the holder. */
export interface DeadLetter {
  readonly messageId: string;
  /** SQS's ApproximateReceiveCount, which counts the receives from the results queue and this listing's. */
  readonly receiveCount: number;
  /** When the message was first sent to the results queue (SQS keeps it when a message moves to the DLQ). */
  readonly sentAt: string | null;
  /** From the body; null when the body is not a result (a malformed message). */
  readonly labId: string | null;
  readonly sampleId: string | null;
}

export interface RedriveReport {
  /** Messages sent back to the results queue and deleted from the DLQ. */
  readonly moved: number;
  /** Messages the results queue refused; they stay in the DLQ and reappear there after `holdSeconds`. */
  readonly failed: number;
  /** Moved, but their delete from the DLQ failed: they are in both queues (harmless) until redriven again. */
  readonly duplicated: number;
}

export interface ListOptions {
  /** Stop after this many messages (default 1000). */
  readonly max?: number;
  /** How long a listed message stays hidden while the listing runs; they are made visible again after. */
  readonly holdSeconds?: number;
  /** Long-poll wait of each receive; an empty receive ends the listing. */
  readonly waitSeconds?: number;
}

export interface RedriveOptions {
  /** Stop after moving this many (default: until the DLQ answers empty). */
  readonly max?: number;
  /** How long a received message stays hidden while it is moved; one that fails comes back after it. */
  readonly holdSeconds?: number;
  readonly waitSeconds?: number;
}

export class RedriveError extends Error {
  override readonly name = 'RedriveError';
}

/** Only these two fields are ever read from a body: the operator needs to know which result it is. */
const identifiersSchema = z.object({
  labId: z.string().min(1).max(64).optional().catch(undefined),
  sampleId: z.string().min(1).max(64).optional().catch(undefined),
});

const identifiersOf = (body: string | undefined): { labId: string | null; sampleId: string | null } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { labId: null, sampleId: null };
  }
  const ids = identifiersSchema.safeParse(parsed);
  return ids.success
    ? { labId: ids.data.labId ?? null, sampleId: ids.data.sampleId ?? null }
    : { labId: null, sampleId: null };
};

const sentAtOf = (message: Message): string | null => {
  const millis = Number(message.Attributes?.SentTimestamp);
  return Number.isFinite(millis) && millis > 0 ? new Date(millis).toISOString() : null;
};

const MAX_BATCH = 10;

export const makeDeadLetters = (client: SQSClient, queues: DeadLetterQueues) => {
  const receive = async (count: number, holdSeconds: number, waitSeconds: number): Promise<Message[]> => {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(MAX_BATCH, count),
        VisibilityTimeout: holdSeconds,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  };

  return {
    /**
     * Lists the dead letters. SQS has no peek: each is received (hidden for `holdSeconds` so the listing
     * sees each once), then made visible again at once. Nothing is deleted or changed but the receive count.
     */
    async list({ max = 1000, holdSeconds = 30, waitSeconds = 1 }: ListOptions = {}): Promise<DeadLetter[]> {
      const listed: DeadLetter[] = [];
      const seen = new Set<string>();
      const handles: string[] = [];
      try {
        while (listed.length < max) {
          const messages = await receive(max - listed.length, holdSeconds, waitSeconds);
          if (messages.length === 0) break;
          for (const message of messages) {
            if (message.ReceiptHandle !== undefined) handles.push(message.ReceiptHandle);
            const messageId = message.MessageId ?? '';
            if (seen.has(messageId)) continue;
            seen.add(messageId);
            listed.push({
              messageId,
              receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
              sentAt: sentAtOf(message),
              ...identifiersOf(message.Body),
            });
          }
        }
      } finally {
        for (let i = 0; i < handles.length; i += MAX_BATCH) {
          await client.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queues.deadLetterQueueUrl,
              Entries: handles
                .slice(i, i + MAX_BATCH)
                .map((handle, j) => ({ Id: String(j), ReceiptHandle: handle, VisibilityTimeout: 0 })),
            }),
          );
        }
      }
      return listed;
    },

    /**
     * Moves the dead letters back to the results queue, ten at a time: each is sent first and deleted from
     * the DLQ only once the results queue has it. Interrupted anywhere, nothing is lost: at worst a message
     * is in both queues, and storing it twice is harmless (the store is idempotent).
     */
    async redrive({ max, holdSeconds = 60, waitSeconds = 1 }: RedriveOptions = {}): Promise<RedriveReport> {
      let moved = 0;
      let failed = 0;
      let duplicated = 0;
      const limit = max ?? Number.POSITIVE_INFINITY;
      while (moved + failed < limit) {
        const messages = await receive(Math.min(MAX_BATCH, limit - moved - failed), holdSeconds, waitSeconds);
        if (messages.length === 0) break;
        const entries = messages.map((message, i) => ({ id: String(i), message }));
        const sent = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queues.resultsQueueUrl,
            Entries: entries.map(({ id, message }) => ({
              Id: id,
              MessageBody: message.Body ?? '',
              ...(message.MessageAttributes === undefined
                ? {}
                : { MessageAttributes: message.MessageAttributes }),
            })),
          }),
        );
        const ok = new Set((sent.Successful ?? []).map((entry) => entry.Id));
        const toDelete = entries.filter(
          ({ id, message }) => ok.has(id) && message.ReceiptHandle !== undefined,
        );
        failed += entries.length - toDelete.length;
        if (toDelete.length === 0) {
          // The results queue takes none: stop rather than spin; the messages stay in the DLQ.
          throw new RedriveError(
            `Hàng đợi kết quả từ chối ${entries.length} thư; không thư nào được chuyển. / ` +
              `The results queue refused ${entries.length} message(s); none was moved.`,
          );
        }
        const deleted = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queues.deadLetterQueueUrl,
            Entries: toDelete.map(({ id, message }) => ({ Id: id, ReceiptHandle: message.ReceiptHandle })),
          }),
        );
        moved += toDelete.length;
        // A failed delete leaves a copy in the DLQ as well as the one sent: nothing lost, only doubled.
        duplicated += (deleted.Failed ?? []).length;
      }
      return { moved, failed, duplicated };
    },
  };
};

export type DeadLetters = ReturnType<typeof makeDeadLetters>;
