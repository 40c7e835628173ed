import { describe, expect, it } from 'vitest';
import { RULES_WARNING_MS, rulesAgeLine } from '../../../web/src/rules-age.js';

/** The scan screen's line about the rules held for offline checks. */
describe('the rules-age line on the scan screen', () => {
  const signedAt = Date.parse('2021-08-20T10:00:00Z'); // 17:00 in Vietnam
  const rules = { signedAt, usableUntil: signedAt + 24 * 3_600_000 };
  const at = (hoursAfterSigning: number) => new Date(signedAt + hoursAfterSigning * 3_600_000);

  it('says when the rules were signed and until when they serve, in Vietnam time, quietly while fresh', () => {
    expect(rulesAgeLine(rules, at(1))).toEqual({
      key: 'rulesAsOf',
      params: { signed: '17:00 20/08/2021', until: '17:00 21/08/2021' },
      warning: false,
    });
  });

  it('turns into a warning with less than six hours left, and says when they are past their use', () => {
    expect(rulesAgeLine(rules, new Date(rules.usableUntil - RULES_WARNING_MS - 1)).warning).toBe(false);
    expect(rulesAgeLine(rules, new Date(rules.usableUntil - RULES_WARNING_MS + 1))).toMatchObject({
      key: 'rulesAsOf',
      warning: true,
    });
    expect(rulesAgeLine(rules, at(24))).toMatchObject({ key: 'rulesExpired', warning: true });
  });

  it('warns when the phone holds no rules it can verify', () => {
    expect(rulesAgeLine(undefined, at(0))).toEqual({ key: 'rulesNone', params: {}, warning: true });
  });
});
