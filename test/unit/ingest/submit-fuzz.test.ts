import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../contract/clock.js';
import { errorResponseSchema } from '../../../functions/schemas/fields.js';
import {
  isSampleId,
  submitResultsResponseSchema,
  testResultSchema,
} from '../../../functions/schemas/results.js';
import { aResult, cccdFor } from '../../support/fixtures.js';
import { bodyOf, loadSubmitHandler, type SubmitHandler } from './handler.js';

const HOUR = 3_600_000;
const DELETE = Symbol('delete');
type Json = unknown;

// ---------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------

const names = ['Nguyễn Văn An', 'Trần Thị Ánh', 'Lê Đức Mạnh', 'Phạm Thị Hồng Nhung', 'Võ Văn Kiệt', 'Đỗ Ý'];

/** A valid item: random sampleId, document, Vietnamese name (NFC or NFD), birth date, times. */
const validItem = (sampleId: fc.Arbitrary<string>) =>
  fc
    .record({
      sampleId,
      dateOfBirth: fc
        .date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2020-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString().slice(0, 10)),
      document: fc.constantFrom('CCCD', 'CMND', 'PASSPORT'),
      serial: fc.stringMatching(/^[0-9]{6}$/),
      name: fc.constantFrom(...names),
      nfd: fc.boolean(),
      phone: fc.option(fc.constantFrom('0912345678', '+84387654321', '091 234 5678'), { nil: undefined }),
      testType: fc.constantFrom('RT_PCR', 'RAPID_ANTIGEN'),
      result: fc.constantFrom('NEGATIVE', 'POSITIVE', 'INVALID'),
      sampledHoursAgo: fc.integer({ min: 1, max: 24 * 20 }),
      resultedAfterMinutes: fc.integer({ min: 0, max: 60 }),
    })
    .map((r) => {
      const now = Date.now();
      const sampledAt = now - r.sampledHoursAgo * HOUR;
      const idNumber =
        r.document === 'CCCD'
          ? cccdFor(r.dateOfBirth, r.serial)
          : r.document === 'CMND'
            ? `123${r.serial}`
            : `C${r.serial}`;
      return aResult(
        {
          sampleId: r.sampleId,
          idType: r.document === 'CCCD' ? 'CCCD' : r.document === 'CMND' ? 'CMND' : 'PASSPORT',
          idNumber,
          fullName: r.nfd ? r.name.normalize('NFD') : r.name,
          dateOfBirth: r.dateOfBirth,
          ...(r.phone === undefined ? {} : { phone: r.phone }),
          testType: r.testType === 'RT_PCR' ? 'RT_PCR' : 'RAPID_ANTIGEN',
          result: r.result === 'NEGATIVE' ? 'NEGATIVE' : r.result === 'POSITIVE' ? 'POSITIVE' : 'INVALID',
          sampledAt: new Date(sampledAt).toISOString(),
          resultedAt: new Date(sampledAt + r.resultedAfterMinutes * 60_000).toISOString(),
        },
        new Date(now),
      );
    });

/** Few distinct sampleIds, so that batches often repeat one; sometimes any valid one. */
const sampleIds = fc.oneof(
  fc.constantFrom('S-1', 'S-2', 'S-3', 'S-4'),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
);

/** Times around the limits (retention, 5 minutes of skew), in UTC or with an offset. */
const nearTimes = fc
  .tuple(fc.integer({ min: -40 * 24 * 60, max: 20 }), fc.constantFrom('Z', '+07:00', '-03:30'))
  .map(([minutes, zone]) => {
    const at = Date.now() + minutes * 60_000;
    if (zone === 'Z') return new Date(at).toISOString();
    const sign = zone.startsWith('-') ? -1 : 1;
    const [hours = 0, mins = 0] = zone.slice(1).split(':').map(Number);
    const local = new Date(at + sign * (hours * 60 + mins) * 60_000).toISOString();
    return local.replace('Z', zone);
  });

/** Values a field can be replaced with: anything at all, strings, edge strings, near-valid times. */
const replacement: fc.Arbitrary<Json | typeof DELETE> = fc.oneof(
  fc.constant(DELETE),
  fc.anything({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    '2023-02-29',
    '1900-02-29',
    '1899-12-31',
    '9999-12-31',
    '2023-02-29T10:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00.000Z',
    '2024-05-31T10:00:00+0700',
    'NaN',
    'cccd',
    'PASSPORT',
    'RT_PCR',
    'POSITIVE',
    '022 090 001234',
    '+84 912 345 678',
    'Nguyễn\u0000Văn',
    '__proto__',
  ),
  nearTimes,
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const fieldPaths: readonly (readonly string[])[] = [
  ['sampleId'],
  ['citizen'],
  ['citizen', 'idType'],
  ['citizen', 'idNumber'],
  ['citizen', 'fullName'],
  ['citizen', 'dateOfBirth'],
  ['citizen', 'phone'],
  ['citizen', 'sampleID'],
  ['testType'],
  ['result'],
  ['sampledAt'],
  ['resultedAt'],
  ['labId'],
  ['__proto__'],
];

/** A copy of `value` with the field at `path` replaced (or removed). */
const mutate = (value: Json, path: readonly string[], next: Json | typeof DELETE): Json => {
  const [head, ...rest] = path;
  if (head === undefined) return next === DELETE ? undefined : next;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  const inner = rest.length === 0 ? next : mutate(copy[head], rest, next);
  if (inner === DELETE || inner === undefined) delete copy[head];
  else
    Object.defineProperty(copy, head, { value: inner, enumerable: true, writable: true, configurable: true });
  return copy;
};

/** An item that is valid, or valid but for one (or two) fields. */
const maybeMutatedItem = fc
  .tuple(
    validItem(sampleIds),
    fc.array(fc.tuple(fc.constantFrom(...fieldPaths), replacement), { maxLength: 2 }),
  )
  .map(([item, mutations]) =>
    mutations.reduce<Json>((current, [path, next]) => mutate(current, path, next), item),
  );

const batchBody = fc.array(maybeMutatedItem, { minLength: 0, maxLength: 12 }).map((results) => ({ results }));

/** The body as sent: a JSON value (serialised by the test) or a raw string. */
type Body = { kind: 'json'; value: Json } | { kind: 'raw'; text: string };

const nested = (depth: number, open: string, close: string, core = '0') =>
  `{"results":[${open.repeat(depth)}${core}${close.repeat(depth)}]}`;

const bodies: Record<string, fc.Arbitrary<Body>> = {
  'valid batches with fields mutated': batchBody.map((value) => ({ kind: 'json', value })),
  'mutated envelopes': fc
    .tuple(
      batchBody,
      fc.constantFrom<readonly string[]>(['results'], ['labId'], ['results', '0'], ['extra']),
      replacement,
    )
    .map(([value, path, next]) => ({ kind: 'json', value: mutate(value, path, next) ?? null })),
  'random JSON values': fc.jsonValue().map((value) => ({ kind: 'json', value })),
  'random JSON text': fc.json().map((text) => ({ kind: 'raw', text })),
  'random strings': fc
    .oneof(fc.string(), fc.string({ unit: 'binary' }))
    .map((text) => ({ kind: 'raw', text })),
  'broken JSON of a valid batch': fc
    .tuple(batchBody, fc.nat(), fc.string({ maxLength: 3 }))
    .map(([value, at, junk]) => {
      const text = JSON.stringify(value);
      const cut = at % (text.length + 1);
      return { kind: 'raw', text: text.slice(0, cut) + junk + text.slice(cut + 1) };
    }),
  'deep nesting': fc
    .tuple(
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"citizen":', '}']),
    )
    .map(([depth, [open, close]]) => ({ kind: 'raw', text: nested(depth, open ?? '[', close ?? ']') })),
  'huge strings': fc
    .tuple(validItem(sampleIds), fc.constantFrom(...fieldPaths), fc.integer({ min: 500_000, max: 1_100_000 }))
    .map(([item, path, size]) => ({
      kind: 'json',
      value: { results: [mutate(item, path, 'é'.repeat(size / 2))] },
    })),
};

// ---------------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------------

const parseOrUndefined = (text: string): Json => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const itemsOf = (sent: Json): unknown[] => {
  if (typeof sent !== 'object' || sent === null || !('results' in sent) || !Array.isArray(sent.results))
    return [];
  return sent.results;
};

const sampleIdOf = (item: unknown): string | undefined =>
  typeof item === 'object' && item !== null && 'sampleId' in item && isSampleId(item.sampleId)
    ? item.sampleId
    : undefined;

const refusal = {
  400: errorResponseSchema(['MALFORMED_JSON', 'VALIDATION_FAILED']),
  413: errorResponseSchema(['PAYLOAD_TOO_LARGE']),
} as const;

describe('POST /v1/results under fuzzing (handler in-process, in-memory queue)', () => {
  let api: SubmitHandler;

  beforeAll(async () => {
    api = await loadSubmitHandler();
  });

  afterAll(() => {
    api.restore();
  });

  /**
   * Sends one body and checks everything the contract promises: no 5xx; the answer in the contract's
   * shape; exactly the accepted items queued, each a valid item by the contract's rules and the first
   * of its sampleId in the batch; nothing queued otherwise.
   */
  const sendAndCheck = async (body: Body): Promise<void> => {
    const before = api.queuedCount();
    const response = await api.post(body.kind === 'raw' ? body.text : JSON.stringify(body.value));
    const queued = api.messages().slice(before);
    const answer = bodyOf(response);

    expect(response.statusCode).toBeLessThan(500);
    expect([202, 400, 413]).toContain(response.statusCode);
    if (response.statusCode !== 202) {
      expect(refusal[response.statusCode === 413 ? 413 : 400].safeParse(answer).success).toBe(true);
      expect(queued).toHaveLength(0);
      return;
    }

    const outcome = submitResultsResponseSchema.parse(answer);
    const sent = itemsOf(body.kind === 'raw' ? parseOrUndefined(body.text) : body.value);
    expect(outcome.accepted).toBeGreaterThan(0);
    expect(outcome.items.map((item) => item.index)).toEqual(sent.map((_, i) => i));
    expect(outcome.accepted + outcome.rejected).toBe(sent.length);
    expect(outcome.accepted).toBe(queued.length);

    const itemSchema = testResultSchema({ clock: systemClock, retentionDays: 30 });
    const accepted = outcome.items.filter((item) => item.status === 'ACCEPTED');
    expect(queued.map((message) => message.sampleId)).toEqual(accepted.map((item) => item.sampleId));
    for (const item of accepted) {
      const raw = sent[item.index];
      expect(itemSchema.safeParse(raw).success).toBe(true);
      const earlier = sent.slice(0, item.index).map(sampleIdOf);
      expect(earlier).not.toContain(item.sampleId);
    }
  };

  const runs: Record<string, number> = {
    'valid batches with fields mutated': 200,
    'mutated envelopes': 100,
    'random JSON values': 150,
    'random JSON text': 100,
    'random strings': 150,
    'broken JSON of a valid batch': 100,
    'deep nesting': 30,
    'huge strings': 20,
  };

  it.each(Object.keys(bodies))(
    'never answers 5xx and queues only valid items: %s',
    async (kind) => {
      const arbitrary = bodies[kind];
      if (arbitrary === undefined) throw new Error(`no generator ${kind}`);

      await fc.assert(fc.asyncProperty(arbitrary, sendAndCheck), { numRuns: runs[kind] ?? 100 });
    },
    60_000,
  );

  it('queues a fully valid batch whole, each sampleId once', async () => {
    const distinctBatches = fc
      .uniqueArray(validItem(fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/)), {
        minLength: 1,
        maxLength: 20,
        selector: (item) => item.sampleId,
      })
      .map((results) => ({ kind: 'json' as const, value: { results } }));

    await fc.assert(
      fc.asyncProperty(distinctBatches, async (body) => {
        const before = api.queuedCount();
        const response = await api.post(JSON.stringify(body.value));

        expect(response.statusCode).toBe(202);
        expect(api.queuedCount() - before).toBe(body.value.results.length);
      }),
      { numRuns: 50 },
    );
  }, 60_000);
});
