import { describe, expect, it } from 'vitest';
import { decideVerdict, hours } from '../../../contract/verdict.js';
import type { HolderResult } from '../../../functions/domain/holder-result.js';

const windows = { RT_PCR: hours(72), RAPID_ANTIGEN: hours(48) };

const result = (overrides: Partial<HolderResult>): HolderResult => ({
  labId: 'lab_1',
  labName: 'Lab',
  sampleId: 'S',
  testType: 'RT_PCR',
  result: 'NEGATIVE',
  sampledAt: '2021-09-10T00:00:00.000Z',
  resultedAt: '2021-09-10T06:00:00.000Z',
  maskedName: 'N* A*',
  birthYear: 1990,
  birthDateCheck: 'x',
  ...overrides,
});

const at = (iso: string) => new Date(iso);

describe('decideVerdict', () => {
  it('is VALID one millisecond before the window ends and NOT_VALID exactly at its end', () => {
    const negative = result({});

    expect(decideVerdict([negative], at('2021-09-12T23:59:59.999Z'), windows)).toMatchObject({
      verdict: 'VALID',
    });
    expect(decideVerdict([negative], at('2021-09-13T00:00:00.000Z'), windows)).toEqual({
      verdict: 'NOT_VALID',
    });
  });

  it('uses the rapid antigen window for a rapid antigen test', () => {
    const negative = result({ testType: 'RAPID_ANTIGEN' });

    expect(decideVerdict([negative], at('2021-09-11T23:59:59Z'), windows)).toMatchObject({
      verdict: 'VALID',
    });
    expect(decideVerdict([negative], at('2021-09-12T00:00:00Z'), windows)).toEqual({ verdict: 'NOT_VALID' });
  });

  it('is NOT_VALID with no results, or only positive or invalid ones', () => {
    const now = at('2021-09-10T12:00:00Z');

    expect(decideVerdict([], now, windows)).toEqual({ verdict: 'NOT_VALID' });
    expect(decideVerdict([result({ result: 'POSITIVE' })], now, windows)).toEqual({ verdict: 'NOT_VALID' });
    expect(decideVerdict([result({ result: 'INVALID' })], now, windows)).toEqual({ verdict: 'NOT_VALID' });
  });

  it('lets a positive sampled at the same instant or later override a negative', () => {
    const now = at('2021-09-10T12:00:00Z');
    const negative = result({ sampleId: 'N' });

    expect(decideVerdict([negative, result({ result: 'POSITIVE' })], now, windows)).toEqual({
      verdict: 'NOT_VALID',
    });
    expect(
      decideVerdict(
        [negative, result({ result: 'POSITIVE', sampledAt: '2021-09-10T01:00:00.000Z' })],
        now,
        windows,
      ),
    ).toEqual({ verdict: 'NOT_VALID' });
  });

  it('keeps a negative sampled after an older positive VALID', () => {
    const positive = result({ result: 'POSITIVE', sampledAt: '2021-09-01T00:00:00.000Z' });

    expect(decideVerdict([positive, result({})], at('2021-09-10T12:00:00Z'), windows)).toMatchObject({
      verdict: 'VALID',
    });
  });

  it('ignores an INVALID result sampled after a negative', () => {
    const invalid = result({ result: 'INVALID', sampledAt: '2021-09-10T02:00:00.000Z' });

    expect(decideVerdict([result({}), invalid], at('2021-09-10T12:00:00Z'), windows)).toMatchObject({
      verdict: 'VALID',
    });
  });

  it('chooses the negative that is valid the longest, and takes its details', () => {
    const pcr = result({ sampleId: 'PCR', sampledAt: '2021-09-09T06:00:00.000Z' });
    const rapid = result({
      sampleId: 'RAPID',
      testType: 'RAPID_ANTIGEN',
      sampledAt: '2021-09-10T00:00:00.000Z',
    });

    const verdict = decideVerdict([rapid, pcr], at('2021-09-10T12:00:00Z'), windows);

    expect(verdict).toMatchObject({ verdict: 'VALID', basis: { sampleId: 'PCR' } });
    expect(verdict.verdict === 'VALID' && verdict.validUntil.toISOString()).toBe('2021-09-12T06:00:00.000Z');
  });

  it('breaks a tie of validUntil by the later sample', () => {
    const pcr = result({ sampleId: 'PCR', sampledAt: '2021-09-09T00:00:00.000Z' });
    const rapid = result({
      sampleId: 'RAPID',
      testType: 'RAPID_ANTIGEN',
      sampledAt: '2021-09-10T00:00:00.000Z',
    });

    expect(decideVerdict([pcr, rapid], at('2021-09-10T12:00:00Z'), windows)).toMatchObject({
      basis: { sampleId: 'RAPID' },
    });
  });
});
