import { describe, expect, it } from 'vitest';
import { formatVietnamTime, timeLeft } from '../../../web/src/format.js';

describe('Vietnam local time', () => {
  it('shows a UTC instant in Asia/Ho_Chi_Minh (UTC+7), whatever the machine time zone', () => {
    expect(formatVietnamTime(new Date('2021-09-12T01:30:00Z'))).toBe('08:30 12/09/2021');
  });

  it('moves to the next day after 17:00 UTC', () => {
    expect(formatVietnamTime(new Date('2021-09-12T17:05:00Z'))).toBe('00:05 13/09/2021');
  });

  it('counts whole hours and minutes left, and zero once past', () => {
    const now = new Date('2021-09-12T00:00:00Z');
    expect(timeLeft(new Date('2021-09-12T05:07:59Z'), now)).toEqual({ hours: 5, minutes: 7 });
    expect(timeLeft(new Date('2021-09-11T00:00:00Z'), now)).toEqual({ hours: 0, minutes: 0 });
  });
});
