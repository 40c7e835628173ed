import { describe, expect, it } from 'vitest';
import { maskName } from '../../../contract/identity.js';
import { birthDateCheck, contentDigest, holderKey } from '../../../functions/domain/pseudonym.js';

const pepper = { secret: Buffer.alloc(32, 7), version: 1 };
const otherPepper = { secret: Buffer.alloc(32, 8), version: 2 };

describe('maskName', () => {
  it.each([
    ['Nguyễn Văn An', 'N***** V** A*'],
    ['Nguyễn Thị Ánh', 'N***** T** Á**'],
    ['  Trần   Bình  ', 'T*** B***'],
    ['Lê', 'L*'],
    ['A', 'A'],
  ])('masks %j as %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('counts a decomposed (NFD) letter as one letter', () => {
    expect(maskName('Nguyễn'.normalize('NFD'))).toBe('N*****');
  });
});

describe('holderKey', () => {
  it('is a 64-character hex HMAC that does not contain the ID number', () => {
    const key = holderKey(pepper, 'CCCD', '022090001234');

    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('022090001234');
  });

  it('is stable for the same document and differs by type, number and pepper', () => {
    const key = holderKey(pepper, 'CCCD', '022090001234');

    expect(holderKey(pepper, 'CCCD', '022090001234')).toBe(key);
    expect(holderKey(pepper, 'CMND', '022090001234')).not.toBe(key);
    expect(holderKey(pepper, 'CCCD', '022090001235')).not.toBe(key);
    expect(holderKey(otherPepper, 'CCCD', '022090001234')).not.toBe(key);
  });
});

describe('birthDateCheck and contentDigest', () => {
  it('binds the birth date to the holder', () => {
    const a = holderKey(pepper, 'CCCD', '022090001234');
    const b = holderKey(pepper, 'CCCD', '022090009999');

    expect(birthDateCheck(pepper, a, '1990-05-01')).toBe(birthDateCheck(pepper, a, '1990-05-01'));
    expect(birthDateCheck(pepper, a, '1990-05-01')).not.toBe(birthDateCheck(pepper, a, '1990-05-02'));
    expect(birthDateCheck(pepper, a, '1990-05-01')).not.toBe(birthDateCheck(pepper, b, '1990-05-01'));
  });

  it('tells different contents apart', () => {
    expect(contentDigest(pepper, ['S-1', 'NEGATIVE'])).not.toBe(contentDigest(pepper, ['S-1', 'POSITIVE']));
    expect(contentDigest(pepper, ['S-1', 'NEGATIVE'])).toBe(contentDigest(pepper, ['S-1', 'NEGATIVE']));
  });
});
