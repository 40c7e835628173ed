import { describe, expect, it } from 'vitest';
import { ValidationFailedError } from '../../../functions/errors.js';
import { aResult, type ResultInput } from '../../support/fixtures.js';
import { DAY, ingestion, iso, lab, MINUTE, NOW, RETENTION_DAYS } from './support.js';

type Item = ReturnType<typeof aResult>;

/** A valid result, sampled an hour before NOW, with `input` applied. */
const valid = (input: ResultInput = {}): Item => aResult(input, NOW);

/** A valid result with its citizen changed (`undefined` removes a field). */
const withCitizen = (citizen: Record<string, unknown>, input: ResultInput = {}): Record<string, unknown> => {
  const item = valid(input);
  return {
    ...item,
    citizen: Object.fromEntries(
      Object.entries({ ...item.citizen, ...citizen }).filter(([, value]) => value !== undefined),
    ),
  };
};

/** A valid result with top-level fields changed (`undefined` removes a field). */
const withFields = (fields: Record<string, unknown>, input: ResultInput = {}): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries({ ...valid(input), ...fields }).filter(([, value]) => value !== undefined),
  );

const chars = (n: number, alphabet = 'Ab0._:-'): string =>
  Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');

const nfd = (text: string): string => text.normalize('NFD');

const at = (offsetMs: number): string => iso(NOW.getTime() + offsetMs);

interface Case {
  readonly name: string;
  readonly item: unknown;
  /** ACCEPTED, or the path of the expected error (and a fragment of its message). */
  readonly expected: 'ACCEPTED' | { readonly path: string; readonly message?: RegExp };
}

const accepted = (name: string, item: unknown): Case => ({ name, item, expected: 'ACCEPTED' });
const rejected = (name: string, item: unknown, path: string, message?: RegExp): Case => ({
  name,
  item,
  expected: message === undefined ? { path } : { path, message },
});

const cases: readonly Case[] = [
  // sampleId: 1-64 of A-Z a-z 0-9 . _ : -
  accepted('a sampleId of 64 allowed characters', valid({ sampleId: chars(64) })),
  accepted('a one-character sampleId', valid({ sampleId: 'x' })),
  rejected('a sampleId of 65 characters', valid({ sampleId: chars(65) }), 'sampleId', /1-64/),
  rejected('an empty sampleId', valid({ sampleId: '' }), 'sampleId'),
  rejected('a sampleId with a space', valid({ sampleId: 'S 1' }), 'sampleId'),
  rejected('a sampleId with a slash', valid({ sampleId: 'S/1' }), 'sampleId'),
  rejected('a sampleId with a diacritic', valid({ sampleId: 'Mẫu-1' }), 'sampleId'),
  rejected('a numeric sampleId', withFields({ sampleId: 17 }), 'sampleId'),
  rejected('a missing sampleId', withFields({ sampleId: undefined }), 'sampleId'),

  // citizen.idType
  accepted('idType CCCD', valid({ idType: 'CCCD' })),
  accepted('idType CMND', valid({ idType: 'CMND', idNumber: '123456789' })),
  accepted('idType PASSPORT', valid({ idType: 'PASSPORT', idNumber: 'C1234567' })),
  rejected(
    'a lower-case idType',
    withCitizen({ idType: 'cccd' }),
    'citizen.idType',
    /CCCD, CMND or PASSPORT/,
  ),
  rejected('a missing idType', withCitizen({ idType: undefined }), 'citizen.idType'),

  // citizen.idNumber: normalised, then per type; CCCD agrees with dateOfBirth
  accepted('a CCCD written with spaces', valid({ idNumber: '022 090 001234', dateOfBirth: '1990-05-01' })),
  accepted('a CCCD written with tabs', valid({ idNumber: '022\t090\t001234', dateOfBirth: '1990-05-01' })),
  accepted('a CCCD of a woman born in the 1900s (digit 1)', valid({ idNumber: '022190001234' })),
  accepted(
    'a CCCD of a man born in 2000 (digit 2)',
    valid({ idNumber: '022200001234', dateOfBirth: '2000-02-29' }),
  ),
  accepted(
    'a CCCD of a woman born in 2005 (digit 3)',
    valid({ idNumber: '001305123456', dateOfBirth: '2005-12-31' }),
  ),
  rejected('a CCCD of 11 digits', valid({ idNumber: '02209000123' }), 'citizen.idNumber', /12 digits/),
  rejected('a CCCD of 13 digits', valid({ idNumber: '0220900012345' }), 'citizen.idNumber', /12 digits/),
  rejected('a CCCD with a letter', valid({ idNumber: '02209000123A' }), 'citizen.idNumber', /12 digits/),
  rejected(
    'a CCCD whose 4th digit says 2000s for a 1990 birth',
    valid({ idNumber: '022290001234', dateOfBirth: '1990-05-01' }),
    'citizen.idNumber',
    /digit 4/,
  ),
  rejected(
    'a CCCD whose 4th digit says 1900s for a 2001 birth',
    valid({ idNumber: '022001001234', dateOfBirth: '2001-05-01' }),
    'citizen.idNumber',
    /digit 4/,
  ),
  rejected(
    'a CCCD whose 5th-6th digits disagree with the birth year',
    valid({ idNumber: '022091001234', dateOfBirth: '1990-05-01' }),
    'citizen.idNumber',
    /digits 5-6/,
  ),
  accepted('a CMND of 9 digits', valid({ idType: 'CMND', idNumber: '123456789' })),
  accepted('a CMND of 12 digits', valid({ idType: 'CMND', idNumber: '123456789012' })),
  rejected(
    'a CMND of 10 digits',
    valid({ idType: 'CMND', idNumber: '1234567890' }),
    'citizen.idNumber',
    /9 or 12/,
  ),
  rejected(
    'a CMND of 8 digits',
    valid({ idType: 'CMND', idNumber: '12345678' }),
    'citizen.idNumber',
    /9 or 12/,
  ),
  accepted('a lower-case passport number (upper-cased)', valid({ idType: 'PASSPORT', idNumber: 'c1234567' })),
  accepted('a passport number of 6 characters', valid({ idType: 'PASSPORT', idNumber: 'B12345' })),
  accepted('a passport number of 12 characters', valid({ idType: 'PASSPORT', idNumber: 'AB1234567890' })),
  rejected(
    'a passport number of 5 characters',
    valid({ idType: 'PASSPORT', idNumber: 'B1234' }),
    'citizen.idNumber',
    /6 to 12/,
  ),
  rejected(
    'a passport number of 13 characters',
    valid({ idType: 'PASSPORT', idNumber: 'AB12345678901' }),
    'citizen.idNumber',
    /6 to 12/,
  ),
  rejected(
    'a passport number with a dash',
    valid({ idType: 'PASSPORT', idNumber: 'B-123456' }),
    'citizen.idNumber',
    /6 to 12/,
  ),
  rejected('an empty idNumber', valid({ idNumber: '' }), 'citizen.idNumber', /empty/),
  rejected('an idNumber of spaces only', valid({ idNumber: '   ' }), 'citizen.idNumber', /empty/),
  rejected('a numeric idNumber', withCitizen({ idNumber: 22090001234 }), 'citizen.idNumber'),

  // citizen.fullName: 1-100 characters after trimming and NFC
  accepted('a Vietnamese name with diacritics', valid({ fullName: 'Nguyễn Thị Ánh' })),
  accepted('a Vietnamese name in NFD', valid({ fullName: nfd('Trần Đức Mạnh') })),
  accepted('a name of 100 characters', valid({ fullName: chars(100, 'Ánh ') })),
  accepted('100 characters that are 300 code points in NFD', valid({ fullName: nfd('ễ'.repeat(100)) })),
  accepted('100 characters inside surrounding spaces', valid({ fullName: `  ${chars(100, 'An')}  ` })),
  accepted('a one-character name', valid({ fullName: 'A' })),
  rejected('a name of 101 characters', valid({ fullName: chars(101, 'Ánh ') }), 'citizen.fullName', /100/),
  rejected('an empty name', valid({ fullName: '' }), 'citizen.fullName', /empty/),
  rejected('a name of spaces only', valid({ fullName: '   ' }), 'citizen.fullName', /empty/),
  rejected(
    'a name reversed by U+202E',
    valid({ fullName: 'Nguy\u202Eễn An' }),
    'citizen.fullName',
    /U\+202E/,
  ),
  rejected(
    'a name with a zero-width space',
    valid({ fullName: 'Nguyễn\u200BAn' }),
    'citizen.fullName',
    /invisible/,
  ),
  rejected(
    'a name with a byte-order mark',
    valid({ fullName: '\uFEFFNguyễn An' }),
    'citizen.fullName',
    /invisible/,
  ),
  rejected(
    'a name with an unpaired high surrogate',
    valid({ fullName: 'An \uD800' }),
    'citizen.fullName',
    /surrogate/,
  ),
  rejected(
    'a name with an unpaired low surrogate',
    valid({ fullName: '\uDC00An' }),
    'citizen.fullName',
    /surrogate/,
  ),
  accepted('a name with a paired surrogate (an emoji is odd but visible)', valid({ fullName: 'An 😀' })),
  rejected('a name with a line break', valid({ fullName: 'Nguyễn\nVăn An' }), 'citizen.fullName', /control/),
  rejected('a name of 5000 characters', valid({ fullName: 'A'.repeat(5000) }), 'citizen.fullName', /100/),

  // citizen.dateOfBirth: a real day, 1900-01-01 to today
  accepted('a birth on the leap day 2000-02-29', valid({ dateOfBirth: '2000-02-29' })),
  accepted(
    'a birth on 1900-01-01',
    valid({ idType: 'CMND', idNumber: '123456789', dateOfBirth: '1900-01-01' }),
  ),
  accepted('a birth today', valid({ dateOfBirth: '2024-06-01' })),
  rejected(
    '1900-02-29 (1900 was not a leap year)',
    valid({ dateOfBirth: '1900-02-29' }),
    'citizen.dateOfBirth',
  ),
  rejected('2023-02-29', valid({ dateOfBirth: '2023-02-29' }), 'citizen.dateOfBirth', /calendar date/),
  rejected('2023-04-31', valid({ dateOfBirth: '2023-04-31' }), 'citizen.dateOfBirth', /calendar date/),
  rejected(
    'a birth before 1900-01-01',
    valid({ idType: 'CMND', idNumber: '123456789', dateOfBirth: '1899-12-31' }),
    'citizen.dateOfBirth',
    /1900-01-01/,
  ),
  rejected('a birth tomorrow', valid({ dateOfBirth: '2024-06-02' }), 'citizen.dateOfBirth', /future/),
  rejected('a day/month/year date', valid({ dateOfBirth: '01/05/1990' }), 'citizen.dateOfBirth'),
  rejected('a date without leading zeros', valid({ dateOfBirth: '1990-5-1' }), 'citizen.dateOfBirth'),
  rejected(
    'a date with a time',
    valid({ dateOfBirth: '1990-05-01T00:00:00Z', idNumber: '022090001234' }),
    'citizen.dateOfBirth',
  ),

  // citizen.phone: optional Vietnamese mobile
  accepted('no phone', valid()),
  accepted('a phone 0912345678', valid({ phone: '0912345678' })),
  accepted('a phone +84912345678', valid({ phone: '+84912345678' })),
  accepted('a phone with spaces and dots', valid({ phone: '091 234.5678' })),
  accepted('a 03x mobile', valid({ phone: '0387654321' })),
  rejected('a landline number', valid({ phone: '0203123456' }), 'citizen.phone', /mobile/),
  rejected('a phone of 9 digits', valid({ phone: '091234567' }), 'citizen.phone', /mobile/),
  rejected('a phone with 84 but no plus', valid({ phone: '84912345678' }), 'citizen.phone', /mobile/),
  rejected('a null phone (leave it out instead)', withCitizen({ phone: null }), 'citizen.phone'),

  // testType and result
  accepted('testType RAPID_ANTIGEN', valid({ testType: 'RAPID_ANTIGEN' })),
  rejected('testType PCR', withFields({ testType: 'PCR' }), 'testType', /RT_PCR or RAPID_ANTIGEN/),
  accepted('result POSITIVE', valid({ result: 'POSITIVE' })),
  accepted('result INVALID', valid({ result: 'INVALID' })),
  rejected(
    'a lower-case result',
    withFields({ result: 'negative' }),
    'result',
    /NEGATIVE, POSITIVE or INVALID/,
  ),

  // sampledAt and resultedAt: RFC 3339, 5 minutes of future skew, retention, order
  accepted(
    'timestamps with a +07:00 offset',
    valid({ sampledAt: '2024-05-31T10:00:00+07:00', resultedAt: '2024-05-31T16:30:00+07:00' }),
  ),
  accepted(
    'timestamps with a negative offset',
    valid({ sampledAt: '2024-05-31T10:00:00-03:30', resultedAt: '2024-05-31T12:00:00-03:30' }),
  ),
  accepted(
    'timestamps with fractions of a second',
    valid({ sampledAt: '2024-05-31T10:00:00.123456Z', resultedAt: '2024-05-31T10:00:00.5Z' }),
  ),
  accepted(
    'sampledAt and resultedAt exactly 5 minutes ahead',
    valid({ sampledAt: at(5 * MINUTE), resultedAt: at(5 * MINUTE) }),
  ),
  rejected(
    'sampledAt 5 minutes and 1 second ahead',
    valid({ sampledAt: at(5 * MINUTE + 1000), resultedAt: at(5 * MINUTE + 1000) }),
    'sampledAt',
    /5 minutes in the future/,
  ),
  rejected(
    'resultedAt 5 minutes and 1 second ahead',
    valid({ sampledAt: at(-MINUTE), resultedAt: at(5 * MINUTE + 1000) }),
    'resultedAt',
    /5 minutes in the future/,
  ),
  rejected(
    'resultedAt 5 minutes and 1 millisecond ahead',
    valid({ sampledAt: at(-MINUTE), resultedAt: at(5 * MINUTE + 1) }),
    'resultedAt',
    /5 minutes in the future/,
  ),
  accepted(
    'sampledAt exactly at the retention boundary',
    valid({ sampledAt: at(-RETENTION_DAYS * DAY), resultedAt: at(-RETENTION_DAYS * DAY + MINUTE) }),
  ),
  rejected(
    'sampledAt 1 ms older than the retention period',
    valid({ sampledAt: at(-RETENTION_DAYS * DAY - 1), resultedAt: at(-DAY) }),
    'sampledAt',
    /retention period \(30 days\)/,
  ),
  accepted('resultedAt equal to sampledAt', valid({ sampledAt: at(-MINUTE), resultedAt: at(-MINUTE) })),
  accepted(
    'resultedAt equal to sampledAt written in another offset',
    valid({ sampledAt: '2024-05-31T10:00:00+07:00', resultedAt: '2024-05-31T03:00:00Z' }),
  ),
  rejected(
    'resultedAt 1 s before sampledAt written in another offset',
    valid({ sampledAt: '2024-05-31T10:00:00+07:00', resultedAt: '2024-05-31T02:59:59Z' }),
    'resultedAt',
    /before sampledAt/,
  ),
  rejected(
    'resultedAt 1 ms before sampledAt',
    valid({ sampledAt: at(-MINUTE), resultedAt: at(-MINUTE - 1) }),
    'resultedAt',
    /before sampledAt/,
  ),
  rejected(
    'a timestamp without an offset',
    valid({ sampledAt: '2024-05-31T10:00:00' }),
    'sampledAt',
    /RFC 3339/,
  ),
  rejected(
    'an offset without a colon',
    valid({ sampledAt: '2024-05-31T10:00:00+0700' }),
    'sampledAt',
    /RFC 3339/,
  ),
  rejected('a timestamp without seconds', valid({ sampledAt: '2024-05-31T10:00Z' }), 'sampledAt', /RFC 3339/),
  rejected('a space instead of T', valid({ sampledAt: '2024-05-31 10:00:00Z' }), 'sampledAt', /RFC 3339/),
  rejected('a date only', valid({ sampledAt: '2024-05-31' }), 'sampledAt', /RFC 3339/),
  rejected(
    'a day that does not exist',
    valid({ sampledAt: '2023-02-29T10:00:00Z' }),
    'sampledAt',
    /RFC 3339/,
  ),
  rejected('hour 24', valid({ resultedAt: '2024-05-31T24:00:00Z' }), 'resultedAt', /RFC 3339/),
  rejected('epoch milliseconds', withFields({ sampledAt: NOW.getTime() - DAY }), 'sampledAt', /RFC 3339/),

  // unknown fields, at every level
  rejected('a misspelt sampleID', withFields({ sampleID: 'S-1' }), 'sampleID', /not a known field/),
  rejected('an unknown citizen field', withCitizen({ gender: 'F' }), 'citizen.gender', /not a known field/),
  rejected('a labId in the body', withFields({ labId: 'lab_other' }), 'labId', /not a known field/),
  rejected('an item that is not an object', 'S-1', ''),
  rejected('an item that is null', null, ''),
  rejected('a citizen that is an array', withFields({ citizen: [] }), 'citizen'),
];

describe('POST /v1/results field rules (one item at a time, clock fixed at 2024-06-01T00:00Z)', () => {
  it.each(cases)('$name', async ({ item, expected }) => {
    const { submit, queued } = ingestion();

    const outcome = await submit({ results: [item] }, lab);

    const [status] = outcome.items;
    if (expected === 'ACCEPTED') {
      expect(status).toMatchObject({ index: 0, status: 'ACCEPTED' });
      expect(queued).toHaveLength(1);
    } else {
      expect(status?.status).toBe('REJECTED');
      const errors = status?.status === 'REJECTED' ? status.errors : [];
      expect(errors).toContainEqual({
        path: expected.path,
        message: expect.stringMatching(expected.message ?? /./),
      });
      expect(queued).toHaveLength(0);
    }
  });

  const personal = {
    idNumber: '0229 0001 2345 678',
    fullName: `Phạm Thị Bí Mật ${'x'.repeat(100)}`,
    phone: '0212 999 888',
    dateOfBirth: '1899-07-08',
  };

  it('never repeats a rejected personal value in its errors', async () => {
    const { submit } = ingestion();

    const outcome = await submit(
      { results: [withCitizen(personal), withFields({ sampleId: 'Phạm Thị Bí Mật' })] },
      lab,
    );

    const text = JSON.stringify(outcome);
    expect(outcome.rejected).toBe(2);
    for (const value of [...Object.values(personal), 'Phạm Thị Bí Mật', '022900012345678']) {
      expect(text).not.toContain(value);
    }
  });

  it('names an unknown field that looks like a name only by its position', async () => {
    const { submit } = ingestion();

    const outcome = await submit({ results: [withCitizen({ 'Nguyễn Văn An': 'x' })] }, lab);

    expect(JSON.stringify(outcome)).not.toContain('Nguyễn');
    expect(outcome.items[0]).toMatchObject({
      status: 'REJECTED',
      errors: [{ path: 'citizen', message: 'has 1 unknown field(s) whose names are not shown' }],
    });
  });
});

describe('POST /v1/results normalisation', () => {
  it('queues an NFD name, a spaced lower-case ID and offset times exactly as their normal forms', async () => {
    const plain = valid({
      idType: 'PASSPORT',
      idNumber: 'C1234567',
      fullName: 'Nguyễn Thị Ánh',
      sampledAt: '2024-05-31T03:00:00.000Z',
      resultedAt: '2024-05-31T09:30:00.000Z',
    });
    const messy = valid({
      idType: 'PASSPORT',
      idNumber: ' c123 4567 ',
      fullName: `  ${nfd('Nguyễn Thị Ánh')} `,
      sampledAt: '2024-05-31T10:00:00+07:00',
      resultedAt: '2024-05-31T16:30:00.000+07:00',
    });
    const first = ingestion();
    const second = ingestion();

    await first.submit({ results: [plain] }, lab);
    await second.submit({ results: [messy] }, lab);

    expect(second.queued).toEqual(first.queued);
    expect(second.queued[0]).toMatchObject({
      maskedName: 'N***** T** Á**',
      sampledAt: '2024-05-31T03:00:00.000Z',
      resultedAt: '2024-05-31T09:30:00.000Z',
    });
  });

  it('keeps a timestamp to the millisecond in UTC', async () => {
    const { submit, queued } = ingestion();

    await submit(
      { results: [valid({ sampledAt: '2024-05-31T10:00:00.123456+07:00', resultedAt: at(-1) })] },
      lab,
    );

    expect(queued[0]?.sampledAt).toBe('2024-05-31T03:00:00.123Z');
  });

  it('takes the lab from the credential, never from the body', async () => {
    const { submit, queued } = ingestion();

    await submit({ results: [valid()] }, lab);

    expect(queued[0]).toMatchObject({ labId: lab.id, labName: lab.name });
  });
});

describe('POST /v1/results batch rules', () => {
  it('rejects the later of two items with the same sampleId and accepts the first', async () => {
    const { submit, queued } = ingestion();

    const outcome = await submit({ results: [valid({ sampleId: 'S-1' }), valid({ sampleId: 'S-1' })] }, lab);

    expect(outcome).toEqual({
      accepted: 1,
      rejected: 1,
      items: [
        { index: 0, sampleId: 'S-1', status: 'ACCEPTED' },
        {
          index: 1,
          sampleId: 'S-1',
          status: 'REJECTED',
          errors: [{ path: 'sampleId', message: 'is used by an earlier item of this batch' }],
        },
      ],
    });
    expect(queued.map((message) => message.sampleId)).toEqual(['S-1']);
  });

  it('rejects a repeated sampleId even when the earlier item was itself rejected', async () => {
    const { submit, queued } = ingestion();

    const outcome = await submit(
      {
        results: [
          valid({ sampleId: 'S-1', idNumber: '1' }),
          valid({ sampleId: 'S-1' }),
          valid({ sampleId: 'S-2' }),
        ],
      },
      lab,
    );

    expect(outcome.items.map((item) => item.status)).toEqual(['REJECTED', 'REJECTED', 'ACCEPTED']);
    expect(queued.map((message) => message.sampleId)).toEqual(['S-2']);
  });

  it('treats sampleIds as case-sensitive', async () => {
    const { submit } = ingestion();

    const outcome = await submit({ results: [valid({ sampleId: 's-1' }), valid({ sampleId: 'S-1' })] }, lab);

    expect(outcome.accepted).toBe(2);
  });

  it('reports a repeated sampleId together with the item’s other errors', async () => {
    const { submit } = ingestion();

    const outcome = await submit(
      {
        results: [valid({ sampleId: 'S-1' }), valid({ sampleId: 'S-1', result: 'NEGATIVE', idNumber: '1' })],
      },
      lab,
    );

    const second = outcome.items[1];
    expect(second?.status === 'REJECTED' ? second.errors.map((error) => error.path) : []).toEqual([
      'sampleId',
      'citizen.idNumber',
    ]);
  });

  it('rejects a test type the lab is not registered for, item by item', async () => {
    const { submit, queued } = ingestion();
    const pcrOnly = { ...lab, testTypes: ['RT_PCR'] as const };

    const outcome = await submit(
      {
        results: [
          valid({ sampleId: 'A', testType: 'RAPID_ANTIGEN' }),
          valid({ sampleId: 'B', testType: 'RT_PCR' }),
        ],
      },
      pcrOnly,
    );

    expect(outcome.items[0]).toEqual({
      index: 0,
      sampleId: 'A',
      status: 'REJECTED',
      errors: [{ path: 'testType', message: 'this lab is not registered for RAPID_ANTIGEN tests' }],
    });
    expect(queued.map((message) => message.sampleId)).toEqual(['B']);
  });

  it('accepts 500 items in one batch and queues them all', async () => {
    const { submit, queued } = ingestion();
    const results = Array.from({ length: 500 }, (_, i) => valid({ sampleId: `S-${i}` }));

    const outcome = await submit({ results }, lab);

    expect(outcome).toMatchObject({ accepted: 500, rejected: 0 });
    expect(queued).toHaveLength(500);
  });

  it('refuses 501 items as a whole', async () => {
    const { submit, queued } = ingestion();
    const results = Array.from({ length: 501 }, (_, i) => valid({ sampleId: `S-${i}` }));

    await expect(submit({ results }, lab)).rejects.toThrow(ValidationFailedError);
    expect(queued).toHaveLength(0);
  });

  it.each([
    ['an empty batch', { results: [] }],
    ['results that is not an array', { results: valid() }],
    ['a body without results', { result: [valid()] }],
    ['a body with an extra field', { results: [valid()], labId: 'lab_2' }],
    ['a body that is an array', [valid()]],
    ['a body that is null', null],
  ])('refuses %s as a whole', async (_, body) => {
    const { submit, queued } = ingestion();

    await expect(submit(body, lab)).rejects.toThrow(ValidationFailedError);
    expect(queued).toHaveLength(0);
  });

  it('answers with the per-item statuses of a partly valid batch, in order', async () => {
    const { submit, queued } = ingestion();

    const outcome = await submit(
      {
        results: [
          valid({ sampleId: 'A' }),
          withCitizen({ idNumber: '12' }, { sampleId: 'B' }),
          valid({ sampleId: 'C' }),
        ],
      },
      lab,
    );

    expect(outcome).toMatchObject({
      accepted: 2,
      rejected: 1,
      items: [
        { index: 0, sampleId: 'A', status: 'ACCEPTED' },
        { index: 1, sampleId: 'B', status: 'REJECTED', errors: [{ path: 'citizen.idNumber' }] },
        { index: 2, sampleId: 'C', status: 'ACCEPTED' },
      ],
    });
    expect(queued.map((message) => message.sampleId)).toEqual(['A', 'C']);
  });
});
