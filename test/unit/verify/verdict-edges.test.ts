import { describe, expect, it } from 'vitest';
import type { HolderResult } from '../../../functions/domain/holder-result.js';
import { answerFor } from '../../../functions/domain/verify-holder.js';
import { rule, stored } from './fakes.js';

const negative = (sampledAt: string, overrides: Partial<HolderResult> = {}) =>
  stored(sampledAt, { sampleId: `N-${sampledAt}`, ...overrides });
const positive = (sampledAt: string) => stored(sampledAt, { sampleId: `P-${sampledAt}`, result: 'POSITIVE' });
const invalid = (sampledAt: string) => stored(sampledAt, { sampleId: `I-${sampledAt}`, result: 'INVALID' });
const antigen = (sampledAt: string) => negative(sampledAt, { testType: 'RAPID_ANTIGEN' });

interface Case {
  readonly name: string;
  readonly results: readonly HolderResult[];
  readonly checkedAt: string;
  readonly verdict: 'VALID' | 'NOT_VALID';
  readonly validUntil?: string;
  readonly sampledAt?: string;
}

const cases: readonly Case[] = [
  {
    name: 'an RT-PCR negative exactly 72 h after sampling',
    results: [negative('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-13T01:30:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'an RT-PCR negative one second before 72 h',
    results: [negative('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-13T01:29:59Z',
    verdict: 'VALID',
    validUntil: '2021-09-13T01:30:00.000Z',
  },
  {
    name: 'an RT-PCR negative one millisecond before 72 h',
    results: [negative('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-13T01:29:59.999Z',
    verdict: 'VALID',
  },
  {
    name: 'a rapid antigen negative exactly 48 h after sampling',
    results: [antigen('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-12T01:30:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a rapid antigen negative one second before 48 h',
    results: [antigen('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-12T01:29:59Z',
    verdict: 'VALID',
    validUntil: '2021-09-12T01:30:00.000Z',
  },
  {
    name: 'a sample taken at 08:30 +07:00, checked at 08:30 +07:00 three days later',
    results: [negative('2021-09-10T08:30:00+07:00')],
    checkedAt: '2021-09-13T08:30:00+07:00',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a sample taken at 08:30 +07:00, checked at 01:29:59Z three days later',
    results: [negative('2021-09-10T08:30:00+07:00')],
    checkedAt: '2021-09-13T01:29:59Z',
    verdict: 'VALID',
    validUntil: '2021-09-13T01:30:00.000Z',
    sampledAt: '2021-09-10T01:30:00.000Z',
  },
  {
    name: 'a sample taken just after midnight +07:00 (the previous day in UTC)',
    results: [negative('2021-09-10T00:15:00+07:00')],
    checkedAt: '2021-09-12T17:14:59Z',
    verdict: 'VALID',
    validUntil: '2021-09-12T17:15:00.000Z',
  },
  {
    name: 'several negatives: the latest end of validity is chosen (a later antigen beats an earlier PCR)',
    results: [
      negative('2021-09-10T10:00:00Z'),
      antigen('2021-09-11T12:00:00Z'),
      negative('2021-09-09T10:00:00Z'),
    ],
    checkedAt: '2021-09-12T00:00:00Z',
    verdict: 'VALID',
    validUntil: '2021-09-13T12:00:00.000Z',
    sampledAt: '2021-09-11T12:00:00.000Z',
  },
  {
    name: 'several negatives: an earlier PCR outlasts a later antigen',
    results: [negative('2021-09-10T10:00:00Z'), antigen('2021-09-10T20:00:00Z')],
    checkedAt: '2021-09-12T00:00:00Z',
    verdict: 'VALID',
    validUntil: '2021-09-13T10:00:00.000Z',
    sampledAt: '2021-09-10T10:00:00.000Z',
  },
  {
    name: 'a positive sampled at the same instant as the negative',
    results: [negative('2021-09-10T01:30:00Z'), positive('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a positive given as +07:00 at the same instant as a Z negative',
    results: [negative('2021-09-10T01:30:00Z'), positive('2021-09-10T08:30:00+07:00')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a positive one second after the negative',
    results: [negative('2021-09-10T01:30:00Z'), positive('2021-09-10T01:30:01Z')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a positive older than a later negative',
    results: [positive('2021-09-01T01:30:00Z'), negative('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'VALID',
    validUntil: '2021-09-13T01:30:00.000Z',
  },
  {
    name: 'a positive between two negatives: only the later negative counts',
    results: [
      negative('2021-09-09T10:00:00Z'),
      positive('2021-09-10T00:00:00Z'),
      antigen('2021-09-10T12:00:00Z'),
    ],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'VALID',
    validUntil: '2021-09-12T12:00:00.000Z',
  },
  {
    name: 'an INVALID result after the negative is ignored',
    results: [negative('2021-09-10T01:30:00Z'), invalid('2021-09-10T05:00:00Z')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'VALID',
  },
  {
    name: 'only an INVALID result',
    results: [invalid('2021-09-10T01:30:00Z')],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a negative withdrawn by a correction to INVALID',
    results: [stored('2021-09-10T01:30:00Z', { result: 'INVALID', resultedAt: '2021-09-10T09:00:00.000Z' })],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
  {
    name: 'a positive corrected to negative',
    results: [stored('2021-09-10T01:30:00Z', { result: 'NEGATIVE', resultedAt: '2021-09-10T09:00:00.000Z' })],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'VALID',
  },
  {
    name: 'no result at all',
    results: [],
    checkedAt: '2021-09-11T00:00:00Z',
    verdict: 'NOT_VALID',
  },
];

describe('the verdict rule at its edges', () => {
  it.each(cases)('$name → $verdict', ({ results, checkedAt, verdict, validUntil, sampledAt }) => {
    const answer = answerFor(results, new Date(checkedAt), rule);

    expect(answer.verdict).toBe(verdict);
    if (validUntil !== undefined) expect(answer).toMatchObject({ validUntil });
    if (sampledAt !== undefined) expect(answer).toMatchObject({ sampledAt });
  });

  it('answers every NOT_VALID case with the same fields and the same size', () => {
    const notValid = cases.filter((c) => c.verdict === 'NOT_VALID');

    const answers = notValid.map((c) => answerFor(c.results, new Date(c.checkedAt), rule));

    notValid.forEach((c, i) => {
      expect(answers[i]).toEqual({
        verdict: 'NOT_VALID',
        checkedAt: new Date(c.checkedAt).toISOString(),
        reason: 'NO_VALID_RESULT',
        rule: { id: 'DEFAULT', version: 1, legalBasis: 'Cấu hình triển khai / deployment configuration' },
      });
    });
    expect(new Set(answers.map((answer) => JSON.stringify(answer).length)).size).toBe(1);
  });

  it('answers checkedAt and validUntil in UTC with Z', () => {
    const answer = answerFor(
      [negative('2021-09-10T08:30:00+07:00')],
      new Date('2021-09-11T08:00:00+07:00'),
      rule,
    );

    expect(answer).toMatchObject({
      checkedAt: '2021-09-11T01:00:00.000Z',
      validUntil: '2021-09-13T01:30:00.000Z',
      sampledAt: '2021-09-10T01:30:00.000Z',
    });
  });
});
