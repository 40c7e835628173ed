import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';

/**
 * The write-ahead journal of the local queues (fauxqs keeps messages in memory only). One JSON entry per
 * line, appended and fsynced before the SQS answer that acknowledges it leaves the proxy
 * (local/durable-queues.ts). Replaying the file gives the live messages: sent − deleted − purged, each in
 * the last queue it was seen in. Entries are keyed by fauxqs's message id; re-applying an entry that is
 * already in effect changes nothing.
 */

/** A message attribute as the AWS JSON protocol carries it (a binary value is base64 text). */
const attributeSchema = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
});
export const messageAttributesSchema = z.record(z.string(), attributeSchema);
export type MessageAttributes = z.infer<typeof messageAttributesSchema>;

const entrySchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('send'),
    id: z.string(),
    queue: z.string(),
    body: z.string(),
    attributes: messageAttributesSchema.optional(),
  }),
  z.object({ op: z.literal('delete'), id: z.string() }),
  /** fauxqs moved the message to another queue (the DLQ after maxReceiveCount receives). */
  z.object({ op: z.literal('move'), id: z.string(), queue: z.string() }),
  z.object({ op: z.literal('purge'), queue: z.string() }),
]);
export type JournalEntry = z.infer<typeof entrySchema>;

export interface QueuedMessage {
  readonly queue: string;
  readonly body: string;
  readonly attributes?: MessageAttributes | undefined;
}

/** The live messages by id, in the order they were first sent, with a count per queue. */
export class LiveMessages {
  private readonly byId = new Map<string, QueuedMessage>();
  private readonly counts = new Map<string, number>();

  constructor(initial: Iterable<readonly [string, QueuedMessage]> = []) {
    for (const [id, message] of initial) this.put(id, message);
  }

  private put(id: string, message: QueuedMessage) {
    this.remove(id);
    this.byId.set(id, message);
    this.counts.set(message.queue, (this.counts.get(message.queue) ?? 0) + 1);
  }

  private remove(id: string) {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    this.counts.set(old.queue, (this.counts.get(old.queue) ?? 1) - 1);
  }

  apply(entry: JournalEntry): void {
    switch (entry.op) {
      case 'send':
        this.put(entry.id, { queue: entry.queue, body: entry.body, attributes: entry.attributes });
        return;
      case 'delete':
        this.remove(entry.id);
        return;
      case 'move': {
        const message = this.byId.get(entry.id);
        // Keep the first-sent order: a move changes the queue in place.
        if (message && message.queue !== entry.queue) {
          this.counts.set(message.queue, (this.counts.get(message.queue) ?? 1) - 1);
          this.counts.set(entry.queue, (this.counts.get(entry.queue) ?? 0) + 1);
          this.byId.set(entry.id, { ...message, queue: entry.queue });
        }
        return;
      }
      case 'purge':
        for (const [id, message] of this.byId) if (message.queue === entry.queue) this.remove(id);
        return;
    }
  }

  queueOf(id: string): string | undefined {
    return this.byId.get(id)?.queue;
  }

  countIn(queue: string): number {
    return this.counts.get(queue) ?? 0;
  }

  get size(): number {
    return this.byId.size;
  }

  entries(): IterableIterator<[string, QueuedMessage]> {
    return this.byId.entries();
  }

  /** The journal that holds exactly these messages: one send per live message. */
  toJournalText(): string {
    let text = '';
    for (const [id, message] of this.byId) text += line({ op: 'send', id, ...message });
    return text;
  }
}

const line = (entry: JournalEntry) => `${JSON.stringify(entry)}\n`;

const parseLine = (text: string): JournalEntry | undefined => {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

export interface Replayed {
  readonly live: LiveMessages;
  /** Entries read. */
  readonly entries: number;
  /** A last line without its newline: a write cut short by a crash; it was never acknowledged. */
  readonly tornTail: boolean;
  /** Complete lines that are not entries (damage); skipped so the rest is kept. */
  readonly skipped: number;
}

/** Replays journal text. Only complete lines count: an entry is acknowledged only after its newline is synced. */
export const replayJournal = (text: string): Replayed => {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const live = new LiveMessages();
  let entries = 0;
  let skipped = 0;
  for (const text of lines) {
    if (text === '') continue;
    const entry = parseLine(text);
    if (entry === undefined) {
      skipped += 1;
      continue;
    }
    live.apply(entry);
    entries += 1;
  }
  return { live, entries, tornTail: tail !== '', skipped };
};

/** The file operations the journal needs; tests pass their own to see when an answer may go out. */
export interface JournalFile {
  append(data: string): Promise<void>;
  /** fdatasync: the appended bytes are on disk when this resolves. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface JournalFs {
  read(path: string): Promise<string | undefined>;
  openForAppend(path: string): Promise<JournalFile>;
  /** Atomically replaces `path` with `data`: write a temp file, fsync it, rename, fsync the directory. */
  replace(path: string, data: string): Promise<void>;
}

const fileOf = (handle: FileHandle): JournalFile => ({
  append: async (data) => {
    await handle.appendFile(data);
  },
  sync: () => handle.datasync(),
  close: () => handle.close(),
});

export const nodeJournalFs: JournalFs = {
  read: (path) =>
    readFile(path, 'utf8').catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }),
  openForAppend: async (path) => fileOf(await open(path, 'a', 0o600)),
  replace: async (path, data) => {
    const temp = `${path}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  },
};

export class JournalFailedError extends Error {
  override readonly name = 'JournalFailedError';
}

export interface JournalOptions {
  readonly fs?: JournalFs;
  /** Compact while running once the file has this many lines and at least twice as many as live messages. */
  readonly compactAfterLines?: number;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The open journal. `append` applies entries to the live set at once and resolves only after they are
 * written and synced. Group commit: appends that arrive while a write+fsync is under way wait for it and
 * then go out together in one write+fsync, so concurrent senders share the cost of a sync.
 * After a failed write the journal refuses every later append (the file may end in a partial line that
 * the next entry would corrupt): the proxy then answers errors, and nothing more is acknowledged.
 */
export class QueueJournal {
  private pending: string[] = [];
  private pendingLines = 0;
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private failure: JournalFailedError | undefined;
  private linesInFile: number;

  private constructor(
    private readonly path: string,
    private readonly fs: JournalFs,
    private file: JournalFile,
    readonly live: LiveMessages,
    private readonly compactAfterLines: number,
  ) {
    this.linesInFile = live.size;
  }

  /** Writes `live` as a fresh, compacted journal at `path` (atomically) and opens it for appending. */
  static async create(path: string, live: LiveMessages, options: JournalOptions = {}): Promise<QueueJournal> {
    const fs = options.fs ?? nodeJournalFs;
    await fs.replace(path, live.toJournalText());
    const file = await fs.openForAppend(path);
    return new QueueJournal(path, fs, file, live, options.compactAfterLines ?? 200_000);
  }

  append(entries: readonly JournalEntry[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (entries.length === 0) return Promise.resolve();
    for (const entry of entries) this.live.apply(entry);
    this.pending.push(entries.map(line).join(''));
    this.pendingLines += entries.length;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private fail(error: unknown): void {
    this.failure = new JournalFailedError(
      `queue journal ${this.path}: ${error instanceof Error ? error.message : String(error)}`,
    );
    const waiters = this.waiters;
    this.pending = [];
    this.pendingLines = 0;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(this.failure);
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failure) {
        const data = this.pending.join('');
        const lines = this.pendingLines;
        const waiters = this.waiters;
        this.pending = [];
        this.pendingLines = 0;
        this.waiters = [];
        try {
          await this.file.append(data);
          await this.file.sync();
        } catch (error) {
          this.waiters.unshift(...waiters);
          this.fail(error);
          return;
        }
        this.linesInFile += lines;
        for (const waiter of waiters) waiter.resolve();
        if (this.pending.length === 0 && this.shouldCompact()) await this.compact();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private shouldCompact(): boolean {
    return this.linesInFile >= this.compactAfterLines && this.linesInFile > 2 * this.live.size;
  }

  /**
   * Only called with nothing pending, so the live set is exactly what the file says. Appends that arrive
   * meanwhile wait in `pending` and go to the new file.
   */
  private async compact(): Promise<void> {
    const text = this.live.toJournalText();
    const lines = this.live.size;
    try {
      await this.fs.replace(this.path, text);
      const old = this.file;
      this.file = await this.fs.openForAppend(this.path);
      await old.close().catch(() => undefined);
      this.linesInFile = lines;
    } catch (error) {
      // The rename may or may not have happened: appending to the old file could lose entries.
      this.fail(error);
    }
  }

  /** Waits for every append, optionally compacts, and closes the file. */
  async close({ compact = false }: { compact?: boolean } = {}): Promise<void> {
    while (this.flushing) await this.flushing;
    if (compact && !this.failure) await this.compact();
    await this.file.close();
  }
}
