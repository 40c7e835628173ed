import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { LOCAL_NAMES, type LocalQueues, startQueues } from './emulators.js';
import {
  type JournalEntry,
  type JournalFs,
  LiveMessages,
  messageAttributesSchema,
  nodeJournalFs,
  type QueuedMessage,
  QueueJournal,
  replayJournal,
} from './queue-journal.js';

/**
 * Why a journaling proxy in front of fauxqs: fauxqs keeps messages in memory, and the contract says a 202
 * ACCEPTED means durably queued. The handlers, the poller and the admin CLI keep talking real SQS (the
 * AWS SDK's JSON protocol) to this loopback proxy, which forwards every request to fauxqs and, before it
 * passes a successful answer back:
 *   - SendMessage / SendMessageBatch: appends each sent message (queue, fauxqs message id, body) to the
 *     journal and fsyncs it (group commit, see QueueJournal), so no acknowledged message is only in memory;
 *   - DeleteMessage / DeleteMessageBatch: appends the deletions (receipt handle → message id, from the
 *     ReceiveMessage answers it has passed on);
 *   - ReceiveMessage: fauxqs moves a message to the DLQ during a receive after maxReceiveCount receives,
 *     keeping its message id; the proxy sees the DLQ hold ids the journal has elsewhere and appends moves;
 *   - PurgeQueue / DeleteQueue: appends a purge.
 * fauxqs has no message-move tasks (StartMessageMoveTask is refused); `dlq redrive` sends and deletes, which
 * the journal records like any other send and delete.
 * At start the journal is replayed into the fresh fauxqs and rewritten compacted (with fauxqs's new ids).
 * Patching fauxqs's internals would be smaller but would break silently on an upgrade; the proxy relies
 * only on the SQS wire protocol and fauxqs's public inspectQueue.
 *
 * Limits, by design: a message that fauxqs moved to the DLQ just before a crash, before the receive's
 * answer came back through here, is back in the results queue after the restart (nothing is lost; the
 * store is idempotent). Receive counts and DelaySeconds do not survive a restart. A delete acknowledged
 * with a stale receipt handle (the visibility timeout had passed) counts as done: only a consumer that has
 * finished with a message deletes it.
 */

export interface DurableQueues extends LocalQueues {
  /** The journaling SQS endpoint every client uses (fauxqs itself stays private to this module). */
  readonly endpoint: string;
  /** Messages restored at start from the journal and from a queues.json of an older version. */
  readonly restored: number;
  stop(): Promise<void>;
}

export interface DurableQueueOptions {
  readonly journalPath: string;
  /** queues.json of an older version (written at a clean stop): sent into the queues and removed. */
  readonly legacySnapshotPath?: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly fs?: JournalFs;
  readonly compactAfterLines?: number;
  readonly log?: (line: string) => void;
}

/** How often the DLQs are checked for messages fauxqs moved there, between requests. */
const DLQ_SWEEP_MS = 200;

const sqsError = (type: string, message: string) =>
  JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message });

const queueNameOf = (queueUrl: string): string => {
  const segments = queueUrl.split('?')[0]?.split('/') ?? [];
  return decodeURIComponent(segments.at(-1) ?? '');
};

// Only the fields the journal needs; anything else passes through untouched.
const sendRequest = z.object({
  QueueUrl: z.string(),
  MessageBody: z.string(),
  MessageAttributes: messageAttributesSchema.optional(),
});
const sendAnswer = z.object({ MessageId: z.string() });
const sendBatchRequest = z.object({
  QueueUrl: z.string(),
  Entries: z.array(
    z.object({
      Id: z.string(),
      MessageBody: z.string(),
      MessageAttributes: messageAttributesSchema.optional(),
    }),
  ),
});
const sendBatchAnswer = z.object({
  Successful: z.array(z.object({ Id: z.string(), MessageId: z.string() })).optional(),
});
const deleteRequest = z.object({ QueueUrl: z.string(), ReceiptHandle: z.string() });
const deleteBatchRequest = z.object({
  QueueUrl: z.string(),
  Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string() })),
});
const deleteBatchAnswer = z.object({ Successful: z.array(z.object({ Id: z.string() })).optional() });
const receiveAnswer = z.object({
  Messages: z.array(z.object({ MessageId: z.string(), ReceiptHandle: z.string() })).optional(),
});
const queueRequest = z.object({ QueueUrl: z.string() });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const legacySnapshotSchema = z.object({ results: z.array(z.string()), deadLetter: z.array(z.string()) });

interface Upstream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const readBody = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
};

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'expect',
]);

const endToEnd = (headers: IncomingHttpHeaders): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
};

/**
 * The message ids of the receipt handles handed out, to journal deletions by id. One handle per message
 * (a new receive makes the previous handle stale in fauxqs), so it stays as large as the live set.
 */
class Receipts {
  private readonly idOf = new Map<string, string>();
  private readonly handleOf = new Map<string, string>();

  received(id: string, handle: string) {
    const old = this.handleOf.get(id);
    if (old !== undefined) this.idOf.delete(old);
    this.idOf.set(handle, id);
    this.handleOf.set(id, handle);
  }

  take(handle: string): string | undefined {
    const id = this.idOf.get(handle);
    if (id === undefined) return undefined;
    this.idOf.delete(handle);
    this.handleOf.delete(id);
    return id;
  }

  /** Forgets messages no longer live (purged, or deleted by a handle this proxy never saw). */
  prune(isLive: (id: string) => boolean) {
    for (const [id, handle] of this.handleOf) {
      if (!isLive(id)) {
        this.handleOf.delete(id);
        this.idOf.delete(handle);
      }
    }
  }

  get size() {
    return this.idOf.size;
  }
}

interface ProxyDeps {
  readonly queues: LocalQueues;
  readonly journal: QueueJournal;
  /** Queue name → its DLQ's name, for the queues with a redrive policy. */
  readonly deadLetterOf: ReadonlyMap<string, string>;
  readonly log: (line: string) => void;
}

const createJournalingProxy = ({ queues, journal, deadLetterOf, log }: ProxyDeps): Server => {
  const target = new URL(queues.server.address);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const receipts = new Receipts();
  const deadLetterQueues = new Set(deadLetterOf.values());

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<Upstream>((resolve, reject) => {
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          agent,
          headers: { ...endToEnd(req.headers), host: target.host, 'content-length': String(body.length) },
        },
        (res) => {
          readBody(res).then(
            (answer) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: answer }),
            reject,
          );
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  /** Ids the DLQ holds that the journal still has elsewhere: fauxqs moved them during a receive. */
  const dlqArrivals = (deadLetterQueue: string): JournalEntry[] => {
    const inspected = queues.server.inspectQueue(deadLetterQueue);
    if (!inspected) return [];
    const { ready, delayed, inflight } = inspected.messages;
    const held = ready.length + delayed.length + inflight.length;
    if (held === journal.live.countIn(deadLetterQueue)) return [];
    const moves: JournalEntry[] = [];
    for (const message of [...ready, ...delayed, ...inflight.map((entry) => entry.message)]) {
      const queue = journal.live.queueOf(message.messageId);
      if (queue !== undefined && queue !== deadLetterQueue) {
        moves.push({ op: 'move', id: message.messageId, queue: deadLetterQueue });
      }
    }
    return moves;
  };

  /** The journal entries a successful answer stands for. */
  const entriesFor = (action: string, requestBody: unknown, answerBody: unknown): JournalEntry[] => {
    switch (action) {
      case 'SendMessage': {
        const sent = sendRequest.safeParse(requestBody);
        const answer = sendAnswer.safeParse(answerBody);
        if (!sent.success || !answer.success) return [];
        const { QueueUrl, MessageBody, MessageAttributes } = sent.data;
        return [
          {
            op: 'send',
            id: answer.data.MessageId,
            queue: queueNameOf(QueueUrl),
            body: MessageBody,
            ...(MessageAttributes ? { attributes: MessageAttributes } : {}),
          },
        ];
      }
      case 'SendMessageBatch': {
        const sent = sendBatchRequest.safeParse(requestBody);
        const answer = sendBatchAnswer.safeParse(answerBody);
        if (!sent.success || !answer.success) return [];
        const queue = queueNameOf(sent.data.QueueUrl);
        const byId = new Map(sent.data.Entries.map((entry) => [entry.Id, entry]));
        return (answer.data.Successful ?? []).flatMap((ok): JournalEntry[] => {
          const entry = byId.get(ok.Id);
          if (!entry) return [];
          return [
            {
              op: 'send',
              id: ok.MessageId,
              queue,
              body: entry.MessageBody,
              ...(entry.MessageAttributes ? { attributes: entry.MessageAttributes } : {}),
            },
          ];
        });
      }
      case 'DeleteMessage': {
        const deleted = deleteRequest.safeParse(requestBody);
        const id = deleted.success ? receipts.take(deleted.data.ReceiptHandle) : undefined;
        return id === undefined ? [] : [{ op: 'delete', id }];
      }
      case 'DeleteMessageBatch': {
        const deleted = deleteBatchRequest.safeParse(requestBody);
        const answer = deleteBatchAnswer.safeParse(answerBody);
        if (!deleted.success || !answer.success) return [];
        const handles = new Map(deleted.data.Entries.map((entry) => [entry.Id, entry.ReceiptHandle]));
        return (answer.data.Successful ?? []).flatMap((ok): JournalEntry[] => {
          const handle = handles.get(ok.Id);
          const id = handle === undefined ? undefined : receipts.take(handle);
          return id === undefined ? [] : [{ op: 'delete', id }];
        });
      }
      case 'ReceiveMessage': {
        const asked = queueRequest.safeParse(requestBody);
        const answer = receiveAnswer.safeParse(answerBody);
        if (!asked.success || !answer.success) return [];
        const queue = queueNameOf(asked.data.QueueUrl);
        const entries: JournalEntry[] = [];
        for (const message of answer.data.Messages ?? []) {
          receipts.received(message.MessageId, message.ReceiptHandle);
          const journaled = journal.live.queueOf(message.MessageId);
          if (journaled !== undefined && journaled !== queue) {
            entries.push({ op: 'move', id: message.MessageId, queue });
          }
        }
        if (receipts.size > 2 * journal.live.size + 1_000) {
          receipts.prune((id) => journal.live.queueOf(id) !== undefined);
        }
        return entries;
      }
      case 'PurgeQueue':
      case 'DeleteQueue': {
        const asked = queueRequest.safeParse(requestBody);
        return asked.success ? [{ op: 'purge', queue: queueNameOf(asked.data.QueueUrl) }] : [];
      }
      default:
        return [];
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    if (action === '') {
      // A request in another protocol could send a message the journal would not see.
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
        .end(sqsError('InvalidAction', 'The local queue speaks the AWS JSON protocol (X-Amz-Target) only.'));
      return;
    }
    const upstream = await forward(req, body);
    if (upstream.status === 200) {
      const requestBody = parseJson(body.toString('utf8'));
      const entries = entriesFor(action, requestBody, parseJson(upstream.body.toString('utf8')));
      // Whoever asks about a queue or its DLQ (a receive, its attributes, `dlq list`) learns of a message
      // in the DLQ only once its move is on disk.
      const asked = queueRequest.safeParse(requestBody);
      const queue = asked.success ? queueNameOf(asked.data.QueueUrl) : undefined;
      const deadLetterQueue =
        queue === undefined
          ? undefined
          : (deadLetterOf.get(queue) ?? (deadLetterQueues.has(queue) ? queue : undefined));
      if (deadLetterQueue !== undefined) {
        const moved = new Set(entries.flatMap((entry) => (entry.op === 'move' ? [entry.id] : [])));
        entries.push(
          ...dlqArrivals(deadLetterQueue).filter((entry) => entry.op === 'move' && !moved.has(entry.id)),
        );
      }
      // The answer goes out only once its entries are on disk.
      await journal.append(entries);
    }
    res.writeHead(upstream.status, endToEnd(upstream.headers)).end(upstream.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(
        `nhật ký hàng đợi: lỗi, yêu cầu không được ghi nhận / queue journal: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // 5xx: the SDK retries, and nothing that failed here was acknowledged.
      res
        .writeHead(500, { 'content-type': 'application/x-amz-json-1.0' })
        .end(sqsError('InternalError', 'The local queue could not record the request.'));
    });
  });
  // fauxqs moves a message during a receive that may then long-poll for a second before answering; this
  // narrows the window in which a crash brings a just-moved message back to its source queue.
  const sweep = setInterval(() => {
    for (const deadLetterQueue of deadLetterQueues) {
      journal.append(dlqArrivals(deadLetterQueue)).catch(() => undefined);
    }
  }, DLQ_SWEEP_MS);
  sweep.unref();
  server.on('close', () => {
    clearInterval(sweep);
    agent.destroy();
  });
  return server;
};

/** Sends messages straight to fauxqs (not through the proxy) and returns them under fauxqs's new ids. */
const sendToFauxqs = async (
  queues: LocalQueues,
  messages: readonly QueuedMessage[],
  log: (line: string) => void,
): Promise<LiveMessages> => {
  const live = new LiveMessages();
  const byQueue = new Map<string, QueuedMessage[]>();
  for (const message of messages)
    byQueue.set(message.queue, [...(byQueue.get(message.queue) ?? []), message]);
  for (const [queue, list] of byQueue) {
    const url = queues.server.inspectQueue(queue)?.url;
    if (url === undefined) {
      log(
        `nhật ký hàng đợi: bỏ ${list.length} tin nhắn của hàng đợi không tồn tại ${queue} / queue journal: ${list.length} message(s) for an unknown queue ${queue} were dropped`,
      );
      continue;
    }
    for (let i = 0; i < list.length; i += 10) {
      const chunk = list.slice(i, i + 10);
      const response = await fetch(queues.server.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessageBatch',
        },
        body: JSON.stringify({
          QueueUrl: url,
          Entries: chunk.map((message, j) => ({
            Id: String(j),
            MessageBody: message.body,
            ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
          })),
        }),
      });
      const answer = sendBatchAnswer.parse(await response.json());
      const ok = new Map((answer.Successful ?? []).map((entry) => [entry.Id, entry.MessageId]));
      chunk.forEach((message, j) => {
        const id = ok.get(String(j));
        if (id === undefined)
          throw new Error(`queue journal: fauxqs refused a restored message for ${queue}`);
        live.apply({ op: 'send', id, ...message });
      });
    }
  }
  return live;
};

const readLegacySnapshot = async (fs: JournalFs, path: string): Promise<QueuedMessage[] | undefined> => {
  const text = await fs.read(path);
  if (text === undefined) return undefined;
  const snapshot = legacySnapshotSchema.parse(JSON.parse(text));
  return [
    ...snapshot.results.map((body) => ({ queue: LOCAL_NAMES.resultsQueue, body })),
    ...snapshot.deadLetter.map((body) => ({ queue: LOCAL_NAMES.deadLetterQueue, body })),
  ];
};

/**
 * fauxqs with its results queue and DLQ behind the journaling proxy: replays the journal (and a legacy
 * queues.json) into the fresh fauxqs, rewrites the journal compacted, then serves.
 */
export const startDurableQueues = async (options: DurableQueueOptions): Promise<DurableQueues> => {
  const log = options.log ?? (() => undefined);
  const fs = options.fs ?? nodeJournalFs;
  const queues = await startQueues({
    ...(options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
    ...(options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount }),
  });
  try {
    const replayed = replayJournal((await fs.read(options.journalPath)) ?? '');
    if (replayed.tornTail)
      log(
        'nhật ký hàng đợi: bỏ qua dòng cuối ghi dở do sự cố / queue journal: ignored a partial last line (a write cut short by a crash)',
      );
    if (replayed.skipped > 0)
      log(
        `nhật ký hàng đợi: bỏ qua ${replayed.skipped} dòng hỏng / queue journal: skipped ${replayed.skipped} damaged line(s)`,
      );
    const legacy = options.legacySnapshotPath
      ? await readLegacySnapshot(fs, options.legacySnapshotPath)
      : undefined;
    const toRestore = [...[...replayed.live.entries()].map(([, message]) => message), ...(legacy ?? [])];
    const live = await sendToFauxqs(queues, toRestore, log);
    // The new ids are on disk before the old file goes; a crash before the rename replays the old one again.
    const journal = await QueueJournal.create(options.journalPath, live, {
      fs,
      ...(options.compactAfterLines === undefined ? {} : { compactAfterLines: options.compactAfterLines }),
    });
    // A crash before this removal sends the old snapshot again next start: duplicates, stored once.
    if (legacy !== undefined && options.legacySnapshotPath)
      await rm(options.legacySnapshotPath, { force: true });

    const server = createJournalingProxy({
      queues,
      journal,
      deadLetterOf: new Map([[LOCAL_NAMES.resultsQueue, LOCAL_NAMES.deadLetterQueue]]),
      log,
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    return {
      ...queues,
      endpoint: `http://127.0.0.1:${port}`,
      restored: live.size,
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        // A clean stop leaves the journal compacted: one line per message still queued.
        await journal.close({ compact: true });
        await queues.server.stop();
      },
    };
  } catch (error) {
    await queues.server.stop();
    throw error;
  }
};
