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

describe('stored values', () => {
  // Computed by the code before the pepper became a KeyObject: stored keys, birth-date checks and
  // content digests (compared for idempotent resends) must never change for the same pepper.
  const content = [
    'S-1',
    'CCCD',
    '022090001234',
    'Nguyễn Văn An',
    '1990-05-01',
    null,
    'RT_PCR',
    'NEGATIVE',
    '2021-09-10T01:30:00.000Z',
    '2021-09-10T07:00:00.000Z',
  ];
  const correction = [
    'S-2',
    'PASSPORT',
    'C1234567',
    'Trần Thị Ánh',
    '2001-12-31',
    '+84912345678',
    'RAPID_ANTIGEN',
    'POSITIVE',
    '2021-09-10T01:30:00.000Z',
    '2021-09-10T07:00:00.000Z',
  ];
  const secretsManagerPepper = {
    secret: Buffer.from('a-pepper-read-from-secrets-manager-0123456789', 'utf8'),
    version: 2,
  };

  it.each([
    [
      'a hex pepper',
      pepper,
      [
        '5c3a76c7fc50fab814d736e892b719b81a8bd25ed1d998fc73807619d05269e9',
        '120f07141586b622d88dd1eee63e51bef9df73fb97a39cda0de3edd7fc306041',
        'ce6616a4abe540f5030947a97bb8dedee03581e141de0e0adbd3832e4c70dee8',
        '12710bce034faf8aaebb19c1559a0f6fa5ba2065d63173ce01a1435e7e9124a5',
      ],
    ],
    [
      'a Secrets Manager pepper',
      secretsManagerPepper,
      [
        '2b55112f785632e8010f0f135abd54f52e3d4bb679895a1a7dcb1f329953394a',
        '400bd7108f2bff9a6ef3a399ff1f4470ade8ec95a759ecca921c7a49571a0d5d',
        '09ebf54148f414ce5123d79b7af8fa3221a908aad19b67a6d751e99d0326b2c2',
        'd31888560b3a5c63514df12ee504f6087d60733dac8ee402df19f7e5f37902a7',
      ],
    ],
  ])('are unchanged for %s', (_case, secret, expected) => {
    const key = holderKey(secret, 'CCCD', '022090001234');

    expect([
      key,
      birthDateCheck(secret, key, '1990-05-01'),
      contentDigest(secret, content),
      contentDigest(secret, correction),
    ]).toEqual(expected);
  });
});
