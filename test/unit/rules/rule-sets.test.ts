import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  brokenEarlierTests,
  evaluateRule,
  failingTests,
  type RuleSet,
  readRuleSet,
  ruleInForce,
  ruleSetProblems,
} from '../../../contract/rules.js';
import { publicationProblems } from '../../../contract/rules-publication.js';
import { projectRoot } from '../../../lib/paths.js';

const FOLDER = join(projectRoot, 'docs', 'rules', 'quang-ninh-2021');
const files = readdirSync(FOLDER).filter((name) => name.endsWith('.json'));
const raw = (name: string): unknown => JSON.parse(readFileSync(join(FOLDER, name), 'utf8'));
const load = (name: string): RuleSet => {
  const rule = readRuleSet(raw(name));
  if (!rule) throw new Error(`${name}: ${JSON.stringify(ruleSetProblems(raw(name)))}`);
  return rule;
};
const entry = [1, 2, 3, 4].map((version) => load(`qn-entry-v${version}.json`));
const freight = load('qn-freight-v1.json');
const all = [...entry, freight];

describe('the 2021 Quảng Ninh rule sets', () => {
  it.each(files)('%s is a rule set whose worked examples all hold', (name) => {
    expect(ruleSetProblems(raw(name))).toEqual([]);
    expect(failingTests(load(name))).toEqual([]);
  });

  it('publishes in order: no version breaks an earlier version’s example that still applies', () => {
    for (const [i, rule] of entry.entries()) {
      expect(brokenEarlierTests(rule, entry.slice(0, i))).toEqual([]);
    }
  });

  it.each([
    ['2021-07-13T00:00:00+07:00', 1],
    ['2021-08-20T11:59:59+07:00', 1],
    ['2021-08-20T12:00:00+07:00', 2],
    ['2021-08-23T23:59:59+07:00', 2],
    ['2021-08-24T00:00:00+07:00', 3],
    ['2021-10-12T23:59:59.999+07:00', 3],
    ['2021-10-13T00:00:00+07:00', 4],
  ])('has the entry rule in force at %s be version %i', (at, version) => {
    expect(ruleInForce(all, 'VN-13', 'ENTRY', new Date(at))?.version).toBe(version);
  });

  it('has no entry rule before the first one, and keeps freight apart from entry', () => {
    expect(ruleInForce(all, 'VN-13', 'ENTRY', new Date('2021-07-12T23:59:59+07:00'))).toBeUndefined();
    expect(ruleInForce(all, 'VN-13', 'FREIGHT', new Date('2021-10-10T00:00:00+07:00'))?.id).toBe(
      'QN-FREIGHT',
    );
    expect(ruleInForce(all, 'VN-13', 'FREIGHT', new Date('2021-10-05T23:59:59+07:00'))).toBeUndefined();
    expect(ruleInForce(all, 'VN-HP', 'ENTRY', new Date('2021-10-14T00:00:00+07:00'))).toBeUndefined();
  });

  it('turns the same rapid negative from VALID to NOT_VALID when version 2 starts at noon', () => {
    const results = [
      { testType: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: '2021-08-20T06:00:00+07:00' },
    ] as const;
    const before = new Date('2021-08-20T11:59:59+07:00');
    const after = new Date('2021-08-20T12:00:00+07:00');

    const inForceBefore = ruleInForce(all, 'VN-13', 'ENTRY', before);
    const inForceAfter = ruleInForce(all, 'VN-13', 'ENTRY', after);

    expect(inForceBefore && evaluateRule(inForceBefore, results, before)).toMatchObject({ verdict: 'VALID' });
    expect(inForceAfter && evaluateRule(inForceAfter, results, after)).toEqual({ verdict: 'NOT_VALID' });
  });
});

describe('a rule set’s shape', () => {
  const valid = raw('qn-entry-v1.json') as Record<string, unknown>;

  it.each([
    ['a lower-case id', { id: 'qn-entry' }, 'id'],
    ['version 0', { version: 0 }, 'version'],
    ['a province name instead of its code', { jurisdiction: 'Quảng Ninh' }, 'jurisdiction'],
    ['a date without time', { validFrom: '2021-07-13' }, 'validFrom'],
    ['31 September (no such day)', { validFrom: '2021-09-31T00:00:00+07:00' }, 'validFrom'],
    ['30 February', { validFrom: '2021-02-30T00:00:00+07:00' }, 'validFrom'],
    ['24:00 instead of 00:00 the next day', { validFrom: '2021-10-12T24:00:00+07:00' }, 'validFrom'],
    ['a minute 60', { validFrom: '2021-10-12T23:60:00+07:00' }, 'validFrom'],
    ['an offset of 25 hours', { validFrom: '2021-10-12T00:00:00+25:00' }, 'validFrom'],
    ['a well-formed code of no province', { jurisdiction: 'VN-99' }, 'jurisdiction'],
    ['the code of a province merged in 2025 (Hải Dương)', { jurisdiction: 'VN-61' }, 'jurisdiction'],
    ['validTo before validFrom', { validTo: '2021-07-12T00:00:00+07:00' }, 'validTo'],
    ['no legal basis', { legalBasis: '' }, 'legalBasis'],
    ['a legal basis reversed by a bidi control', { legalBasis: '\u202e6DX-DBNU/8526' }, 'legalBasis'],
    ['a description with a line break', { description: { vi: 'Một\ndòng', en: 'One line' } }, 'description'],
    [
      'a description with an ESC sequence',
      { description: { vi: 'Xét nghiệm', en: '\u001b[31mTest' } },
      'description',
    ],
    ['a description in one language only', { description: { vi: 'Chỉ tiếng Việt' } }, 'description'],
    ['nothing accepted', { accept: [] }, 'accept'],
    [
      'a test type twice',
      {
        accept: [
          { testType: 'RT_PCR', hours: 72 },
          { testType: 'RT_PCR', hours: 48 },
        ],
      },
      'accept[1].testType',
    ],
    ['hours that are not whole', { accept: [{ testType: 'RT_PCR', hours: 1.5 }] }, 'accept[0].hours'],
    ['no worked example', { tests: [] }, 'tests'],
    ['an unknown field', { vaccineDoses: 2 }, 'vaccineDoses'],
    ['code where data is expected', { accept: 'r => r.testType === "RT_PCR"' }, 'accept'],
  ])('refuses %s, naming the field', (_, change, path) => {
    expect(publicationProblems({ ...valid, ...change }).map((problem) => problem.path)).toContain(path);
  });

  it('still reads a version published before a check existed, so the rule in force never changes under a checkpoint', () => {
    for (const change of [
      { validFrom: '2021-09-31T00:00:00+07:00' },
      { jurisdiction: 'VN-61' },
      { legalBasis: 'Công văn\n5630' },
      { description: { vi: 'Một\ndòng', en: 'Two\nlines' } },
      { id: 'DEFAULT', jurisdiction: 'VN', validTo: '2022-01-01T00:00:00+07:00' },
    ]) {
      expect(readRuleSet({ ...valid, ...change })).toBeDefined();
      expect(publicationProblems({ ...valid, ...change })).not.toEqual([]);
    }
  });

  it('takes a leap day, an offset and fractions of a second as written', () => {
    for (const validFrom of [
      '2024-02-29T00:00:00+07:00',
      '2021-10-12T23:59:59.5-03:30',
      '2021-12-31T17:00:00Z',
    ]) {
      expect(publicationProblems({ ...valid, validFrom, validTo: undefined })).toEqual([]);
    }
  });

  it('keeps the country default (DEFAULT) VN/ENTRY and without an end, as every device falls back to it', () => {
    const asDefault = { ...valid, id: 'DEFAULT', jurisdiction: 'VN' };

    expect(publicationProblems(asDefault)).toEqual([]);
    expect(publicationProblems({ ...asDefault, validTo: '2022-01-01T00:00:00+07:00' })).toEqual([
      expect.objectContaining({ path: 'validTo', message: expect.stringContaining('never ends') }),
    ]);
    expect(publicationProblems({ ...asDefault, jurisdiction: 'VN-13' }).map((p) => p.path)).toEqual([
      'jurisdiction',
    ]);
    expect(publicationProblems({ ...asDefault, mode: 'FREIGHT' }).map((p) => p.path)).toEqual([
      'jurisdiction',
    ]);
  });

  it('says which worked example fails, and what the rule answers instead', () => {
    const rule = load('qn-entry-v1.json');
    const wrong = {
      ...rule,
      tests: [{ ...rule.tests[0], expect: { verdict: 'NOT_VALID' } } as RuleSet['tests'][number]],
    };

    expect(failingTests(wrong)).toEqual([
      {
        rule: { id: 'QN-ENTRY', version: 1, legalBasis: rule.legalBasis },
        test: 'an RT-PCR negative is valid for 72 hours from sampling',
        index: 0,
        expected: { verdict: 'NOT_VALID' },
        actual: { verdict: 'VALID', validUntil: '2021-07-17T01:00:00.000Z' },
      },
    ]);
  });

  it('counts only the listed labs’ negatives, and every lab’s positives', () => {
    const rule: RuleSet = { ...load('qn-entry-v4.json'), labIds: ['lab_00000000000000aa'] };
    const at = new Date('2021-10-14T08:00:00+07:00');
    const negative = {
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: '2021-10-13T08:00:00+07:00',
    } as const;

    expect(evaluateRule(rule, [{ ...negative, labId: 'lab_00000000000000bb' }], at)).toEqual({
      verdict: 'NOT_VALID',
    });
    expect(evaluateRule(rule, [{ ...negative, labId: 'lab_00000000000000aa' }], at)).toMatchObject({
      verdict: 'VALID',
    });
    expect(
      evaluateRule(
        rule,
        [
          { ...negative, labId: 'lab_00000000000000aa' },
          {
            ...negative,
            result: 'POSITIVE',
            sampledAt: '2021-10-14T07:00:00+07:00',
            labId: 'lab_00000000000000bb',
          },
        ],
        at,
      ),
    ).toEqual({ verdict: 'NOT_VALID' });
  });
});
