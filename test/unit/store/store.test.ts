import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../contract/clock.js';
import {
  ConcurrentUpdateError,
  type SampleRecord,
  type SampleStore,
  storedSpans,
  storeResult,
} from '../../../functions/domain/store.js';
import {
  aSubmission,
  holderOf,
  later,
  plusMinutes,
  queued,
} from '../../integration/store/support/messages.js';
import { memorySamples } from './memory-samples.js';

const NOW = new Date('2021-09-10T10:00:00.000Z');
const clockAt = (date: Date): Clock => ({ now: () => date });
const depsFor = (store: SampleStore, now = NOW) => ({
  samples: store,
  clock: clockAt(now),
  retentionDays: 30,
});
const original = aSubmission({}, NOW);
const OTHER_ID = '022090009999';

/** A point where a writer stops (`stalled`, then `await gate`) until the test has done its part. */
const aGate = () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let stalled = () => {};
  const reachedGate = new Promise<void>((resolve) => {
    stalled = resolve;
  });
  return { gate, release, stalled, reachedGate };
};

describe('storeResult', () => {
  it('stores a first result with storedAt now and a holder copy under its holder', async () => {
    const table = memorySamples();

    const stored = await storeResult(queued(original), depsFor(table.store));

    expect(stored.outcome).toBe('STORED');
    expect(table.sample('lab-1', 'S-1')).toMatchObject({
      result: 'NEGATIVE',
      storedAt: NOW.toISOString(),
      holderKey: holderOf(original),
    });
    expect(table.copiesOf(holderOf(original))).toHaveLength(1);
  });

  it('sets expiresAt to sampledAt plus the retention period in epoch seconds', async () => {
    const table = memorySamples();

    await storeResult(queued(original), { ...depsFor(table.store), retentionDays: 14 });

    const expected = Date.parse(original.sampledAt) / 1000 + 14 * 86_400;
    expect(table.sample('lab-1', 'S-1')?.expiresAt).toBe(expected);
    expect(table.copiesOf(holderOf(original))[0]?.record?.expiresAt).toBe(expected);
  });

  it('changes nothing on an identical resend, and keeps the first storedAt', async () => {
    const table = memorySamples();
    await storeResult(queued(original), depsFor(table.store));
    const before = table.sample('lab-1', 'S-1');

    const stored = await storeResult(
      queued(original),
      depsFor(table.store, new Date('2021-09-10T11:00:00Z')),
    );

    expect(stored.outcome).toBe('DUPLICATE');
    expect(table.sample('lab-1', 'S-1')).toEqual(before);
    expect(table.calls.putSample).toBe(1);
  });

  it('keeps storedAt but moves the version on when the lab resends identical content later', async () => {
    const table = memorySamples();
    await storeResult(queued(original), depsFor(table.store));

    await storeResult(queued(later(original, 30)), depsFor(table.store, new Date('2021-09-10T11:00:00Z')));

    expect(table.sample('lab-1', 'S-1')).toMatchObject({ storedAt: NOW.toISOString(), result: 'NEGATIVE' });
  });

  it('replaces the result with a correction whose resultedAt is later, and sets storedAt to its store time', async () => {
    const table = memorySamples();
    await storeResult(queued(original), depsFor(table.store));
    const correctedAt = new Date('2021-09-10T12:00:00Z');
    const correction = later(original, 60, {
      result: 'POSITIVE',
      resultedAt: plusMinutes(original.resultedAt, 30),
    });

    const stored = await storeResult(queued(correction), depsFor(table.store, correctedAt));

    expect(stored.outcome).toBe('CORRECTED');
    expect(table.sample('lab-1', 'S-1')).toMatchObject({
      result: 'POSITIVE',
      storedAt: correctedAt.toISOString(),
    });
    expect(table.copiesOf(holderOf(original)).map((c) => c.record?.result)).toEqual(['POSITIVE']);
  });

  it('ignores a correction whose resultedAt is earlier than the stored one', async () => {
    const table = memorySamples();
    const newer = later(original, 60, {
      result: 'POSITIVE',
      resultedAt: plusMinutes(original.resultedAt, 30),
    });
    await storeResult(queued(newer), depsFor(table.store));

    const stored = await storeResult(queued(original), depsFor(table.store));

    expect(stored.outcome).toBe('STALE');
    expect(table.sample('lab-1', 'S-1')?.result).toBe('POSITIVE');
    expect(table.copiesOf(holderOf(original)).map((c) => c.record?.result)).toEqual(['POSITIVE']);
  });

  it('replaces the result with a later-submitted correction of equal resultedAt', async () => {
    const table = memorySamples();
    await storeResult(queued(original), depsFor(table.store));

    const stored = await storeResult(queued(later(original, 5, { result: 'INVALID' })), depsFor(table.store));

    expect(stored.outcome).toBe('CORRECTED');
    expect(table.sample('lab-1', 'S-1')?.result).toBe('INVALID');
  });

  it('does not let a late redelivery of an earlier submission with equal resultedAt undo the correction', async () => {
    const table = memorySamples();
    const correction = later(original, 5, { result: 'INVALID' });
    await storeResult(queued(original), depsFor(table.store));
    await storeResult(queued(correction), depsFor(table.store));

    const stored = await storeResult(queued(original), depsFor(table.store));

    expect(stored.outcome).toBe('STALE');
    expect(table.sample('lab-1', 'S-1')?.result).toBe('INVALID');
  });

  it('ends with the last submission when an identical resend overtakes an equal-resultedAt correction', async () => {
    const table = memorySamples();
    const correction = later(original, 5, { result: 'INVALID' });
    const resend = later(original, 10);

    for (const submission of [original, resend, correction]) {
      await storeResult(queued(submission), depsFor(table.store));
    }

    expect(table.sample('lab-1', 'S-1')?.result).toBe('NEGATIVE');
  });

  it('moves the result to the corrected holder when a correction changes the ID number', async () => {
    const table = memorySamples();
    const corrected = later(original, 60, {
      idNumber: OTHER_ID,
      resultedAt: plusMinutes(original.resultedAt, 1),
    });
    await storeResult(queued(original), depsFor(table.store));

    await storeResult(queued(corrected), depsFor(table.store));

    expect(table.copiesOf(holderOf(original))).toEqual([]);
    expect(table.copiesOf(holderOf(corrected))).toHaveLength(1);
    expect(table.sample('lab-1', 'S-1')?.previousHolderKeys).toEqual([holderOf(original)]);
  });

  it('moves the result back when a second correction restores the first ID number', async () => {
    const table = memorySamples();
    const moved = later(original, 60, {
      idNumber: OTHER_ID,
      resultedAt: plusMinutes(original.resultedAt, 1),
    });
    const back = later(original, 120, { resultedAt: plusMinutes(original.resultedAt, 2) });

    for (const submission of [original, moved, back]) {
      await storeResult(queued(submission), depsFor(table.store));
    }

    expect(table.copiesOf(holderOf(moved))).toEqual([]);
    expect(table.copiesOf(holderOf(original))).toHaveLength(1);
  });

  it('heals a crash between the sample write and the holder write on redelivery', async () => {
    const table = memorySamples();
    const crashing: SampleStore = {
      ...table.store,
      putHolderCopy: () => Promise.reject(new Error('crash')),
    };
    await expect(storeResult(queued(original), depsFor(crashing))).rejects.toThrow('crash');
    expect(table.allCopies()).toEqual([]);

    const stored = await storeResult(queued(original), depsFor(table.store));

    expect(stored.outcome).toBe('DUPLICATE');
    expect(table.copiesOf(holderOf(original))).toHaveLength(1);
  });

  it('leaves no copy under the old holder when a slow writer of the old version finishes after the correction', async () => {
    // Given a first version whose writer stalls right after its sample write
    const table = memorySamples();
    const corrected = later(original, 60, {
      idNumber: OTHER_ID,
      resultedAt: plusMinutes(original.resultedAt, 1),
    });
    const { gate, release, stalled, reachedGate } = aGate();
    const slow: SampleStore = {
      ...table.store,
      putHolderCopy: async (record: SampleRecord) => {
        if (record.holderKey === holderOf(original)) {
          stalled();
          await gate;
        }
        await table.store.putHolderCopy(record);
      },
    };
    const first = storeResult(queued(original), depsFor(slow));
    await reachedGate;

    // When the correction to another holder is stored meanwhile, and then the slow writer goes on
    await storeResult(queued(corrected), depsFor(table.store));
    release();
    await first;

    // Then only the corrected holder has the result
    expect(table.copiesOf(holderOf(original))).toEqual([]);
    expect(table.copiesOf(holderOf(corrected))).toHaveLength(1);
  });

  it('leaves nothing under the old holder when a writer of the old version crashes after a late copy write', async () => {
    // Given a writer of the first version that stalls after its sample write, and crashes after its copy
    const table = memorySamples();
    const corrected = later(original, 60, {
      idNumber: OTHER_ID,
      resultedAt: plusMinutes(original.resultedAt, 1),
    });
    const { gate, release, stalled, reachedGate } = aGate();
    const crashing: SampleStore = {
      ...table.store,
      putHolderCopy: async (record: SampleRecord) => {
        stalled();
        await gate;
        await table.store.putHolderCopy(record);
        throw new Error('crash after the copy');
      },
    };
    const first = storeResult(queued(original), depsFor(crashing));
    await reachedGate;
    await storeResult(queued(corrected), depsFor(table.store));
    release();
    await expect(first).rejects.toThrow('crash after the copy');

    // When its message is delivered again
    const stored = await storeResult(queued(original), depsFor(table.store));

    // Then it is stale, and the old holder has never had the result back
    expect(stored.outcome).toBe('STALE');
    expect(table.copiesOf(holderOf(original))).toEqual([]);
    expect(table.copiesOf(holderOf(corrected))).toHaveLength(1);
  });

  it('does not store a result sampled longer ago than the retention period', async () => {
    const table = memorySamples();
    const old = aSubmission({ sampledAt: '2021-08-01T00:00:00.000Z' }, NOW);

    const stored = await storeResult(queued(old), depsFor(table.store));

    expect(stored).toEqual({ outcome: 'EXPIRED', record: undefined });
    expect(table.sample('lab-1', 'S-1')).toBeUndefined();
  });

  it('gives the message back with ConcurrentUpdateError when every sample write loses a race', async () => {
    const table = memorySamples();
    const losing: SampleStore = { ...table.store, putSample: async () => false };

    await expect(storeResult(queued(original), depsFor(losing))).rejects.toThrow(ConcurrentUpdateError);
  });
});

describe('storedSpans', () => {
  it('keeps the earliest and latest storedAt per lab, whatever order the records settle in', () => {
    const spans = storedSpans();

    spans.add('lab-a', '2021-09-10T08:00:02.000Z');
    spans.add('lab-b', '2021-09-10T08:00:05.000Z');
    spans.add('lab-a', '2021-09-10T08:00:01.000Z');
    spans.add('lab-a', '2021-09-10T08:00:03.000Z');

    expect(spans.byLab()).toEqual([
      ['lab-a', { first: '2021-09-10T08:00:01.000Z', last: '2021-09-10T08:00:03.000Z' }],
      ['lab-b', { first: '2021-09-10T08:00:05.000Z', last: '2021-09-10T08:00:05.000Z' }],
    ]);
  });
});
