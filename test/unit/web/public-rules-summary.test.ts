import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../../contract/rules.js';
import { en, languages, translate, vi } from '../../../web/src/public/i18n.js';
import { jurisdictionName, summarizeRules } from '../../../web/src/public/rules-summary.js';

const rule = (input: {
  id: string;
  version: number;
  jurisdiction: string;
  mode: string;
  validFrom: string;
  validTo?: string;
}): RuleSet => ({
  ...input,
  legalBasis: `DOC-${input.version}`,
  description: { vi: 'RT-PCR âm tính', en: 'Negative RT-PCR' },
  accept: [{ testType: 'RT_PCR', hours: 72 }],
  tests: [],
});

const now = new Date('2021-09-10T00:00:00.000Z');

/** A Quảng Ninh (VN-13) rule set, version 1, of the given id, mode and validity. */
const quangNinh = (id: string, mode: string, validFrom: string, validTo?: string) =>
  rule({
    id,
    version: 1,
    jurisdiction: 'VN-13',
    mode,
    validFrom,
    ...(validTo === undefined ? {} : { validTo }),
  });

describe('the rules shown per jurisdiction and mode', () => {
  it('shows the version in force now and the later ones that will take over, earliest first', () => {
    const summary = summarizeRules(
      [
        rule({
          id: 'HP-ENTRY',
          version: 1,
          jurisdiction: 'VN-HP',
          mode: 'ENTRY',
          validFrom: '2021-09-01T00:00:00Z',
        }),
        rule({
          id: 'HP-ENTRY',
          version: 2,
          jurisdiction: 'VN-HP',
          mode: 'ENTRY',
          validFrom: '2021-09-05T00:00:00Z',
        }),
        rule({
          id: 'HP-ENTRY',
          version: 4,
          jurisdiction: 'VN-HP',
          mode: 'ENTRY',
          validFrom: '2021-09-20T00:00:00Z',
        }),
        rule({
          id: 'HP-ENTRY',
          version: 3,
          jurisdiction: 'VN-HP',
          mode: 'ENTRY',
          validFrom: '2021-09-15T00:00:00Z',
        }),
      ],
      now,
    );

    expect(summary).toHaveLength(1);
    const [entry] = summary[0]?.modes ?? [];
    expect(entry?.inForce).toMatchObject({ rule: { version: 2 }, fallback: false });
    expect(entry?.scheduled.map((change) => [change.from, change.applied?.rule.version])).toEqual([
      ['2021-09-15T00:00:00.000Z', 3],
      ['2021-09-20T00:00:00.000Z', 4],
    ]);
  });

  it('names only the version that wins at a scheduled start (highest version of the same start)', () => {
    const [entry] =
      summarizeRules(
        [
          rule({ id: 'A', version: 1, jurisdiction: 'VN', mode: 'ENTRY', validFrom: '2021-09-15T00:00:00Z' }),
          rule({ id: 'A', version: 2, jurisdiction: 'VN', mode: 'ENTRY', validFrom: '2021-09-15T00:00:00Z' }),
        ],
        now,
      )[0]?.modes ?? [];

    expect(entry?.inForce).toBeUndefined();
    expect(entry?.scheduled.map((change) => change.applied?.rule.version)).toEqual([2]);
  });

  it('lists the whole country first, then provinces by code and modes by name, and leaves ended rules out', () => {
    const summary = summarizeRules(
      [
        quangNinh('QN-FREIGHT', 'FREIGHT', '2021-09-01T00:00:00Z'),
        quangNinh('QN-ENTRY', 'ENTRY', '2021-09-01T00:00:00Z'),
        rule({
          id: 'VN-ENTRY',
          version: 1,
          jurisdiction: 'VN',
          mode: 'ENTRY',
          validFrom: '2021-09-01T00:00:00Z',
        }),
        rule({
          id: 'HP-OLD',
          version: 1,
          jurisdiction: 'VN-HP',
          mode: 'ENTRY',
          validFrom: '2021-08-01T00:00:00Z',
          validTo: '2021-09-01T00:00:00Z',
        }),
      ],
      now,
    );

    expect(summary.map((entry) => [entry.jurisdiction, entry.modes.map((mode) => mode.mode)])).toEqual([
      ['VN', ['ENTRY']],
      ['VN-13', ['ENTRY', 'FREIGHT']],
    ]);
  });

  it('shows a rule that ends, and its successor scheduled from the end', () => {
    const [entry] =
      summarizeRules(
        [
          rule({
            id: 'B',
            version: 1,
            jurisdiction: 'VN-13',
            mode: 'ENTRY',
            validFrom: '2021-09-01T00:00:00Z',
            validTo: '2021-09-12T00:00:00Z',
          }),
          rule({
            id: 'B',
            version: 2,
            jurisdiction: 'VN-13',
            mode: 'ENTRY',
            validFrom: '2021-09-12T00:00:00Z',
          }),
        ],
        now,
      )[0]?.modes ?? [];

    expect(entry?.inForce?.rule.validTo).toBe('2021-09-12T00:00:00Z');
    expect(entry?.scheduled.map((change) => change.applied?.rule.version)).toEqual([2]);
  });
});

describe('what checkpoints of a province apply when it has no rule of its own', () => {
  const country = rule({
    id: 'DEFAULT',
    version: 1,
    jurisdiction: 'VN',
    mode: 'ENTRY',
    validFrom: '1970-01-01T00:00:00Z',
  });
  const countryFreight = rule({
    id: 'VN-FREIGHT',
    version: 1,
    jurisdiction: 'VN',
    mode: 'FREIGHT',
    validFrom: '2021-09-01T00:00:00Z',
  });
  const modesOf = (ruleSets: RuleSet[], jurisdiction: string) =>
    summarizeRules(ruleSets, now).find((entry) => entry.jurisdiction === jurisdiction)?.modes ?? [];

  it('shows the country’s rule, marked as such, between a province rule’s end and its next version', () => {
    const [entry] = modesOf(
      [
        country,
        quangNinh('QN-ENTRY', 'ENTRY', '2021-09-01T00:00:00Z', '2021-09-08T00:00:00Z'),
        quangNinh('QN-ENTRY2', 'ENTRY', '2021-09-12T00:00:00Z'),
      ],
      'VN-13',
    );

    expect(entry?.inForce).toMatchObject({ rule: { id: 'DEFAULT' }, fallback: true });
    expect(entry?.scheduled.map((change) => [change.from, change.applied?.rule.id])).toEqual([
      ['2021-09-12T00:00:00.000Z', 'QN-ENTRY2'],
    ]);
  });

  it('shows when a province rule ends and the country’s takes over, not only when rules start', () => {
    const [entry] = modesOf(
      [country, quangNinh('QN-ENTRY', 'ENTRY', '2021-09-01T00:00:00Z', '2021-09-13T00:00:00Z')],
      'VN-13',
    );

    expect(entry?.inForce).toMatchObject({ rule: { id: 'QN-ENTRY' }, fallback: false });
    expect(entry?.scheduled).toEqual([
      { from: '2021-09-13T00:00:00.000Z', applied: { rule: country, fallback: true } },
    ]);
  });

  it('applies the country’s rule for the mode to a province mode without one, as ruleFor does', () => {
    const modes = modesOf(
      [country, countryFreight, quangNinh('QN-FREIGHT', 'FREIGHT', '2021-09-15T00:00:00Z')],
      'VN-13',
    );

    expect(modes.map((mode) => [mode.mode, mode.inForce?.rule.id, mode.inForce?.fallback])).toEqual([
      ['FREIGHT', 'VN-FREIGHT', true],
    ]);
  });

  it('leaves out a province whose own rules have all ended (its checkpoints apply the country’s, listed first)', () => {
    expect(
      modesOf(
        [
          country,
          rule({
            id: 'HP-OLD',
            version: 1,
            jurisdiction: 'VN-HP',
            mode: 'ENTRY',
            validFrom: '2021-08-01T00:00:00Z',
            validTo: '2021-09-01T00:00:00Z',
          }),
        ],
        'VN-HP',
      ),
    ).toEqual([]);
  });
});

describe('province names for jurisdiction codes', () => {
  it('takes the name from the official list it is given, and shows the code without one', () => {
    const provinces = [{ code: 'VN-HP', name: 'Hải Phòng' }];

    expect(jurisdictionName('VN-HP', provinces)).toBe('Hải Phòng');
    expect(jurisdictionName('VN-13', provinces)).toBe('VN-13');
    expect(jurisdictionName('VN-13', [])).toBe('VN-13');
  });
});

describe("the public page's texts", () => {
  const placeholders = (text: string): string =>
    [...text.matchAll(/\{(\w+)\}/g)]
      .map((match) => match[1] ?? '')
      .sort()
      .join();

  it('has every key in both languages with the same placeholders, and none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    const mismatched = Object.entries(vi)
      .filter(
        ([key, text]) =>
          placeholders(text) !== placeholders(Object.entries(en).find(([k]) => k === key)?.[1] ?? ''),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
    for (const language of languages)
      expect(Object.entries(language === 'vi' ? vi : en).filter(([, text]) => text.trim() === '')).toEqual(
        [],
      );
  });

  it('is Vietnamese with diacritics first, and fills placeholders', () => {
    expect(vi.pageTitle).toBe('Danh sách cơ sở xét nghiệm đã kết nối');
    expect(translate('vi', 'stale', { hours: 24 })).toBe('Quá 24 giờ chưa gửi kết quả');
    expect(translate('en', 'stale', { hours: 24 })).toBe('No result for more than 24 hours');
  });
});
