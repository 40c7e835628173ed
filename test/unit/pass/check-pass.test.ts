import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PassClaims } from '../../../contract/pass-format.js';
import { checkPass, decodePass, encodePass } from '../../../functions/domain/pass-codec.js';
import { createKeyRing } from '../../../functions/domain/pass-keys.js';
import {
  b64json,
  claimsAt,
  highSTwinOf,
  issuedAt,
  lifetimeSeconds,
  newLocalSigner,
  segmentsOf,
} from './fixtures.js';

const current = newLocalSigner();
const previous = newLocalSigner();
const ring = createKeyRing([current.publicKey, previous.publicKey]);
const later = new Date(issuedAt.getTime() + 3600_000);
const afterExpiry = new Date(issuedAt.getTime() + (lifetimeSeconds + 60) * 1000);

/** A `meanwhile` that records its calls and settles only after a few turns of the event loop. */
const slowRead = (outcome: 'resolve' | 'reject' = 'resolve') => {
  const calls: PassClaims[] = [];
  const settled: boolean[] = [];
  const read = async (claims: PassClaims): Promise<string> => {
    calls.push(claims);
    await new Promise((resolve) => setTimeout(resolve, 5));
    settled.push(true);
    if (outcome === 'reject') throw new Error('read failed');
    return `rows of ${claims.sub}`;
  };
  return { read, calls, settled };
};

const forged = async (): Promise<string> => {
  const [header, , signature] = segmentsOf(await encodePass(claimsAt(), current));
  return `RG1:${header}.${b64json({ ...claimsAt(), sub: 'b'.repeat(64) })}.${signature}`;
};

describe('checkPass (the signature check overlapped with the read)', () => {
  it('hands the claims of an authentic pass to the read and keeps its value', async () => {
    const claims = claimsAt();
    const { read, calls } = slowRead();

    const checked = await checkPass(await encodePass(claims, current), ring, later, read);

    expect(checked).toEqual({ ok: true, claims, kid: current.kid, value: `rows of ${claims.sub}` });
    expect(calls).toEqual([claims]);
  });

  it('drops what the read found for a forged pass, once the read has settled', async () => {
    const { read, calls, settled } = slowRead();

    const checked = await checkPass(await forged(), ring, later, read);

    expect(checked).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(calls).toHaveLength(1);
    expect(settled).toEqual([true]);
  });

  it('answers BAD_SIGNATURE, not the read error, for a forged pass whose read fails', async () => {
    const { read } = slowRead('reject');

    await expect(checkPass(await forged(), ring, later, read)).resolves.toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('throws the read error for an authentic pass', async () => {
    const { read } = slowRead('reject');

    await expect(checkPass(await encodePass(claimsAt(), current), ring, later, read)).rejects.toThrow(
      'read failed',
    );
  });

  it('does not read for a pass refused for its key, form or time', async () => {
    const { read, calls } = slowRead();
    const stranger = newLocalSigner();

    expect(await checkPass(await encodePass(claimsAt(), stranger), ring, later, read)).toEqual({
      ok: false,
      reason: 'UNKNOWN_KEY',
    });
    expect(await checkPass('RG1:a.b.c', ring, later, read)).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(await checkPass(await encodePass(claimsAt(), current), ring, afterExpiry, read)).toEqual({
      ok: false,
      reason: 'EXPIRED',
    });
    expect(calls).toEqual([]);
  });

  it('calls an expired forgery a bad signature, as decodePass does', async () => {
    const { read, calls } = slowRead();
    const qr = await forged();

    expect(await checkPass(qr, ring, afterExpiry, read)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(decodePass(qr, ring, afterExpiry)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(calls).toEqual([]);
  });

  it('refuses the high-S twin of a genuine pass without reading, as decodePass does', async () => {
    const twin = highSTwinOf(await encodePass(claimsAt(), current));
    const { read, calls } = slowRead();

    expect(await checkPass(twin, ring, later, read)).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(decodePass(twin, ring, later)).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(calls).toEqual([]);
  });

  it('answers UNBOUND for an authentic pass without bdc without reading, as decodePass does', async () => {
    const { bdc: _, ...unbound } = claimsAt();
    const header = b64json({ alg: 'ES256', kid: current.kid, typ: 'JWT' });
    const payload = b64json(unbound);
    const signature = await current.sign(new TextEncoder().encode(`${header}.${payload}`));
    const qr = `RG1:${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
    const { read, calls } = slowRead();

    expect(await checkPass(qr, ring, later, read)).toEqual({ ok: false, reason: 'UNBOUND' });
    expect(decodePass(qr, ring, later)).toEqual({ ok: false, reason: 'UNBOUND' });
    expect(calls).toEqual([]);
  });

  it('gives the same verdict as decodePass for any one-character change of a pass', async () => {
    const qr = await encodePass(claimsAt(), previous);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: qr.length - 1 }),
        fc.constantFrom(...alphabet),
        async (index, character) => {
          const mutated = `${qr.slice(0, index)}${character}${qr.slice(index + 1)}`;
          const overlapped = await checkPass(mutated, ring, later, async () => 'rows');
          const decoded = decodePass(mutated, ring, later);
          expect(overlapped.ok ? { ...overlapped, value: undefined } : overlapped).toEqual(
            decoded.ok ? { ...decoded, value: undefined } : decoded,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
