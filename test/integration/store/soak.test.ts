import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../contract/clock.js';
import { makeResultsTable } from '../../../functions/adapters/results-table.js';
import { type SampleStore, storeResult } from '../../../functions/domain/store.js';
import type { IdType, Outcome } from '../../../functions/schemas/common.js';
import type { QueuedResult } from '../../../functions/schemas/queued-result.js';
import { ensureTables, LOCAL_NAMES, localDynamoClient } from '../../../local/emulators.js';
import { startDynaliteThread } from './support/dynalite-thread.js';
import { aSubmission, holderOf, queued, type Submission } from './support/messages.js';
import { type Item, scanAll } from './support/table.js';

/**
 * Model-based soak: 10,000 results (first results, corrections later and earlier, corrections of the ID,
 * equal-resultedAt corrections, identical resends) delivered with random duplication, reordering,
 * bursts of concurrent duplicates and injected failures (retried as SQS would redeliver), stored with
 * bounded parallelism against dynalite. Then every item of the table is compared with what a simple model
 * of the contract says: per sample, the submission with the latest (resultedAt, receivedAt) wins.
 * Reproduce a run with SOAK_SEED=<seed> (the data, the delivery order and the failure draws follow it;
 * the interleaving of parallel stores does not).
 */
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RESULTS = Number(process.env.SOAK_RESULTS ?? 10_000);
const LABS = 40;
const HOLDERS = 3_000;
const CONCURRENCY = 16;
const FAILURE_RATE = 0.02;
const MINUTE = 60_000;

/** mulberry32: small, fast and seedable. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const random = prng(SEED);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
const at = (millis: number) => new Date(millis).toISOString();

const NAMES = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Hoàng Cường', 'Phạm Thu Dung', 'Hoàng Minh Đức'];
const OUTCOMES: readonly Outcome[] = ['NEGATIVE', 'POSITIVE', 'INVALID'];

interface Holder {
  readonly idType: IdType;
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
}

const holders: Holder[] = Array.from({ length: HOLDERS }, (_, i) => ({
  idType: i % 4 === 0 ? 'PASSPORT' : 'CMND',
  idNumber: i % 4 === 0 ? `C${String(i).padStart(7, '0')}` : String(100_000_000 + i),
  fullName: pick(NAMES),
  dateOfBirth: `19${int(40, 99)}-0${int(1, 9)}-1${int(0, 9)}`,
}));

/** What the labs submitted, sample by sample, in the order each lab sent it. */
const generate = (now: number): Submission[][] => {
  const samples: Submission[][] = [];
  let count = 0;
  while (count < RESULTS) {
    const sampledAt = now - int(60, 4 * 24 * 60) * MINUTE;
    const first = aSubmission({
      labId: `lab-soak-${int(1, LABS)}`,
      sampleId: `S-${samples.length}`,
      ...pick(holders),
      testType: random() < 0.5 ? 'RT_PCR' : 'RAPID_ANTIGEN',
      result: random() < 0.8 ? 'NEGATIVE' : pick(OUTCOMES),
      sampledAt: at(sampledAt),
      resultedAt: at(sampledAt + int(10, 720) * MINUTE),
      receivedAt: at(sampledAt + int(721, 800) * MINUTE),
    });
    const history = [first];
    count += 1;
    const followUps = random() < 0.3 ? int(1, 3) : 0;
    for (let i = 0; i < followUps && count < RESULTS; i += 1) {
      const previous = history[history.length - 1] ?? first;
      const latestResultedAt = Math.max(...history.map((s) => Date.parse(s.resultedAt)));
      const receivedAt = at(Date.parse(previous.receivedAt) + int(1, 600) * 1000);
      const otherOutcome = pick(OUTCOMES.filter((o) => o !== previous.result));
      const kind = random();
      const next: Submission =
        kind < 0.3
          ? { ...pick(history), receivedAt } // identical resend
          : kind < 0.55
            ? {
                ...previous,
                result: otherOutcome,
                resultedAt: at(latestResultedAt + int(1, 120) * MINUTE),
                receivedAt,
              }
            : kind < 0.7
              ? {
                  ...previous,
                  result: otherOutcome,
                  resultedAt: at(Date.parse(first.resultedAt) - int(1, 9) * MINUTE),
                  receivedAt,
                } // an older correction
              : kind < 0.88
                ? {
                    ...previous,
                    ...pick(holders),
                    resultedAt: at(latestResultedAt + int(1, 120) * MINUTE),
                    receivedAt,
                  }
                : { ...previous, result: otherOutcome, resultedAt: at(latestResultedAt), receivedAt };
      history.push(next);
      count += 1;
    }
    samples.push(history);
  }
  return samples;
};

/** The contract as a model: the submission with the latest resultedAt, then the latest receipt. */
const winnerOf = (history: readonly Submission[]): Submission =>
  history.reduce((best, s) =>
    s.resultedAt > best.resultedAt || (s.resultedAt === best.resultedAt && s.receivedAt > best.receivedAt)
      ? s
      : best,
  );

const shuffle = <T>(items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i];
    const b = items[j];
    if (a !== undefined && b !== undefined) {
      items[i] = b;
      items[j] = a;
    }
  }
  return items;
};

class InjectedFailure extends Error {
  override readonly name = 'InjectedFailure';
}

/** Fails a fraction of calls, half before the call reaches the table and half after it took effect. */
const failing = (store: SampleStore, rate: number, counter: { injected: number }): SampleStore => {
  const chance = prng(SEED ^ 0x5eed);
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (chance() < rate / 2) {
        counter.injected += 1;
        throw new InjectedFailure('before the write');
      }
      const out = await call(...args);
      if (chance() < rate / 2) {
        counter.injected += 1;
        throw new InjectedFailure('after the write');
      }
      return out;
    };
  return {
    getSample: wrap(store.getSample),
    putSample: wrap(store.putSample),
    putHolderCopy: wrap(store.putHolderCopy),
    putHolderTombstone: wrap(store.putHolderTombstone),
    markSample: wrap(store.markSample),
  };
};

const COPY_FIELDS = [
  'labId',
  'labName',
  'sampleId',
  'testType',
  'result',
  'sampledAt',
  'resultedAt',
  'maskedName',
  'birthYear',
  'birthDateCheck',
  'expiresAt',
  'keyVersion',
] as const;

let db: Awaited<ReturnType<typeof startDynaliteThread>>;
let dynamo: DynamoDBDocumentClient;

beforeAll(async () => {
  db = await startDynaliteThread();
  const client = localDynamoClient(db.endpoint);
  await ensureTables(client);
  dynamo = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  dynamo.destroy();
  await db.close();
});

describe('the result store under at-least-once delivery (soak)', () => {
  it('ends with exactly the state the contract model says, nothing lost, nothing extra', async () => {
    // Given 10,000 submissions and their deliveries: duplicated, reordered, some in concurrent bursts
    const started = Date.now();
    const now = Date.now();
    const samples = generate(now);
    const submissions = samples.flat();
    const deliveries: QueuedResult[] = [];
    let duplicates = 0;
    for (const s of submissions) {
      const message = queued(s);
      deliveries.push(message);
      if (random() < 0.1) {
        const extra = int(1, 2);
        duplicates += extra;
        for (let i = 0; i < extra; i += 1) deliveries.push(message);
      }
    }
    shuffle(deliveries);
    for (let i = 0; i < 30; i += 1) {
      const index = int(0, deliveries.length - 1);
      const burst = deliveries[index];
      if (burst === undefined) continue;
      deliveries.splice(index, 0, burst, burst, burst);
      duplicates += 3;
    }

    // When they are stored by 16 parallel consumers, a failed delivery coming back later
    const counter = { injected: 0 };
    const table = makeResultsTable(dynamo, LOCAL_NAMES.resultsTable);
    const samplesPort = failing(table, FAILURE_RATE, counter);
    const pending = [...deliveries];
    let attempts = 0;
    let redeliveries = 0;
    const consume = async () => {
      for (let message = pending.shift(); message !== undefined; message = pending.shift()) {
        attempts += 1;
        const ok = await storeResult(message, {
          samples: samplesPort,
          clock: systemClock,
          retentionDays: 30,
        })
          .then(() => true)
          .catch((error: unknown) => {
            if (!(error instanceof InjectedFailure)) throw error;
            return false;
          });
        if (!ok) {
          redeliveries += 1;
          pending.splice(int(0, pending.length), 0, message);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, consume));
    const stored = Date.now();

    // Then every item is what the model says
    const items = await scanAll(dynamo, LOCAL_NAMES.resultsTable);
    const byKey = new Map(items.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
    const mismatches: string[] = [];
    let mismatchCount = 0;
    const check = (ok: boolean, what: string) => {
      if (!ok) {
        mismatchCount += 1;
        if (mismatches.length < 20) mismatches.push(what);
      }
    };
    let expectedItems = 0;
    for (const history of samples) {
      const winner = winnerOf(history);
      const message = queued(winner);
      const id = `${winner.labId}#${winner.sampleId}`;
      const sample = byKey.get(`SAMPLE#${id}|SAMPLE`);
      expectedItems += 1;
      check(sample !== undefined, `${id}: sample item lost`);
      if (sample === undefined) continue;
      const version = `${message.resultedAt}|${message.receivedAt}|${message.contentDigest}`;
      const expectedSample: Item = {
        holderKey: message.holderKey,
        contentDigest: message.contentDigest,
        version,
        ...Object.fromEntries(COPY_FIELDS.map((field) => [field, expectedCopyField(message, field)])),
      };
      for (const [field, value] of Object.entries(expectedSample)) {
        check(
          sample[field] === value,
          `${id}: sample ${field} is ${String(sample[field])}, expected ${String(value)}`,
        );
      }
      check(
        typeof sample.storedAt === 'string' && Date.parse(String(sample.storedAt)) >= started,
        `${id}: storedAt`,
      );
      const submittedHolders = new Set(history.map((s) => holderOf(s)));
      const previous = Array.isArray(sample.previousHolderKeys) ? sample.previousHolderKeys.map(String) : [];
      check(
        previous.every((h) => submittedHolders.has(h) && h !== message.holderKey),
        `${id}: previousHolderKeys not from its submissions`,
      );
      const copy = byKey.get(`HOLDER#${message.holderKey}|RESULT#${id}`);
      expectedItems += 1;
      check(copy !== undefined && copy.moved === undefined, `${id}: holder copy missing`);
      for (const field of [...COPY_FIELDS, 'version'] as const) {
        check(copy?.[field] === expectedSample[field], `${id}: copy ${field} is ${String(copy?.[field])}`);
      }
      for (const holder of previous) {
        const tombstone = byKey.get(`HOLDER#${holder}|RESULT#${id}`);
        expectedItems += 1;
        check(
          tombstone?.moved === true && tombstone.version === version && tombstone.result === undefined,
          `${id}: the earlier holder still sees the result`,
        );
      }
    }
    check(items.length === expectedItems, `table holds ${items.length} items, the model ${expectedItems}`);
    const checked = Date.now();

    console.info(
      [
        `soak seed: ${SEED} (rerun with SOAK_SEED=${SEED})`,
        `results: ${submissions.length} (samples: ${samples.length})`,
        `deliveries: ${attempts} (duplicates: ${duplicates}, redeliveries after a failure: ${redeliveries})`,
        `failures injected: ${counter.injected}`,
        `items: ${items.length}`,
        `mismatches: ${mismatchCount}`,
        `time: store ${stored - started} ms, check ${checked - stored} ms`,
      ].join('\n'),
    );
    expect(mismatches).toEqual([]);
    expect(mismatchCount).toBe(0);
    expect(counter.injected).toBeGreaterThan(0);
  }, 240_000);
});

function expectedCopyField(message: QueuedResult, field: (typeof COPY_FIELDS)[number]): unknown {
  if (field === 'expiresAt') return Math.floor(Date.parse(message.sampledAt) / 1000) + 30 * 86_400;
  return message[field];
}
