import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHolderIdentity } from '../../../contract/identity.js';
import { idTypes } from '../../../contract/vocabulary.js';
import { checkManualEntry, draftDateOfBirth, type ManualDraft } from '../../../web/src/manual-entry-check.js';

/** The page refuses before sending exactly what the server's own reader refuses, and sends what it reads. */

const clock = { now: () => new Date('2021-09-12T12:00:00Z') };
const serverReads = (draft: ManualDraft) =>
  readHolderIdentity(
    { idType: draft.idType, idNumber: draft.idNumber, dateOfBirth: draftDateOfBirth(draft) },
    clock,
  );
const entry = (idType: ManualDraft['idType'], idNumber: string, date: string): ManualDraft => {
  const [year = '', month = '', day = ''] = date.split('-');
  return { idType, idNumber, day, month, year };
};

describe('manual entry, checked on the phone by the contract rules', () => {
  it.each([
    ['CCCD', '001 090 012 345', '1990-05-01', []],
    ['CCCD', '001099009999', '1985-08-15', ['errCccdBirth']],
    ['CCCD', '001299009999', '1999-08-15', ['errCccdBirth']],
    ['CCCD', '001299009999', '2099-08-15', ['errDobFuture']],
    ['CCCD', '12345678901', '1990-05-01', ['errCCCD']],
    ['CMND', '1234567890', '1990-05-01', ['errCMND']],
    ['CMND', '123456789', '1990-05-01', []],
    ['PASSPORT', 'B12', '1990-05-01', ['errPASSPORT']],
    ['PASSPORT', 'c1234567', '1990-05-01', []],
    ['PASSPORT', 'C1234567', '1899-12-31', ['errDobTooEarly']],
    ['PASSPORT', 'C1234567', '1990-02-30', ['errDobInvalid']],
    ['PASSPORT', 'C1234567', '90-05-01', ['errDobInvalid']],
    ['PASSPORT', '', '', ['errPASSPORT', 'errDobInvalid']],
    // At 12:00 UTC it is already the 13th in UTC+14: not "future"; the 14th is.
    ['PASSPORT', 'C1234567', '2021-09-12', []],
    ['PASSPORT', 'C1234567', '2021-09-13', []],
    ['PASSPORT', 'C1234567', '2021-09-14', ['errDobFuture']],
  ] as const)('%s %j born %s → %j', (idType, idNumber, date, problems) => {
    const draft = entry(idType, idNumber, date);
    const result = checkManualEntry(draft, clock);

    expect(result.ok ? [] : result.problems).toEqual(problems);
    expect(result.ok).toBe(serverReads(draft) !== undefined);
  });

  it('sends the ID number as the server reads it (spaces gone, upper case)', () => {
    const result = checkManualEntry(entry('PASSPORT', ' c12 34567 ', '1990-05-01'), clock);

    expect(result).toEqual({
      ok: true,
      identity: { idType: 'PASSPORT', idNumber: 'C1234567', dateOfBirth: '1990-05-01' },
    });
  });

  it('refuses exactly when the server would, and sends what the server reads, for any entry', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const idNumber = fc.oneof(
      digits(0, 14),
      fc.string({ unit: fc.constantFrom(...'0123456789 abcXYZ-'), maxLength: 16 }),
      fc.string({ maxLength: 70 }),
      // Well-formed CCCD numbers, so the birth-year rule is reached often.
      fc
        .tuple(digits(3, 3), fc.constantFrom('0', '1', '2', '3', '4'), digits(2, 2), digits(6, 6))
        .map((parts) => parts.join('')),
    );
    const draft = fc.record({
      idType: fc.constantFrom(...idTypes),
      idNumber,
      day: digits(0, 2),
      month: digits(0, 2),
      year: fc.oneof(digits(0, 4), fc.integer({ min: 1890, max: 2030 }).map(String)),
    });

    fc.assert(
      fc.property(draft, (typed) => {
        const result = checkManualEntry(typed, clock);
        const read = serverReads(typed);
        expect(result.ok).toBe(read !== undefined);
        if (result.ok) expect(result.identity).toEqual(read);
      }),
      { numRuns: 2000 },
    );
  });
});
