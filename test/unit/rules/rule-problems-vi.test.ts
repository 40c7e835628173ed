import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RuleProblem, ruleSetProblems } from '../../../contract/rules.js';
import { publicationProblems } from '../../../contract/rules-publication.js';
import { problemInVietnamese } from '../../../functions/domain/rule-problems-vi.js';
import { planPublish } from '../../../functions/domain/rule-publishing.js';
import { projectRoot } from '../../../lib/paths.js';

const example = JSON.parse(
  readFileSync(join(projectRoot, 'docs', 'rules', 'quang-ninh-2021', 'qn-entry-v1.json'), 'utf8'),
) as Record<string, unknown>;
const [aTest] = example.tests as Record<string, unknown>[];

/** Bad rule files that between them trip every check of the shape and of publication. */
const badFiles: unknown[] = [
  'not an object',
  {
    id: 'x',
    version: 0,
    jurisdiction: 'Quảng Ninh',
    mode: 'entry',
    validFrom: 'soon',
    validTo: 'later',
    legalBasis: '',
    accept: [],
    labIds: [],
    tests: [],
    colour: 'red',
  },
  {
    ...example,
    validTo: '2021-01-01T00:00:00+07:00',
    description: { vi: 'x', en: 'y', fr: 'z' },
    accept: [
      'RT_PCR',
      { testType: 'PCR', hours: 0, extra: 1 },
      { testType: 'RT_PCR', hours: 72 },
      { testType: 'RT_PCR', hours: 72 },
    ],
    labIds: ['lab-1'],
    tests: [
      'a test',
      { name: '', checkedAt: 'x', results: 'none', expect: { verdict: 'MAYBE' }, extra: 1 },
      {
        ...aTest,
        results: [
          'a result',
          { testType: 'X', result: 'Y', sampledAt: 'z', resultedAt: 'w', labId: 'v', extra: 1 },
        ],
        expect: { verdict: 'VALID', extra: 1 },
      },
      { ...aTest, expect: { verdict: 'NOT_VALID', validUntil: '2021-07-17T08:00:00+07:00' } },
    ],
  },
  { ...example, description: 'only one language' },
  { ...example, tests: Array.from({ length: 201 }, () => aTest) },
  {
    ...example,
    jurisdiction: 'VN-61',
    validFrom: '2021-09-31T00:00:00+07:00',
    validTo: '2021-10-01T24:00:00+07:00',
    legalBasis: 'line\nbreak',
    description: { vi: 'một\ndòng', en: 'one line' },
    tests: [
      { ...aTest, checkedAt: '2021-02-30T00:00:00+07:00' },
      {
        ...aTest,
        results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: '2021-06-31T00:00:00+07:00' }],
      },
      aTest,
    ],
  },
  { ...example, id: 'DEFAULT', jurisdiction: 'VN-13', validTo: '2030-01-01T00:00:00+07:00' },
  // A well-formed code that never was a province: the general message (VN-61 above gets the former code's).
  { ...example, jurisdiction: 'VN-99' },
];

const problems: RuleProblem[] = badFiles.flatMap((file) => [
  ...ruleSetProblems(file),
  ...publicationProblems(file),
]);

describe('the Vietnamese of a rule file’s problems', () => {
  it('has every problem the checks give in Vietnamese, none left in English', () => {
    const messages = [...new Set(problems.map((p) => p.message))];
    const untranslated = messages.filter((message) => problemInVietnamese({ path: '', message }) === message);

    expect(messages.length).toBeGreaterThanOrEqual(31);
    expect(untranslated).toEqual([]);
  });

  it('puts every problem in Vietnamese first, then the same in English', () => {
    expect(() =>
      planPublish({
        value: { ...example, version: 0, mode: 'entry' },
        published: [],
        now: new Date('2021-07-01T00:00:00Z'),
        leadTimeHours: 24,
        urgentReason: undefined,
        publishedBy: 'operator',
      }),
    ).toThrow(
      'Tệp không phải là một bộ quy tắc hợp lệ: version phải là số nguyên từ 1; mode phải gồm 2-30 ký tự A-Z và _, ví dụ ENTRY. / ' +
        'The file is not a valid rule set: version must be a whole number from 1; mode must be 2-30 of A-Z and _, e.g. ENTRY.',
    );
  });
});
