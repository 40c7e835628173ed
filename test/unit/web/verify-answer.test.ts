import { describe, expect, it } from 'vitest';
import { parseVerifyAnswer } from '../../../web/src/api.js';

describe('verify answers', () => {
  it('reads a VALID answer as the contract gives it', () => {
    const answer = parseVerifyAnswer({
      verdict: 'VALID',
      checkedAt: '2021-09-10T08:30:00Z',
      validUntil: '2021-09-12T01:30:00Z',
      testType: 'RAPID_ANTIGEN',
      sampledAt: '2021-09-10T01:30:00Z',
      facility: { id: 'lab-1', name: 'CDC Quảng Ninh' },
      holder: { maskedName: 'N***** V** A*', birthYear: 1985 },
    });

    expect(answer).toEqual({
      verdict: 'VALID',
      validUntil: '2021-09-12T01:30:00Z',
      testType: 'RAPID_ANTIGEN',
      facilityName: 'CDC Quảng Ninh',
      maskedName: 'N***** V** A*',
      birthYear: 1985,
    });
  });

  it.each(['NO_VALID_RESULT', 'PASS_INVALID'] as const)('reads a NOT_VALID %s answer', (reason) => {
    expect(parseVerifyAnswer({ verdict: 'NOT_VALID', checkedAt: '2021-09-10T08:30:00Z', reason })).toEqual({
      verdict: 'NOT_VALID',
      reason,
    });
  });

  it.each([
    ['an unknown verdict', { verdict: 'MAYBE' }],
    ['an unknown reason', { verdict: 'NOT_VALID', reason: 'POSITIVE' }],
    ['a VALID without holder', { verdict: 'VALID', validUntil: '2021-09-12T01:30:00Z', testType: 'RT_PCR' }],
    ['an error body', { error: { code: 'INTERNAL', message: 'x' } }],
    ['not an object', 'VALID'],
  ])('refuses %s', (_name, body) => {
    expect(parseVerifyAnswer(body)).toBeUndefined();
  });
});
