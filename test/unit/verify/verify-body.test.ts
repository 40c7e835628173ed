import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../contract/clock.js';
import { readHolderIdentity } from '../../../contract/identity.js';
import { isCalendarDate } from '../../../functions/schemas/common.js';
import { calendarDateSchema } from '../../../functions/schemas/fields.js';
import { holderIdentitySchema } from '../../../functions/schemas/holder-identity-schema.js';
import { readVerifyRequest } from '../../../functions/schemas/verify-body-reader.js';
import { explainVerifyRequest, scannedPassSchema } from '../../../functions/schemas/verify-body-schema.js';

/** The hand reader of a verify body (the hot path) and the zod schemas (the contract) must agree. */
const clock: Clock = { now: () => new Date('2021-09-10T12:00:00Z') };
const schema = holderIdentitySchema(clock);
const read = readVerifyRequest(clock);

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
/** Dates around every edge: 1899/1900, leap days, month ends, today at UTC+14, tomorrow. */
const dates = fc.oneof(
  fc.constantFrom(
    '1899-12-31',
    '1900-01-01',
    '1900-02-29',
    '2000-02-29',
    '2023-02-29',
    '2021-04-31',
    '2021-09-10',
    '2021-09-11',
    '2021-09-12',
    '1990-5-01',
    '1990-05-01T00:00:00Z',
    '',
  ),
  fc
    .tuple(
      fc.integer({ min: 1890, max: 2030 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);
/** A CCCD that agrees with a birth date, then perhaps spaced out or spoiled. */
const cccdFor = (date: string, serial: string) => {
  const year = Number(date.slice(0, 4));
  const century = Math.max(0, Math.floor((year - 1900) / 100)) * 2;
  return `001${century}${date.slice(2, 4)}${serial}`;
};
const validDates = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2021-09-10T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
/** An ID number made for its type (perhaps spaced out or lower-cased, as people type), or a spoiled one. */
const idNumberFor = (idType: string, date: string) =>
  fc.oneof(
    { weight: 4, arbitrary: wellFormed(idType, date) },
    { weight: 1, arbitrary: wellFormed(idType, date).map((n) => n.replace(/(\w{3})/g, '$1 ').toLowerCase()) },
    { weight: 1, arbitrary: digits(5, 13) },
    { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', ' '.repeat(70), 'x'.repeat(65), 1, null) },
  );
const wellFormed = (idType: string, date: string): fc.Arbitrary<string> =>
  idType === 'CCCD'
    ? digits(6, 6).map((serial) => cccdFor(date, serial))
    : idType === 'CMND'
      ? fc.oneof(digits(9, 9), digits(12, 12))
      : fc
          .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), { minLength: 6, maxLength: 12 })
          .map((c) => c.join(''));
const identities = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('CCCD', 'CMND', 'PASSPORT') },
      { weight: 1, arbitrary: fc.constantFrom('cccd', 'ID', 1) },
    ),
    fc.oneof({ weight: 4, arbitrary: validDates }, { weight: 1, arbitrary: dates }),
  )
  .chain(([idType, dateOfBirth]) =>
    fc.record({
      idType: fc.constant(idType),
      idNumber: idNumberFor(String(idType), dateOfBirth),
      dateOfBirth: fc.oneof(
        { weight: 9, arbitrary: fc.constant<unknown>(dateOfBirth) },
        { weight: 1, arbitrary: fc.constant(19900501) },
      ),
    }),
  );

/** Bodies of the wrong shape altogether. */
const oddBodies = fc.oneof(
  fc.constantFrom(null, [], 'text', 42, true, { qr: 'x' }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), {
    maxKeys: 4,
  }),
);

describe('reading a manual entry by hand', () => {
  it('accepts exactly what holderIdentitySchema accepts, and makes the same of it', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 8, arbitrary: identities },
          { weight: 1, arbitrary: identities.map((body) => ({ ...body, fullName: 'Nguyễn Thị Ánh' })) },
          { weight: 1, arbitrary: oddBodies },
        ),
        (body) => {
          const parsed = schema.safeParse(body);
          const byHand = readHolderIdentity(body, clock);
          if (parsed.success) accepted += 1;
          expect(byHand).toEqual(parsed.success ? parsed.data : undefined);
        },
      ),
      { numRuns: 5000 },
    );
    // The generator must reach both sides, or the property says nothing.
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('isCalendarDate', () => {
  it('agrees with the schema’s calendar date on any YYYY-MM-DD shape, years 0000 to 9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(isCalendarDate(text)).toBe(calendarDateSchema.safeParse(text).success);
        },
      ),
      { numRuns: 5000 },
    );
    expect(['1900-02-29', '2023-02-29', '2021-04-31', '21-01-01', '2021-1-01'].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['2000-02-29', '2024-02-29', '0004-02-29'].map(isCalendarDate)).toEqual([true, true, true]);
  });
});

/** Any field's value, of any JSON type, including the edges each field's rules have. */
const anyValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    'x'.repeat(65),
    '1990-05-01',
    'ENTRY',
    'CCCD',
    0,
    -1,
    true,
    null,
    [],
    {},
    ['a'],
  ),
  // Lengths as zod measures them: code points for strings, and any `length` member of anything else.
  fc.constantFrom<unknown>(
    '😀'.repeat(40),
    '😀'.repeat(65),
    '\uD800',
    { length: 5 },
    { length: 'x' },
    { length: 0 },
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
/** Names of fields a body should not have: showable ones and ones that look like personal data. */
const extraNames = fc.constantFrom(
  'fullName',
  'extra',
  '__proto__',
  '0',
  '001190012345',
  'họ tên',
  'a b',
  '$x-y',
);
/** Bodies of every kind, valid or not, with the members of both forms mixed, missing or of the wrong type. */
const everyBody = fc.oneof(
  identities,
  identities.chain((body) =>
    fc
      .tuple(fc.constantFrom('idType', 'idNumber', 'dateOfBirth', 'mode'), anyValue)
      .map(([key, value]) => ({ ...body, [key]: value })),
  ),
  identities.chain((body) =>
    fc.constantFrom('idType', 'idNumber', 'dateOfBirth').map((key) => {
      const { [key as keyof typeof body]: _gone, ...rest } = body;
      return rest;
    }),
  ),
  fc
    .tuple(
      fc.oneof(identities, fc.record({ qr: anyValue })),
      fc.uniqueArray(extraNames, { maxLength: 3 }),
      anyValue,
    )
    // Through JSON.parse, as a body arrives: an own `__proto__` member is a field like any other.
    .map(([body, names, value]) =>
      JSON.parse(
        JSON.stringify({ ...body, ...Object.fromEntries(names.map((name) => [`${name}`, value])) }).replace(
          /"\\u005f_proto__"/g,
          '"__proto__"',
        ),
      ),
    ),
  fc.record({
    qr: fc.oneof(
      anyValue,
      fc.constantFrom('x'.repeat(4096), 'x'.repeat(4097), '😀'.repeat(2100), '😀'.repeat(4097)),
    ),
    mode: anyValue,
  }),
  fc.dictionary(fc.constantFrom('idType', 'idNumber', 'dateOfBirth', 'mode', 'qr', 'other'), anyValue, {
    maxKeys: 5,
  }),
  oddBodies,
);

describe('explaining a refused verify body by hand', () => {
  it('gives exactly the zod schemas’ reading of any body: the same details in the same order', () => {
    const messages = new Set<string>();
    let refused = 0;
    fc.assert(
      fc.property(everyBody, (body) => {
        const byHand = read(body);
        const bySchema = explainVerifyRequest(body, clock);
        expect(byHand).toEqual(bySchema);
        if (byHand.kind === 'invalid') {
          refused += 1;
          for (const detail of byHand.details) messages.add(`${detail.path}: ${detail.message}`);
        }
      }),
      { numRuns: 8000 },
    );
    // The bodies must reach the rules, or the property says nothing: most are refused, for many reasons.
    expect(refused).toBeGreaterThan(3000);
    expect(messages.size).toBeGreaterThan(25);
  });

  it('reads an own __proto__ member as an unknown field, as zod does', () => {
    const body = JSON.parse('{"qr":"RG1:a.b.c","__proto__":1}');
    expect(read(body)).toEqual(explainVerifyRequest(body, clock));
    expect(read(body)).toEqual({
      kind: 'invalid',
      details: [{ path: '__proto__', message: 'is not a known field' }],
    });
  });
});

describe('reading a verify body', () => {
  it('reads a scan as scannedPassSchema does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ qr: fc.string({ maxLength: 10 }) }),
          fc.record({ qr: fc.constantFrom('', 'x'.repeat(4096), 'x'.repeat(4097)) }),
          fc.record({ qr: fc.anything() }),
          fc.record({ qr: fc.string(), extra: fc.anything() }),
        ),
        async (body) => {
          const parsed = scannedPassSchema.safeParse(body);
          const reading = await read(body);
          expect(reading.kind).toBe(parsed.success ? 'scan' : 'invalid');
          if (parsed.success) expect(reading).toEqual({ kind: 'scan', qr: parsed.data.qr });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['an empty object', {}],
    ['an array', []],
    ['text', 'RG1:abc'],
    ['null', null],
    ['an empty QR', { qr: '' }],
    ['a QR with another member', { qr: 'RG1:a.b.c', idNumber: '001190012345' }],
    ['a malformed ID number', { idType: 'CCCD', idNumber: '12345', dateOfBirth: '1990-05-01' }],
    ['a CCCD of another birth year', { idType: 'CCCD', idNumber: '001191012345', dateOfBirth: '1990-05-01' }],
  ])('explains %s with the schema’s details, which never repeat a value', async (_case, body) => {
    const reading = await read(body);

    expect(reading).toEqual(explainVerifyRequest(body, clock));
    expect(reading.kind).toBe('invalid');
    expect(JSON.stringify(reading)).not.toMatch(/12345|RG1:a/);
  });

  it('reads an optional mode in both forms exactly as the schemas do', async () => {
    const modes = fc.oneof(
      fc.constantFrom(
        'ENTRY',
        'FREIGHT',
        'TRANSIT_ZONE',
        'entry',
        'E',
        '',
        'A'.repeat(31),
        'X'.repeat(30),
        7,
        null,
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ qr: fc.constantFrom('RG1:a.b.c', ''), mode: modes }),
          identities.map((body) => ({ ...body })).chain((body) => modes.map((mode) => ({ ...body, mode }))),
        ),
        async (body) => {
          const reading = await read(body);
          expect(reading).toEqual(explainVerifyRequest(body, clock));
        },
      ),
      { numRuns: 2000 },
    );
    expect(await read({ qr: 'RG1:a.b.c', mode: 'FREIGHT' })).toEqual({
      kind: 'scan',
      qr: 'RG1:a.b.c',
      mode: 'FREIGHT',
    });
    expect(await read({ qr: 'RG1:a.b.c', mode: 'freight' })).toMatchObject({
      kind: 'invalid',
      details: [{ path: 'mode' }],
    });
  });

  it('reads a valid manual entry, normalised', async () => {
    expect(await read({ idType: 'CCCD', idNumber: '001 190 012345', dateOfBirth: '1990-05-01' })).toEqual({
      kind: 'manual',
      identity: { idType: 'CCCD', idNumber: '001190012345', dateOfBirth: '1990-05-01' },
    });
  });
});
