import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type JournalEntry,
  JournalFailedError,
  type JournalFile,
  type JournalFs,
  LiveMessages,
  QueueJournal,
  replayJournal,
} from '../../../local/queue-journal.js';

const send = (id: string, queue = 'results', body = `body-${id}`): JournalEntry => ({
  op: 'send',
  id,
  queue,
  body,
});
const text = (...entries: JournalEntry[]) => entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
const liveIds = (live: LiveMessages) => [...live.entries()].map(([id, message]) => `${id}@${message.queue}`);

describe('replaying the queue journal', () => {
  it('keeps sent messages less deleted ones, each in the last queue it moved to, purges included', () => {
    const replayed = replayJournal(
      text(
        send('a'),
        send('b'),
        send('c'),
        { op: 'delete', id: 'a' },
        { op: 'move', id: 'b', queue: 'dlq' },
        send('d', 'other'),
        { op: 'purge', queue: 'other' },
      ),
    );

    expect(liveIds(replayed.live)).toEqual(['b@dlq', 'c@results']);
    expect(replayed.live.countIn('dlq')).toBe(1);
    expect(replayed.live.countIn('other')).toBe(0);
  });

  it('ignores a partial last line (a write cut short) and keeps every entry before it', () => {
    const whole = text(send('a'), send('b'));
    const torn = `${whole}${text(send('c')).slice(0, 25)}`;

    const replayed = replayJournal(torn);

    expect(replayed.tornTail).toBe(true);
    expect(replayed.entries).toBe(2);
    expect(liveIds(replayed.live)).toEqual(['a@results', 'b@results']);
  });

  it('skips a damaged line in the middle and keeps the entries around it', () => {
    const replayed = replayJournal(`${text(send('a'))}{"op":"send","id":\n${text(send('b'))}`);

    expect(replayed.skipped).toBe(1);
    expect(replayed.tornTail).toBe(false);
    expect(liveIds(replayed.live)).toEqual(['a@results', 'b@results']);
  });
});

describe('the journal on disk', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resultgate-journal-'));
    path = join(dir, 'queue-journal.ndjson');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has every appended entry in the file when append resolves', async () => {
    const journal = await QueueJournal.create(path, new LiveMessages());

    await journal.append([send('a'), send('b')]);
    const onDisk = await readFile(path, 'utf8');
    await journal.close();

    expect(liveIds(replayJournal(onDisk).live)).toEqual(['a@results', 'b@results']);
  });

  it('compacts at a clean close to one send per live message, which replays to the same set', async () => {
    const journal = await QueueJournal.create(path, new LiveMessages());
    await journal.append([send('a'), send('b'), send('c')]);
    await journal.append([
      { op: 'delete', id: 'a' },
      { op: 'move', id: 'c', queue: 'dlq' },
    ]);

    await journal.close({ compact: true });
    const compacted = await readFile(path, 'utf8');

    expect(compacted).toBe(text(send('b'), { op: 'send', id: 'c', queue: 'dlq', body: 'body-c' }));
    expect(liveIds(replayJournal(compacted).live)).toEqual(['b@results', 'c@dlq']);
  });

  it('replaces a journal that ends in a torn line with a whole one at create', async () => {
    await writeFile(path, `${text(send('a'))}{"op":"se`);
    const replayed = replayJournal(await readFile(path, 'utf8'));

    const journal = await QueueJournal.create(path, replayed.live);
    await journal.append([send('b')]);
    await journal.close();

    expect(await readFile(path, 'utf8')).toBe(text(send('a'), send('b')));
  });

  it('compacts while running once the file is mostly deleted entries, and keeps appending after', async () => {
    const journal = await QueueJournal.create(path, new LiveMessages(), { compactAfterLines: 10 });
    for (let i = 0; i < 6; i += 1) {
      await journal.append([send(`m${i}`)]);
      await journal.append([{ op: 'delete', id: `m${i}` }]);
    }
    await journal.append([send('kept')]);
    const afterCompaction = await readFile(path, 'utf8');
    await journal.append([send('later')]);
    await journal.close();

    expect(afterCompaction.split('\n').length - 1).toBeLessThan(13);
    expect(liveIds(replayJournal(await readFile(path, 'utf8')).live)).toEqual([
      'kept@results',
      'later@results',
    ]);
  });
});

/** A file whose syncs the test releases by hand, recording what was written before each. */
const heldFile = () => {
  const writes: string[] = [];
  const syncs: Array<() => void> = [];
  let synced = '';
  let written = '';
  const file: JournalFile = {
    append: async (data) => {
      writes.push(data);
      written += data;
    },
    sync: () =>
      new Promise<void>((resolve) => {
        syncs.push(() => {
          synced = written;
          resolve();
        });
      }),
    close: async () => undefined,
  };
  const fs: JournalFs = {
    read: async () => undefined,
    openForAppend: async () => file,
    replace: async () => undefined,
  };
  return { fs, writes, syncs, synced: () => synced };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('resolves no append before the sync that covers it, and batches appends made during a sync', async () => {
    const held = heldFile();
    const journal = await QueueJournal.create('/journal', new LiveMessages(), { fs: held.fs });
    const answered: string[] = [];
    const track = (name: string, entries: JournalEntry[]) =>
      journal.append(entries).then(() => {
        // What an answer may claim: its entries are in what was synced.
        for (const entry of entries) expect(held.synced()).toContain(JSON.stringify(entry));
        answered.push(name);
      });

    const first = track('first', [send('a')]);
    await settle();
    const second = track('second', [send('b')]);
    const third = track('third', [send('c'), send('d')]);
    await settle();

    expect(answered).toEqual([]);
    expect(held.writes).toHaveLength(1);

    held.syncs[0]?.();
    await first;
    await settle();
    expect(answered).toEqual(['first']);
    // The two appends made during the first sync go out in one write and one sync.
    expect(held.writes).toHaveLength(2);
    expect(held.writes[1]).toBe(text(send('b'), send('c'), send('d')));

    held.syncs[1]?.();
    await Promise.all([second, third]);
    expect(answered).toEqual(['first', 'second', 'third']);
    expect(held.syncs).toHaveLength(2);
  });

  it('refuses every later append once a write failed, so nothing more is acknowledged', async () => {
    const held = heldFile();
    const failing: JournalFs = {
      ...held.fs,
      openForAppend: async () => ({
        append: async () => {
          throw new Error('ENOSPC: no space left on device');
        },
        sync: async () => undefined,
        close: async () => undefined,
      }),
    };
    const journal = await QueueJournal.create('/journal', new LiveMessages(), { fs: failing });

    await expect(journal.append([send('a')])).rejects.toThrow(JournalFailedError);
    await expect(journal.append([send('b')])).rejects.toThrow(/ENOSPC/);
  });
});
