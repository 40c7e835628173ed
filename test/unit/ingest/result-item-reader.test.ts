import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultItemReader } from '../../../functions/schemas/result-item-reader.js';
import { FUTURE_SKEW_MS, testResultSchema } from '../../../functions/schemas/results.js';
import { DAY, fixedClock, NOW, RETENTION_DAYS } from './support.js';

/**
 * The hand reader of a lab's result (the ingest hot path) and testResultSchema (the contract, and the
 * error details) must agree: the same items accepted, and the same normalised value made of them.
 */
const rules = { clock: fixedClock(), retentionDays: RETENTION_DAYS };
const read = resultItemReader(rules);
const schema = testResultSchema(rules);
const now = NOW.getTime();

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((c) => c.join(''));
const digits = (n: number) => chars('0123456789', n, n);

/**
 * Each field's generator: valid values only for the valid items, or now and then a wrong one for the
 * wild items, so the property meets both sides of every rule.
 */
const validOr =
  <T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) =>
  (wild: boolean): fc.Arbitrary<unknown> =>
    wild ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: wrong }) : valid;

const sampleIds = validOr(
  chars('ABCXYZabcxyz0189._:-', 1, 64),
  fc.constantFrom('', 'S 1', 'S/1', 'Mẫu-1', 'x'.repeat(65), 17, null),
);

/** Birth dates around every edge: 1899/1900, leap days, today at UTC+14 (NOW is 2024-06-01T00:00Z). */
const validDates = fc.oneof(
  fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2024-06-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom('1900-01-01', '2000-02-29', '2024-06-01'),
);
const dates = validOr(
  validDates,
  fc.constantFrom(
    '1899-12-31',
    '1900-02-29',
    '2023-02-29',
    '2021-04-31',
    '2024-06-02',
    '1990-5-01',
    '1990-05-01T00:00:00Z',
    '',
    19900501,
  ),
);

const cccdFor = (date: string, serial: string) => {
  const year = Number(date.slice(0, 4));
  const century = Math.max(0, Math.floor((year - 1900) / 100)) * 2;
  return `001${century}${date.slice(2, 4)}${serial}`;
};
const wellFormedId = (idType: string, date: string): fc.Arbitrary<string> =>
  idType === 'CCCD'
    ? digits(6).map((serial) => cccdFor(date, serial))
    : idType === 'CMND'
      ? fc.oneof(digits(9), digits(12))
      : chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 6, 12);
/** As people type them (spaced out, lower-cased), or spoiled. */
const idNumberFor = (idType: string, date: string) =>
  validOr(
    fc.oneof(
      { weight: 3, arbitrary: wellFormedId(idType, date) },
      {
        weight: 1,
        arbitrary: wellFormedId(idType, date).map((n) => ` ${n.replace(/(\w{3})/g, '$1 ').toLowerCase()}\t`),
      },
    ),
    fc.oneof(
      chars('0123456789', 5, 13),
      fc.constantFrom('', '   ', ' '.repeat(70), 'x'.repeat(65), '001190012345', 1, null),
    ),
  );

const names = validOr(
  fc.oneof(
    fc.constantFrom('Nguyễn Thị Ánh', 'Trần Văn Bình', 'Lê', 'A', 'Phạm  Quốc   Việt', '😀'.repeat(100)),
    fc.constantFrom('Nguyễn Thị Ánh', 'Đặng Ngọc Huyền').map((n) => n.normalize('NFD')),
    fc.constantFrom(
      '  Lê Thu  ',
      '\u00a0Hà\u00a0',
      '\tHoa\n',
      ` ${'a'.repeat(100)} `,
      'ệ'.normalize('NFD').repeat(100),
    ),
  ),
  fc.oneof(
    fc.constantFrom(
      '',
      '   ',
      '\ufeffMai',
      'Hoa\u202eAnh',
      'Hoa\u200bAnh',
      'Hoa\u0007Anh',
      'Hoa\nAnh',
      'Hoa\u2028Anh',
      'Hoa\ud800Anh',
      'Hoa\udc00',
      '😀'.repeat(101),
      'a'.repeat(101),
      'ệ'.normalize('NFD').repeat(334),
      'x'.repeat(1001),
      42,
      null,
    ),
    fc.string({ unit: 'binary', maxLength: 12 }),
  ),
);

const phones = validOr(
  fc.constantFrom(
    '0912345678',
    '+84912345678',
    '091 234 5678',
    '091.234.5678',
    '091-234-5678',
    '+84 91 234 56 78',
    ' 0351234567\t',
    '0912\n345678',
    `${' '.repeat(22)}0912345678`,
  ),
  fc.oneof(
    fc.constantFrom(
      '0212345678',
      '091234567',
      '09123456789',
      '84912345678',
      '091_234_5678',
      `${' '.repeat(23)}0912345678`,
      '',
      12345,
      null,
    ),
    fc.string({ maxLength: 14 }),
  ),
);

/** A timestamp at `ms` written at a UTC offset, with or without (extra) fractions of a second. */
const stamp = (ms: number, offsetMinutes: number, fraction: 'none' | 'ms' | 'micro', z: boolean) => {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const seconds = local.slice(0, 19);
  const frac =
    fraction === 'none' ? '' : fraction === 'ms' ? local.slice(19, 23) : `${local.slice(19, 23)}456`;
  if (offsetMinutes === 0 && z) return `${seconds}${frac}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${seconds}${frac}${sign}${hh}:${mm}`;
};
const writtenAt = (ms: number) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.constantFrom(420, -300, 345, -720, 840) },
      ),
      fc.constantFrom('none' as const, 'ms' as const, 'micro' as const),
      fc.boolean(),
    )
    .map(([offset, fraction, z]) => stamp(ms, offset, fraction, z));
const badStamps = fc.constantFrom(
  '2024-05-31T10:00:00',
  '2024-05-31t10:00:00z',
  '2024-05-31T10:00Z',
  '2024-05-31T10:00:00+0700',
  '2024-05-31T24:00:00Z',
  '2024-05-31T23:59:60Z',
  '2024-02-30T10:00:00Z',
  '2024-05-31 10:00:00Z',
  '2024-05-31T10:00:00.Z',
  '',
  1717149600000,
  null,
);
const retention = RETENTION_DAYS * DAY;
const latest = now + FUTURE_SKEW_MS;
const earliest = now - retention;
/**
 * sampledAt and resultedAt in the window (at its edges to the millisecond, or anywhere in it), resultedAt
 * not before sampledAt; the wild ones also just outside it, or the wrong way round.
 */
const validTimes = fc
  .oneof(fc.constantFrom(latest, earliest, now), fc.integer({ min: earliest, max: latest }))
  .chain((sampled) =>
    fc.tuple(
      fc.constant(sampled),
      fc.oneof(fc.constantFrom(sampled, latest), fc.integer({ min: sampled, max: latest })),
    ),
  );
const wildTimes = fc.oneof(
  { weight: 3, arbitrary: validTimes },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom(latest + 1, earliest - 1, now),
      fc.constantFrom(latest + 1, earliest, now - 1, now),
    ),
  },
);
const times = (wild: boolean) =>
  (wild ? wildTimes : validTimes).chain(([sampled, resulted]) =>
    fc.record({
      sampledAt: validOr(writtenAt(sampled), badStamps)(wild),
      resultedAt: validOr(writtenAt(resulted), badStamps)(wild),
    }),
  );

const idTypes = validOr(fc.constantFrom('CCCD', 'CMND', 'PASSPORT'), fc.constantFrom('cccd', 'ID', 1));
const citizens = (wild: boolean) =>
  fc.tuple(idTypes(wild), dates(wild)).chain(([idType, dateOfBirth]) =>
    fc.record(
      {
        idType: fc.constant(idType),
        idNumber: idNumberFor(String(idType), String(dateOfBirth))(wild),
        fullName: names(wild),
        dateOfBirth: fc.constant(dateOfBirth),
        phone: phones(wild),
      },
      { requiredKeys: ['idType', 'idNumber', 'fullName', 'dateOfBirth'] },
    ),
  );

const itemsOf = (wild: boolean) =>
  fc
    .record({
      sampleId: sampleIds(wild),
      citizen: citizens(wild),
      testType: validOr(
        fc.constantFrom('RT_PCR', 'RAPID_ANTIGEN'),
        fc.constantFrom('PCR', 'rt_pcr', ''),
      )(wild),
      result: validOr(
        fc.constantFrom('NEGATIVE', 'POSITIVE', 'INVALID'),
        fc.constantFrom('negative', 'UNKNOWN'),
      )(wild),
      times: times(wild),
    })
    .map(({ times: { sampledAt, resultedAt }, ...rest }) => ({ ...rest, sampledAt, resultedAt }));
const validItems = itemsOf(false);
const wildItems = itemsOf(true);

/** What breaks one field: a wrong type, a missing member, an unknown one. */
const spoilers = fc.constantFrom<unknown>(
  undefined,
  null,
  0,
  1.5,
  true,
  '',
  ' ',
  [],
  {},
  ['x'],
  'x'.repeat(70),
);
const PATHS = [
  [],
  ['sampleId'],
  ['citizen'],
  ['citizen', 'idType'],
  ['citizen', 'idNumber'],
  ['citizen', 'fullName'],
  ['citizen', 'dateOfBirth'],
  ['citizen', 'phone'],
  ['testType'],
  ['result'],
  ['sampledAt'],
  ['resultedAt'],
] as const;
const UNKNOWN_MEMBERS = ['sampleID', 'extra', '__proto__', 'constructor', 'toString', 'citizen.phone'];

/** Sets `value` at `path` (undefined removes the member); an empty path spoils the item itself. */
const setAt = (item: unknown, path: readonly string[], value: unknown): unknown => {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const base = typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {};
  return { ...base, [head]: setAt((base as Record<string, unknown>)[head], rest, value) };
};
/** Adds an own member (as JSON.parse makes it, `__proto__` included) at the item or its citizen. */
const withMember = (json: string, where: 'item' | 'citizen', name: string): string =>
  where === 'item'
    ? json.replace('{', `{${JSON.stringify(name)}:1,`)
    : json.replace('"citizen":{', `"citizen":{${JSON.stringify(name)}:"x",`);

const mutations = fc.oneof(
  fc
    .tuple(validItems, fc.constantFrom(...PATHS), spoilers)
    .map(([item, path, value]) => JSON.stringify(setAt(item, path, value)) ?? 'null'),
  fc
    .tuple(
      validItems,
      fc.constantFrom('item' as const, 'citizen' as const),
      fc.constantFrom(...UNKNOWN_MEMBERS),
    )
    .map(([item, where, name]) => withMember(JSON.stringify(item), where, name)),
);

describe('reading a lab result by hand', () => {
  it('accepts exactly what testResultSchema accepts, and makes the same of it', () => {
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(
        // As the handler gets them: parsed from JSON.
        fc.oneof(
          { weight: 2, arbitrary: validItems.map((item) => JSON.stringify(item)) },
          { weight: 2, arbitrary: wildItems.map((item) => JSON.stringify(item)) },
          { weight: 1, arbitrary: mutations },
        ),
        (json) => {
          const item: unknown = JSON.parse(json);
          const parsed = schema.safeParse(item);
          total += 1;
          if (parsed.success) accepted += 1;
          expect(read(item)).toStrictEqual(parsed.success ? parsed.data : undefined);
        },
      ),
      { numRuns: 10_000 },
    );
    // The generators must reach both sides, or the property says nothing.
    expect(accepted).toBeGreaterThan(total * 0.2);
    expect(accepted).toBeLessThan(total * 0.8);
  }, 60_000);

  it('reads what is not an item at all as refused', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), (value) => {
        expect(read(value)).toBe(undefined);
        expect(schema.safeParse(value).success).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a valid item, normalised as the schema does', () => {
    const item = {
      sampleId: 'QN-1',
      citizen: {
        idType: 'CCCD',
        idNumber: '001 190 012345',
        fullName: ` ${'Nguyễn Thị Ánh'.normalize('NFD')} `,
        dateOfBirth: '1990-05-01',
        phone: '091.234.5678',
      },
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: '2024-05-31T08:30:00+07:00',
      resultedAt: '2024-05-31T09:30:00.5+07:00',
    };

    expect(read(item)).toStrictEqual({
      ...item,
      citizen: {
        idType: 'CCCD',
        idNumber: '001190012345',
        fullName: 'Nguyễn Thị Ánh',
        dateOfBirth: '1990-05-01',
        phone: '0912345678',
      },
    });
  });
});
