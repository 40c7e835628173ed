import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_ID,
  defaultRuleSet,
  failingTests,
  isModeKnown,
  type RuleSet,
  ruleFor,
  ruleSetProblems,
} from '../../../contract/rules.js';
import {
  checkRuleSet,
  MAX_RULE_SET_BYTES,
  type PublishedVersion,
  planPublish,
  RuleRefusedError,
  refusalOf,
} from '../../../functions/domain/rule-publishing.js';
import { projectRoot } from '../../../lib/paths.js';

const FOLDER = join(projectRoot, 'docs', 'rules', 'quang-ninh-2021');
const file = (name: string): RuleSet => JSON.parse(readFileSync(join(FOLDER, name), 'utf8'));
const v1 = file('qn-entry-v1.json');
const v2 = file('qn-entry-v2.json');
const freight = file('qn-freight-v1.json');
const publishedAs = (ruleSet: RuleSet): PublishedVersion => ({
  ruleSet,
  publishedAt: '2021-07-10T00:00:00.000Z',
  publishedBy: 'operator',
});
/** Long before the 2021 files' validFrom, so the lead time holds unless a test says otherwise. */
const NOW = new Date('2021-07-01T00:00:00Z');
const publish = (value: unknown, more: Partial<Parameters<typeof planPublish>[0]> = {}) =>
  planPublish({
    value,
    published: [publishedAs(v1)],
    now: NOW,
    leadTimeHours: 24,
    urgentReason: undefined,
    publishedBy: 'operator',
    ...more,
  });
const refusalCode = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleRefusedError) return error.code;
    throw error;
  }
  return 'PUBLISHED';
};

describe('publishing a rule set', () => {
  /** A rule set of `examples` worked examples of 50 results each: 60 weigh about 250 KB as stored. */
  const heavy = (id: string, examples = 60): RuleSet => ({
    ...v2,
    id,
    version: 1,
    tests: Array.from({ length: examples }, (_, i) => ({
      name: `positive ${i}`,
      checkedAt: '2021-08-21T00:00:00+07:00',
      results: Array.from({ length: 50 }, () => ({
        testType: 'RT_PCR' as const,
        result: 'POSITIVE' as const,
        sampledAt: '2021-08-20T08:00:00+07:00',
      })),
      expect: { verdict: 'NOT_VALID' as const },
    })),
  });

  it('refuses a version that would make the signed document too long for the phones, and says why', () => {
    // Four live sets of about 250 KB fit the phones' budget; a fifth does not.
    const four = ['A', 'B', 'C', 'D'].map((x) => publishedAs(heavy(`QN-HEAVY-${x}`)));

    expect(
      refusalCode(() => publish(heavy('QN-HEAVY-D'), { published: [publishedAs(v1), ...four.slice(0, 3)] })),
    ).toBe('PUBLISHED');
    expect(refusalCode(() => publish(heavy('QN-HEAVY-E'), { published: [publishedAs(v1), ...four] }))).toBe(
      'RULE_DOCUMENT_TOO_LARGE',
    );
    expect(() => publish(heavy('QN-HEAVY-E'), { published: [publishedAs(v1), ...four] })).toThrow(
      /^Với phiên bản này, .* \/ With this version the signed rules document/,
    );
  });

  it('refuses, in rules check already, one version over 300 KB as stored: the table holds 400 KB an item', () => {
    const big = heavy('QN-BIG', 80);
    const check = checkRuleSet(big, [publishedAs(v1)]);

    expect(check.bytes).toBeGreaterThan(MAX_RULE_SET_BYTES);
    expect(refusalOf(check)?.code).toBe('RULE_VERSION_TOO_LARGE');
    expect(() => publish(big)).toThrow(
      /^Bộ quy tắc dài 330 KB khi lưu, quá 300 KB .* \/ The rule set is 330 KB as stored, over 300 KB for one version/,
    );
    expect(refusalCode(() => publish(heavy('QN-BIG', 60)))).toBe('PUBLISHED');
  });

  it('refuses an urgent reason over 500 characters, saying how long it is', () => {
    const early = { ...v2, validFrom: '2021-07-01T01:00:00+07:00' };

    expect(refusalCode(() => publish(early, { urgentReason: 'x'.repeat(500) }))).toBe('PUBLISHED');
    expect(() => publish(early, { urgentReason: 'x'.repeat(501) })).toThrow(
      /tối đa 500 ký tự \(lý do này dài 501\).* \/ --urgent needs a reason of at most 500 characters \(this one has 501\)/,
    );
  });

  it('names a failing example by its place and shows what it states against what the rule answers', () => {
    const valid = v2.tests.find((test) => test.expect.verdict === 'VALID');
    if (valid === undefined) throw new Error('the fixture changed: it has a VALID example');
    const later = new Date(Date.parse(valid.expect.validUntil ?? '') + 3_600_000).toISOString();
    const wrong = {
      ...v2,
      tests: [
        ...v2.tests,
        { ...valid, name: 'one hour too long', expect: { verdict: 'VALID', validUntil: later } },
      ],
    };

    expect(() => publish(wrong)).toThrow(
      `QN-ENTRY v2 tests[${v2.tests.length}] "one hour too long": ` +
        'VALID until 2021-08-23T09:00:00+07:00 → VALID until 2021-08-23T08:00:00+07:00',
    );
  });

  it('refuses --urgent for a version that has its lead time: the reason would flag it urgent for good', () => {
    expect(refusalCode(() => publish(v2, { urgentReason: 'Công văn 5630/UBND-XD6' }))).toBe(
      'RULE_URGENT_NOT_NEEDED',
    );
    expect(() => publish(v2, { urgentReason: 'x' })).toThrow(
      /^validFrom 2021-08-20T.* đã đủ 24 giờ báo trước: hãy công bố không có --urgent .* \/ validFrom .* is already 24 h or more ahead: publish without --urgent/,
    );
    expect(refusalCode(() => publish(v2))).toBe('PUBLISHED');
  });

  it('refuses two worked examples of one name, which a refusal could not tell apart', () => {
    const [first] = v2.tests;
    const twins = { ...v2, tests: [...v2.tests, { ...first, expect: first?.expect }] };

    expect(refusalCode(() => publish(twins))).toBe('RULE_INVALID');
    expect(() => publish(twins)).toThrow(
      new RegExp(`tests\\[${v2.tests.length}\\]\\.name is tests\\[0\\]'s name too`),
    );
  });

  it('publishes the next version, recording who and when', () => {
    expect(publish(v2)).toEqual({ ruleSet: v2, publishedAt: NOW.toISOString(), publishedBy: 'operator' });
  });

  it('refuses a file that is not a rule set, naming the fields', () => {
    expect(() => publish({ ...v2, version: 0 })).toThrow(/version must be a whole number/);
    expect(refusalCode(() => publish({ ...v2, version: 0 }))).toBe('RULE_INVALID');
  });

  it('refuses a file whose own worked example fails', () => {
    const wrong = {
      ...v2,
      tests: [{ ...v2.tests[0], expect: { verdict: 'VALID', validUntil: '2030-01-01T00:00:00Z' } }],
    };
    expect(refusalCode(() => publish(wrong))).toBe('RULE_TEST_FAILED');
  });

  it('refuses a version that answers an earlier version’s example that still applies otherwise', () => {
    // Same windows and labs, so v1's examples apply; one of them (as stored) says otherwise.
    const stored = {
      ...v1,
      tests: [{ ...v1.tests[0], expect: { verdict: 'VALID', validUntil: '2021-07-18T08:00:00+07:00' } }],
    } as RuleSet;
    const next = { ...v1, version: 2 };
    expect(checkRuleSet(next, [publishedAs(stored)]).brokenEarlier).toHaveLength(1);
    expect(refusalCode(() => publish(next, { published: [publishedAs(stored)] }))).toBe(
      'RULE_EARLIER_TEST_BROKEN',
    );
  });

  it('refuses a version not above the last published of its id', () => {
    expect(refusalCode(() => publish(v1))).toBe('RULE_VERSION_NOT_ABOVE');
    expect(() => publish(v1)).toThrow(/^Phiên bản 1 của QN-ENTRY .* \/ Version 1 of QN-ENTRY is not above/);
  });

  it('refuses a jurisdiction or mode other than the earlier versions’', () => {
    expect(refusalCode(() => publish({ ...v2, jurisdiction: 'VN-01' }))).toBe('RULE_SCOPE_CHANGED');
    expect(refusalCode(() => publish({ ...v2, mode: 'FREIGHT' }))).toBe('RULE_SCOPE_CHANGED');
  });

  it('refuses a validFrom less than the lead time ahead, unless urgent with a reason, which is recorded', () => {
    const soon = new Date(Date.parse(v2.validFrom) - 23 * 3_600_000);
    expect(refusalCode(() => publish(v2, { now: soon }))).toBe('RULE_LEAD_TIME');
    expect(refusalCode(() => publish(v2, { now: soon, urgentReason: 'Khẩn\n\u202egnitset' }))).toBe(
      'RULE_URGENT_REASON_INVALID',
    );
    expect(refusalCode(() => publish(v2, { now: soon, urgentReason: '  ' }))).toBe(
      'RULE_URGENT_REASON_EMPTY',
    );
    expect(publish(v2, { now: soon, urgentReason: ' 5630/UBND-XD6 in force at once ' })).toMatchObject({
      urgentReason: '5630/UBND-XD6 in force at once',
      publishedBy: 'operator',
      publishedAt: soon.toISOString(),
    });
    expect(refusalCode(() => publish(v2, { now: new Date(Date.parse(v2.validFrom) - 24 * 3_600_000) }))).toBe(
      'PUBLISHED',
    );
  });

  it('refuses when the evaluator no longer answers a published version’s own example', () => {
    const tampered = {
      ...freight,
      tests: [{ ...freight.tests[0], expect: { verdict: 'VALID', validUntil: '2030-01-01T00:00:00Z' } }],
    } as RuleSet;
    expect(checkRuleSet(v2, [publishedAs(v1), publishedAs(tampered)]).publishedFailing).toHaveLength(1);
    expect(refusalCode(() => publish(v2, { published: [publishedAs(v1), publishedAs(tampered)] }))).toBe(
      'RULE_PUBLISHED_TEST_FAILED',
    );
  });
});

describe('the default rule set', () => {
  it.each([
    [{ RT_PCR: 72, RAPID_ANTIGEN: 48 }],
    [{ RT_PCR: 1, RAPID_ANTIGEN: 1 }],
    [{ RT_PCR: 720, RAPID_ANTIGEN: 24 }],
  ])('is a rule set whose examples hold for windows %j', (windows) => {
    const rule = defaultRuleSet(windows);
    expect(ruleSetProblems(rule)).toEqual([]);
    expect(failingTests(rule)).toEqual([]);
    expect(rule).toMatchObject({ id: DEFAULT_RULE_ID, version: 1, jurisdiction: 'VN', mode: 'ENTRY' });
    expect(rule.accept).toEqual([
      { testType: 'RT_PCR', hours: windows.RT_PCR },
      { testType: 'RAPID_ANTIGEN', hours: windows.RAPID_ANTIGEN },
    ]);
  });
});

describe('which rule a device applies', () => {
  const national = defaultRuleSet({ RT_PCR: 72, RAPID_ANTIGEN: 48 });
  const nationalFreight = { ...freight, id: 'VN-FREIGHT', jurisdiction: 'VN' };
  const rules = [national, v1, freight, nationalFreight];
  const at = new Date('2021-10-10T00:00:00Z');

  it('takes its jurisdiction’s rule for the mode first', () => {
    expect(ruleFor(rules, 'VN-13', 'ENTRY', at)?.id).toBe('QN-ENTRY');
    expect(ruleFor(rules, 'VN-13', 'FREIGHT', at)?.id).toBe('QN-FREIGHT');
  });

  it('falls back to the country’s rule for the mode, then to the country’s ENTRY rule', () => {
    expect(ruleFor(rules, 'VN-01', 'FREIGHT', at)?.id).toBe('VN-FREIGHT');
    expect(ruleFor(rules, 'VN-01', 'ENTRY', at)?.id).toBe(DEFAULT_RULE_ID);
    expect(ruleFor([national, v1], 'VN-01', 'FREIGHT', at)?.id).toBe(DEFAULT_RULE_ID);
    expect(ruleFor([national, v1], 'VN-13', 'FREIGHT', at)?.id).toBe(DEFAULT_RULE_ID);
  });

  it('falls back when the jurisdiction’s rule is not in force yet', () => {
    expect(ruleFor(rules, 'VN-13', 'ENTRY', new Date('2021-07-12T16:59:59Z'))?.id).toBe(DEFAULT_RULE_ID);
    expect(ruleFor(rules, 'VN-13', 'ENTRY', new Date('2021-07-12T17:00:00Z'))?.id).toBe('QN-ENTRY');
  });

  it('knows a mode when a rule of the jurisdiction or the country names it, or it is ENTRY', () => {
    expect(isModeKnown(rules, 'VN-13', 'FREIGHT')).toBe(true);
    expect(isModeKnown([national, nationalFreight], 'VN-01', 'FREIGHT')).toBe(true);
    expect(isModeKnown([national, freight], 'VN-01', 'FREIGHT')).toBe(false);
    expect(isModeKnown([], 'VN-01', 'ENTRY')).toBe(true);
  });
});
