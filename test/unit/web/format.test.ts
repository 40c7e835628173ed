import { describe, expect, it } from 'vitest';
import {
  checkManualEntry,
  formatIsoDate,
  formatVietnamTime,
  normaliseIdNumber,
  timeLeft,
} from '../../../web/src/format.js';

describe('Vietnam local time', () => {
  it('shows a UTC instant in Asia/Ho_Chi_Minh (UTC+7), whatever the machine time zone', () => {
    expect(formatVietnamTime(new Date('2021-09-12T01:30:00Z'))).toBe('08:30 12/09/2021');
  });

  it('moves to the next day after 17:00 UTC', () => {
    expect(formatVietnamTime(new Date('2021-09-12T17:05:00Z'))).toBe('00:05 13/09/2021');
    expect(formatIsoDate(new Date('2021-09-12T17:05:00Z'))).toBe('2021-09-13');
  });

  it('counts whole hours and minutes left, and zero once past', () => {
    const now = new Date('2021-09-12T00:00:00Z');
    expect(timeLeft(new Date('2021-09-12T05:07:59Z'), now)).toEqual({ hours: 5, minutes: 7 });
    expect(timeLeft(new Date('2021-09-11T00:00:00Z'), now)).toEqual({ hours: 0, minutes: 0 });
  });
});

describe('manual entry checks', () => {
  const today = new Date('2021-09-12T03:00:00Z');

  it('accepts a 12-digit CCCD typed with spaces', () => {
    expect(checkManualEntry('CCCD', '001 090 012 345', '1990-05-01', today)).toEqual([]);
    expect(normaliseIdNumber(' 001 090 012 345 ')).toBe('001090012345');
  });

  it.each([
    ['CCCD', '12345678901', 'errCCCD'],
    ['CMND', '1234567890', 'errCMND'],
    ['PASSPORT', 'B12', 'errPASSPORT'],
  ] as const)('rejects a %s number of the wrong shape', (idType, idNumber, error) => {
    expect(checkManualEntry(idType, idNumber, '1990-05-01', today)).toEqual([error]);
  });

  it('accepts a 9-digit CMND and a lower-case passport number', () => {
    expect(checkManualEntry('CMND', '123456789', '1990-05-01', today)).toEqual([]);
    expect(checkManualEntry('PASSPORT', 'c1234567', '1990-05-01', today)).toEqual([]);
  });

  it.each(['', '1990-02-30', '1899-12-31', '2021-09-13', '12/05/1990'])(
    'rejects the date of birth %j',
    (dateOfBirth) => {
      expect(checkManualEntry('CCCD', '001090012345', dateOfBirth, today)).toEqual(['errDob']);
    },
  );

  it('accepts a date of birth of today in Vietnam', () => {
    expect(checkManualEntry('CCCD', '001090012345', '2021-09-12', today)).toEqual([]);
  });
});
