import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../contract/clock.js';
import { makeHolderResults } from '../../../functions/adapters/holder-results.js';
import { makeResultsTable } from '../../../functions/adapters/results-table.js';
import { type SampleStore, storeResult } from '../../../functions/domain/store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { aSubmission, holderOf, later, plusMinutes, queued, type Submission } from './support/messages.js';
import { holderItems, sampleItems, scanAll } from './support/table.js';

/**
 * The store against dynalite: the real adapter's conditional writes, with the contract's delivery cases.
 * Each test uses its own lab, so the table can be shared.
 */
let emulators: TestEmulators;
let labCounter = 0;

beforeAll(async () => {
  emulators = await startTestEmulators();
});
afterAll(async () => {
  await emulators.stop();
});

const NOW = new Date();
let lab = '';
beforeEach(() => {
  labCounter += 1;
  lab = `lab-store-${labCounter}`;
});

const table = () => makeResultsTable(emulators.dynamo, emulators.names.resultsTable);
const holders = () => makeHolderResults(emulators.dynamoClient, emulators.names.resultsTable);
const deps = (samples: SampleStore = table()) => ({ samples, clock: systemClock, retentionDays: 30 });
const submission = (overrides: Partial<Submission> = {}) => aSubmission({ labId: lab, ...overrides }, NOW);
const store = (s: Submission, samples?: SampleStore) => storeResult(queued(s), deps(samples));

/** The real store, except that its first holder-copy write fails: a crash between a store's two writes. */
const crashingOnceBeforeHolderWrite = (real: SampleStore): SampleStore => {
  let failures = 1;
  return {
    ...real,
    putHolderCopy: (record) => {
      if (failures-- > 0) return Promise.reject(new Error('crash before the holder write'));
      return real.putHolderCopy(record);
    },
  };
};

/** The items of this test's lab, as they are in the table. */
const itemsOfLab = async () => {
  const items = (await scanAll(emulators.dynamo, emulators.names.resultsTable)).filter(
    (item) => item.labId === lab,
  );
  return { samples: sampleItems(items), copies: holderItems(items) };
};

describe('the result store against dynalite', () => {
  it('writes one sample item and one holder copy, each with expiresAt = sampledAt + 30 days', async () => {
    const result = submission();

    await store(result);

    const { samples, copies } = await itemsOfLab();
    const expiresAt = Math.floor(Date.parse(result.sampledAt) / 1000) + 30 * 86_400;
    expect(samples).toEqual([expect.objectContaining({ pk: `SAMPLE#${lab}#S-1`, sk: 'SAMPLE', expiresAt })]);
    expect(copies).toEqual([
      expect.objectContaining({ pk: `HOLDER#${holderOf(result)}`, sk: `RESULT#${lab}#S-1`, expiresAt }),
    ]);
  });

  it('answers a duplicate delivery with DUPLICATE and leaves the items exactly as they were', async () => {
    const result = submission();
    await store(result);
    const before = await itemsOfLab();

    const again = await store(result);

    expect(again.outcome).toBe('DUPLICATE');
    expect(await itemsOfLab()).toEqual(before);
  });

  it('stores one version when the same message is delivered twenty times at once', async () => {
    const result = submission();

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store(result)));

    expect(outcomes.filter((o) => o.outcome === 'STORED')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'DUPLICATE')).toHaveLength(19);
    const { samples, copies } = await itemsOfLab();
    expect(samples).toHaveLength(1);
    expect(copies).toHaveLength(1);
  });

  it('ends with the newest correction whatever the order the versions arrive in', async () => {
    const first = submission();
    const second = later(first, 10, { result: 'POSITIVE', resultedAt: plusMinutes(first.resultedAt, 10) });
    const third = later(first, 20, { result: 'INVALID', resultedAt: plusMinutes(first.resultedAt, 20) });

    for (const s of [third, first, second]) await store(s);

    const { samples, copies } = await itemsOfLab();
    expect(samples.map((item) => item.result)).toEqual(['INVALID']);
    expect(copies.map((item) => item.result)).toEqual(['INVALID']);
  });

  it('applies a correction with a later resultedAt and ignores one with an earlier resultedAt', async () => {
    const first = submission();
    const newer = later(first, 10, { result: 'POSITIVE', resultedAt: plusMinutes(first.resultedAt, 10) });
    const older = later(first, 20, { result: 'INVALID', resultedAt: plusMinutes(first.resultedAt, -10) });

    const outcomes = [await store(first), await store(newer), await store(older)].map((o) => o.outcome);

    expect(outcomes).toEqual(['STORED', 'CORRECTED', 'STALE']);
    const { copies } = await itemsOfLab();
    expect(copies.map((item) => item.result)).toEqual(['POSITIVE']);
  });

  it('keeps telling the lab a corrected sample is stored while its new holder copy is being written', async () => {
    // Given a stored result, and a store that fails once right after writing a correction's sample item
    const first = submission();
    await store(first);
    const real = table();
    const crashing = crashingOnceBeforeHolderWrite(real);
    const correction = later(first, 10, {
      result: 'POSITIVE',
      resultedAt: plusMinutes(first.resultedAt, 10),
    });

    // When the correction is cut off between its two writes
    await expect(store(correction, crashing)).rejects.toThrow('crash before the holder write');

    // Then the lab still hears "stored" (the sample item's version), never "not stored" in between
    expect(await real.getStoredSample(lab, first.sampleId)).toMatchObject({ result: 'POSITIVE' });
    expect((await itemsOfLab()).copies.map((item) => item.result)).toEqual(['NEGATIVE']);
  });

  it('moves the result to the corrected holder, so the old holder no longer sees it', async () => {
    const mistyped = submission({ idNumber: '022090001111' });
    const corrected = later(mistyped, 30, {
      idNumber: '022090002222',
      resultedAt: plusMinutes(mistyped.resultedAt, 1),
    });
    await store(mistyped);

    await store(corrected);

    expect(await holders().forHolder(holderOf(mistyped))).toEqual([]);
    expect(await holders().forHolder(holderOf(corrected))).toEqual([
      expect.objectContaining({ labId: lab, sampleId: 'S-1', result: 'NEGATIVE' }),
    ]);
  });

  it('heals a crash between the sample write and the holder write when the message is redelivered, and says stored only then', async () => {
    // Given a store that fails once, right after the sample item is written
    const result = submission();
    const real = table();
    const crashing = crashingOnceBeforeHolderWrite(real);
    await expect(store(result, crashing)).rejects.toThrow('crash before the holder write');
    expect((await itemsOfLab()).copies).toEqual([]);
    // A lab asking now hears "not stored (yet)": no checkpoint could see the result.
    const heardBefore = await real.getStoredSample(lab, result.sampleId);

    // When the message comes back
    const redelivered = await store(result, crashing);

    // Then the holder copy is there, as if nothing had happened, and the lab hears it is stored
    expect(heardBefore).toBeUndefined();
    expect(await real.getStoredSample(lab, result.sampleId)).toMatchObject({ result: 'NEGATIVE' });
    expect(redelivered.outcome).toBe('DUPLICATE');
    const { samples, copies } = await itemsOfLab();
    expect(samples).toHaveLength(1);
    expect(copies).toEqual([expect.objectContaining({ result: 'NEGATIVE', version: samples[0]?.version })]);
  });
});
