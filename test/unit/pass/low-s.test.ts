import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLowS, toLowS } from '../../../contract/low-s.js';
import { P256_ORDER, sOf } from './fixtures.js';

const HALF = P256_ORDER / 2n;
const withS = (s: bigint, r = 1n): Uint8Array =>
  Buffer.from(`${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}`, 'hex');

describe('the low-S rule (s <= n/2 on P-256)', () => {
  it('takes s = floor(n/2) as low and floor(n/2) + 1 as high', () => {
    expect(isLowS(withS(HALF))).toBe(true);
    expect(isLowS(withS(HALF + 1n))).toBe(false);
    expect(isLowS(withS(1n))).toBe(true);
    expect(isLowS(withS(P256_ORDER - 1n))).toBe(false);
  });

  it('refuses anything that is not 64 bytes', () => {
    expect(isLowS(new Uint8Array(63))).toBe(false);
    expect(isLowS(new Uint8Array(65))).toBe(false);
  });

  it('agrees with big-number arithmetic, and toLowS keeps r and turns a high s into n - s', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: P256_ORDER - 1n }),
        fc.bigInt({ min: 1n, max: P256_ORDER - 1n }),
        (r, s) => {
          const signature = withS(s, r);

          const low = toLowS(signature);

          expect(isLowS(signature)).toBe(s <= HALF);
          expect(sOf(low)).toBe(s <= HALF ? s : P256_ORDER - s);
          expect(Buffer.from(low.subarray(0, 32))).toEqual(Buffer.from(signature.subarray(0, 32)));
          expect(isLowS(low)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves an s at or beyond n as it is, for the verifier to refuse', () => {
    const signature = withS(P256_ORDER);

    expect(toLowS(signature)).toBe(signature);
  });
});
