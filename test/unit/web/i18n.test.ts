import { describe, expect, it } from 'vitest';
import { dictionaries, en, languages, translate, vi } from '../../../web/src/i18n.js';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

describe('translations', () => {
  it('has every key in both languages, and no extra one', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it.each(languages)('has no empty text in %s', (language) => {
    const empty = Object.entries(dictionaries[language]).filter(([, text]) => text.trim() === '');

    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages for every key', () => {
    const mismatched = Object.entries(vi)
      .filter(([key, text]) => {
        const english = Object.entries(en).find(([enKey]) => enKey === key)?.[1] ?? '';
        return placeholders(text).join() !== placeholders(english).join();
      })
      .map(([key]) => key);

    expect(mismatched).toEqual([]);
  });

  it('is Vietnamese in the Vietnamese dictionary (diacritics present)', () => {
    expect(vi.valid).toBe('HỢP LỆ');
    expect(vi.notValid).toBe('KHÔNG HỢP LỆ');
  });

  it('fills placeholders', () => {
    expect(translate('en', 'errRateLimited', { seconds: 30 })).toBe(
      'Too many checks in a short time. Wait 30 seconds and try again.',
    );
    expect(translate('vi', 'remaining', { hours: 5, minutes: 7 })).toBe('còn 5 giờ 7 phút');
  });
});
