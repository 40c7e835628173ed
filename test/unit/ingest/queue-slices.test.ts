import { describe, expect, it } from 'vitest';
import { makeSubmitResults } from '../../../functions/domain/ingest.js';
import type { QueuedResult } from '../../../functions/schemas/queued-result.js';
import { aResult } from '../../support/fixtures.js';
import { fixedClock, lab, NOW, pepper, RETENTION_DAYS } from './support.js';

const batchOf = (count: number) => ({
  results: Array.from({ length: count }, (_, i) => aResult({ sampleId: `S-${i}` }, NOW)),
});

/** A queue whose sends the test settles by hand. */
const heldQueue = () => {
  const sends: { messages: readonly QueuedResult[]; settle: (error?: Error) => void }[] = [];
  return {
    sends,
    port: {
      send: (messages: readonly QueuedResult[]) =>
        new Promise<void>((resolve, reject) => {
          sends.push({ messages, settle: (error) => (error ? reject(error) : resolve()) });
        }),
    },
  };
};

const submitter = (queue: ReturnType<typeof heldQueue>) =>
  makeSubmitResults({
    rules: { clock: fixedClock(), retentionDays: RETENTION_DAYS },
    pepper: async () => pepper,
    queue: queue.port,
  });

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

describe('queueing a batch while it is checked', () => {
  it('starts queueing the first results before the last ones are checked, each result once', async () => {
    // Checking reads the clock a few times per result: the count tells how far checking got.
    let checked = 0;
    const checkedAtEachSend: number[] = [];
    const sent: QueuedResult[] = [];
    const submit = makeSubmitResults({
      rules: {
        clock: {
          now: () => {
            checked += 1;
            return NOW;
          },
        },
        retentionDays: RETENTION_DAYS,
      },
      pepper: async () => pepper,
      queue: {
        send: async (messages) => {
          checkedAtEachSend.push(checked);
          sent.push(...messages);
        },
      },
    });

    await submit(batchOf(500), lab);

    expect(checkedAtEachSend[0]).toBeLessThan(checked / 5);
    expect(checkedAtEachSend).toEqual([...checkedAtEachSend].sort((a, b) => a - b));
    expect(checkedAtEachSend).toHaveLength(10);
    const sampleIds = sent.map((message) => message.sampleId);
    expect(new Set(sampleIds).size).toBe(500);
    expect(sampleIds).toHaveLength(500);
  });

  it('answers only once every slice is queued', async () => {
    const queue = heldQueue();
    const answer = submitter(queue)(batchOf(120), lab);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [first, ...rest] = queue.sends;
    for (const send of rest) send.settle();

    expect(await settled(answer)).toBe(false);
    first?.settle();
    await expect(answer).resolves.toMatchObject({ accepted: 120, rejected: 0 });
  });

  it('fails the request when one slice cannot be queued, after every other slice has settled', async () => {
    const queue = heldQueue();
    const answer = submitter(queue)(batchOf(120), lab);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [first, second, third] = queue.sends;
    first?.settle(new Error('queue unavailable'));
    second?.settle();

    expect(await settled(answer)).toBe(false);
    third?.settle();
    await expect(answer).rejects.toThrow('queue unavailable');
  });

  it('sends nothing when no item is accepted', async () => {
    const queue = heldQueue();
    const batch = { results: [{ ...aResult({ sampleId: 'S-1' }, NOW), result: 'MAYBE' }] };

    await submitter(queue)(batch, lab);

    expect(queue.sends).toEqual([]);
  });
});
