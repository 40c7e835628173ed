import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../contract/clock.js';
import type { Principal } from '../../../functions/domain/registry.js';
import {
  publishedWindows,
  type Revocation,
  type Revocations,
  revokeResults,
} from '../../../functions/domain/revocations.js';
import { type SampleRecord, type SampleStore, storeResult } from '../../../functions/domain/store.js';
import { withdrawResult } from '../../../functions/domain/withdraw-result.js';
import {
  aSubmission,
  holderOf,
  later,
  plusMinutes,
  queued,
} from '../../integration/store/support/messages.js';
import { memorySamples } from './memory-samples.js';

const NOW = new Date('2021-09-10T10:00:00.000Z');
const clock: Clock = { now: () => NOW };
const storeDeps = (samples: SampleStore) => ({ samples, clock, retentionDays: 30 });
const original = aSubmission({}, NOW);
const correction = later(original, 30, {
  result: 'POSITIVE',
  resultedAt: plusMinutes(original.resultedAt, 5),
});

/** The results table of memory-samples.ts, with the lab's samples found by scanning it. */
const revocable = (table: ReturnType<typeof memorySamples>, keys: { labId: string; sampleId: string }[]) => ({
  ...table.store,
  samplesOfLab: async ({ labId, from, to }: { labId: string; from: string; to: string }) =>
    keys.filter((key) => {
      const sample = table.sample(key.labId, key.sampleId);
      return key.labId === labId && sample !== undefined && sample.sampledAt >= from && sample.sampledAt < to;
    }),
});
const memoryRevocations = (): Revocations & { all: Map<string, Revocation> } => {
  const all = new Map<string, Revocation>();
  return {
    all,
    async record(revocation) {
      const stored = all.get(revocation.id);
      if (stored) return { stored, created: false };
      all.set(revocation.id, revocation);
      return { stored: revocation, created: true };
    },
    async setSamples(id, samples) {
      const stored = all.get(id);
      if (stored) all.set(id, { ...stored, samples });
    },
    list: async () => [...all.values()],
  };
};
const lab: Principal = {
  id: 'lab-1',
  role: 'lab',
  name: 'CDC',
  status: 'ACTIVE',
  createdAt: NOW.toISOString(),
  credentialHash: 'h',
};
const registry = { get: async (id: string) => (id === lab.id ? lab : undefined) };

describe('withdrawing a result', () => {
  it('marks the sample and its holder copy, so a checkpoint no longer counts it; a repeat keeps the first time', async () => {
    const table = memorySamples();
    await storeResult(queued(original), storeDeps(table.store));

    expect(await withdrawResult('lab-1', 'S-1', { samples: table.store, clock })).toBe(true);
    const firstMark = table.sample('lab-1', 'S-1')?.withdrawnAt;
    const later = { now: () => new Date(NOW.getTime() + 60_000) };
    expect(await withdrawResult('lab-1', 'S-1', { samples: table.store, clock: later })).toBe(true);

    expect(firstMark).toBe(NOW.toISOString());
    expect(table.sample('lab-1', 'S-1')?.withdrawnAt).toBe(NOW.toISOString());
    expect(table.copiesOf(holderOf(original))).toHaveLength(1);
    expect(table.countedOf(holderOf(original))).toEqual([]);
  });

  it('answers false for a sample the lab has not stored (another lab’s, or not yet)', async () => {
    const table = memorySamples();
    await storeResult(queued(original), storeDeps(table.store));

    expect(await withdrawResult('lab-2', 'S-1', { samples: table.store, clock })).toBe(false);
    expect(await withdrawResult('lab-1', 'S-2', { samples: table.store, clock })).toBe(false);
    expect(table.countedOf(holderOf(original))).toHaveLength(1);
  });

  it('stays withdrawn when a correction of the sample is stored afterwards', async () => {
    const table = memorySamples();
    await storeResult(queued(original), storeDeps(table.store));
    await withdrawResult('lab-1', 'S-1', { samples: table.store, clock });

    const stored = await storeResult(queued(correction), storeDeps(table.store));

    expect(stored.outcome).toBe('CORRECTED');
    expect(table.sample('lab-1', 'S-1')).toMatchObject({
      result: 'POSITIVE',
      withdrawnAt: NOW.toISOString(),
    });
    expect(table.countedOf(holderOf(original))).toEqual([]);
  });

  it('stays withdrawn when a correction read the sample before the withdrawal and writes after it', async () => {
    // Given a correction that has read the unmarked sample and stalls before writing it
    const table = memorySamples();
    await storeResult(queued(original), storeDeps(table.store));
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = () => {};
    const reachedGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let stalledOnce = false;
    const slow: SampleStore = {
      ...table.store,
      putSample: async (record: SampleRecord, expected: SampleRecord | undefined) => {
        if (!stalledOnce) {
          stalledOnce = true;
          reached();
          await gate;
        }
        return table.store.putSample(record, expected);
      },
    };
    const correcting = storeResult(queued(correction), storeDeps(slow));
    await reachedGate;

    // When the lab withdraws meanwhile, and the correction goes on
    await withdrawResult('lab-1', 'S-1', { samples: table.store, clock });
    release();
    await correcting;

    // Then the correction was decided again on the marked sample: stored, and still withdrawn
    expect(table.sample('lab-1', 'S-1')).toMatchObject({
      result: 'POSITIVE',
      withdrawnAt: NOW.toISOString(),
    });
    expect(table.countedOf(holderOf(original))).toEqual([]);
  });

  it('stays withdrawn when a late holder-copy write of the unmarked version lands after the withdrawal', async () => {
    const table = memorySamples();
    const { record } = await storeResult(queued(original), storeDeps(table.store));
    await withdrawResult('lab-1', 'S-1', { samples: table.store, clock });

    if (record === undefined) throw new Error('stored');
    await table.store.putHolderCopy(record);

    expect(table.countedOf(holderOf(original))).toEqual([]);
  });
});

describe('revoking results', () => {
  const inWindow = aSubmission({ sampleId: 'S-1', sampledAt: '2021-09-09T08:00:00.000Z' }, NOW);
  const outside = aSubmission(
    { sampleId: 'S-2', idNumber: '022090009999', sampledAt: '2021-09-10T08:00:00.000Z' },
    NOW,
  );
  const keys = [
    { labId: 'lab-1', sampleId: 'S-1' },
    { labId: 'lab-1', sampleId: 'S-2' },
  ];
  const window = {
    labId: 'lab-1',
    reason: 'Giấy xét nghiệm giả',
    revokedBy: 'ops',
    from: new Date('2021-09-09T00:00:00Z'),
    to: new Date('2021-09-10T00:00:00Z'),
  };

  it('marks every result of the lab sampled in [from, to), records who, when and why, and is idempotent', async () => {
    const table = memorySamples();
    for (const s of [inWindow, outside]) await storeResult(queued(s), storeDeps(table.store));
    const revocations = memoryRevocations();
    const deps = { registry, samples: revocable(table, keys), revocations, clock };

    const first = await revokeResults(window, deps);
    const again = await revokeResults({ ...window, revokedBy: 'someone else' }, deps);

    expect(first).toMatchObject({ created: true, found: 1 });
    expect(again).toMatchObject({ created: false, found: 1 });
    expect([...revocations.all.values()]).toEqual([
      {
        id: 'lab-1#2021-09-09T00:00:00.000Z#2021-09-10T00:00:00.000Z',
        scope: 'WINDOW',
        labId: 'lab-1',
        from: '2021-09-09T00:00:00.000Z',
        to: '2021-09-10T00:00:00.000Z',
        reason: 'Giấy xét nghiệm giả',
        revokedBy: 'ops',
        revokedAt: NOW.toISOString(),
        samples: 1,
      },
    ]);
    expect(table.sample('lab-1', 'S-1')).toMatchObject({
      revokedAt: NOW.toISOString(),
      revocationId: first.revocation.id,
    });
    expect(table.countedOf(holderOf(inWindow))).toEqual([]);
    expect(table.countedOf(holderOf(outside))).toHaveLength(1);
  });

  it('takes a revoked positive out of the verdict as well', async () => {
    const table = memorySamples();
    const positive = aSubmission(
      { sampleId: 'S-1', result: 'POSITIVE', sampledAt: '2021-09-09T08:00:00.000Z' },
      NOW,
    );
    await storeResult(queued(positive), storeDeps(table.store));

    await revokeResults(window, {
      registry,
      samples: revocable(table, keys),
      revocations: memoryRevocations(),
      clock,
    });

    expect(table.countedOf(holderOf(positive))).toEqual([]);
  });

  it('refuses an empty reason, from not before to, an unknown lab and a sample that is not stored', async () => {
    const table = memorySamples();
    const deps = { registry, samples: revocable(table, keys), revocations: memoryRevocations(), clock };

    await expect(revokeResults({ ...window, reason: ' ' }, deps)).rejects.toThrow(/--reason must be 1-500/);
    await expect(revokeResults({ ...window, reason: 'Giả\n\u001b[2J' }, deps)).rejects.toThrow(
      /control characters or line breaks/,
    );
    await expect(revokeResults({ ...window, to: window.from }, deps)).rejects.toThrow(
      /--from must be before --to/,
    );
    await expect(revokeResults({ ...window, labId: 'lab-9' }, deps)).rejects.toThrow(/No lab lab-9/);
    await expect(
      revokeResults({ labId: 'lab-1', reason: 'x', revokedBy: 'ops', sampleId: 'S-9' }, deps),
    ).rejects.toThrow(/no stored result/);
    expect(deps.revocations.all.size).toBe(0);
  });

  it('publishes a window until results sampled in it have expired, and never a single sample', () => {
    const records: Revocation[] = [
      {
        id: 'a',
        scope: 'WINDOW',
        labId: 'lab-1',
        from: '2021-08-01T00:00:00.000Z',
        to: '2021-08-11T00:00:00.000Z',
        reason: 'r',
        revokedBy: 'o',
        revokedAt: 'x',
        samples: 0,
      },
      {
        id: 'b',
        scope: 'SAMPLE',
        labId: 'lab-2',
        sampleId: 'S-1',
        reason: 'r',
        revokedBy: 'o',
        revokedAt: 'x',
        samples: 1,
      },
    ];

    expect(publishedWindows(records, new Date('2021-09-09T23:59:59Z'), 30)).toEqual([
      { labId: 'lab-1', from: '2021-08-01T00:00:00.000Z', to: '2021-08-11T00:00:00.000Z' },
    ]);
    expect(publishedWindows(records, new Date('2021-09-09T00:00:00Z'), 29)).toEqual([]);
  });
});
