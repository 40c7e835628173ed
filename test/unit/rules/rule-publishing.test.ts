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
  type PublishedVersion,
  planPublish,
  RuleRefusedError,
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
  it('refuses a version that would make the signed document too long for the phones, and says why', () => {
    // 200 worked examples of 50 results each: a rule set of about 1.2 MB; two such are over the budget.
    const heavy = (id: string): RuleSet => ({
      ...v2,
      id,
      version: 1,
      tests: Array.from({ length: 200 }, (_, i) => ({
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

    expect(refusalCode(() => publish(heavy('QN-HEAVY-A')))).toBe('PUBLISHED');
    expect(
      refusalCode(() =>
        publish(heavy('QN-HEAVY-B'), { published: [publishedAs(v1), publishedAs(heavy('QN-HEAVY-A'))] }),
      ),
    ).toBe('RULE_DOCUMENT_TOO_LARGE');
    expect(() =>
      publish(heavy('QN-HEAVY-B'), { published: [publishedAs(v1), publishedAs(heavy('QN-HEAVY-A'))] }),
    ).toThrow(/^Với phiên bản này, .* \/ With this version the signed rules document/);
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
