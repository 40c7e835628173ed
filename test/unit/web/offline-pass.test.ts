import { describe, expect, it } from 'vitest';
import { buildJwks } from '../../../functions/adapters/public-keys.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { encodePass, passClaims } from '../../../functions/domain/pass-codec.js';
import { type PublicJwk, parseJwks, verifyPassOffline } from '../../../web/src/jws.js';
import { highSTwinOf, sOf, twinOf } from '../pass/fixtures.js';

/** A pass signed in the test with a WebCrypto P-256 key, the way the API signs them (low-S). */
const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const b64json = (value: unknown): string => b64url(encoder.encode(JSON.stringify(value)));

const issuedAt = new Date('2021-09-10T01:30:00Z');
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const snap = {
  testType: 'RT_PCR',
  sampledAt: '2021-09-09T01:30:00Z',
  validUntil: '2021-09-12T01:30:00Z',
  maskedName: 'N***** T** Á**',
  birthYear: 1990,
} as const;
const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  v: 1,
  sub: 'a'.repeat(64),
  bdc: 'c'.repeat(64),
  kv: 1,
  iat: seconds(issuedAt),
  exp: seconds(issuedAt) + 7 * 24 * 3600,
  snap,
  ...overrides,
});

async function newKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: PublicJwk }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwks = parseJwks({ keys: [{ ...exported, kid }] });
  const [jwk] = jwks;
  if (!jwk) throw new Error('the generated key did not export as a P-256 JWK');
  return { privateKey: pair.privateKey, jwk };
}

async function signPass(privateKey: CryptoKey, kid: string, payload: unknown): Promise<string> {
  const input = `${b64json({ alg: 'ES256', kid, typ: 'JWT' })}.${b64json(payload)}`;
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, encoder.encode(input)),
  );
  // WebCrypto, like KMS, may answer either twin; the API's signers keep the low-S one.
  const signature = sOf(raw) > P256_HALF_ORDER ? twinOf(raw) : raw;
  return `RG1:${input}.${b64url(signature)}`;
}

const duringValidity = new Date('2021-09-11T12:00:00Z');
const P256_HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n / 2n;

describe('offline pass check', () => {
  it('answers VALID with the snapshot for a genuine pass before its validUntil', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());

    const verdict = await verifyPassOffline(qr, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'VALID', snapshot: snap });
  });

  it('finds the signing key among several by kid', async () => {
    const current = await newKey('current');
    const previous = await newKey('previous');
    const qr = await signPass(previous.privateKey, 'previous', claims());

    const verdict = await verifyPassOffline(qr, [current.jwk, previous.jwk], duringValidity);

    expect(verdict.verdict).toBe('VALID');
  });

  it('does not judge by the snapshot validUntil (the issuing rule’s verdict): past it, the facts still come back', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());

    const verdict = await verifyPassOffline(qr, [jwk], new Date(Date.parse(snap.validUntil) + 3600_000));

    expect(verdict).toEqual({ verdict: 'VALID', snapshot: snap });
  });

  it('refuses a pass signed by the key marked for rules, even with the right kid', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());

    const verdict = await verifyPassOffline(qr, [{ ...jwk, signs: 'rules' }], duringValidity);

    expect(verdict).toEqual({ verdict: 'UNKNOWN_KEY' });
  });

  it('refuses a genuinely signed JWS whose typ is not a pass’s (a rules document)', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const input = `${b64json({ alg: 'ES256', kid: 'k1', typ: 'rg-rules+jwt' })}.${b64json(claims())}`;
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, encoder.encode(input)),
    );
    const signature = sOf(raw) > P256_HALF_ORDER ? twinOf(raw) : raw;

    const verdict = await verifyPassOffline(`RG1:${input}.${b64url(signature)}`, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers NOT_VALID NO_SNAPSHOT for a genuine pass issued while the holder was not valid', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims({ snap: undefined }));

    const verdict = await verifyPassOffline(qr, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT' });
  });

  it('answers PASS_INVALID once the pass itself has expired', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const exp = seconds(issuedAt) + 3600;
    const qr = await signPass(privateKey, 'k1', claims({ exp }));

    const verdict = await verifyPassOffline(qr, [jwk], new Date(exp * 1000));

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID for a pass issued more than a minute in the future', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims({ iat: seconds(duringValidity) + 120 }));

    const verdict = await verifyPassOffline(qr, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID when the payload was altered after signing', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());
    const [header, , signature] = qr.slice(4).split('.');
    const forged = `RG1:${header}.${b64json(claims({ snap: { ...snap, validUntil: '2030-01-01T00:00:00Z' } }))}.${signature}`;

    const verdict = await verifyPassOffline(forged, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID for a pass signed by another key under a known kid', async () => {
    const genuine = await newKey('k1');
    const attacker = await newKey('k1');
    const qr = await signPass(attacker.privateKey, 'k1', claims());

    const verdict = await verifyPassOffline(qr, [genuine.jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers UNKNOWN_KEY when no cached key has the pass kid', async () => {
    const { privateKey } = await newKey('k1');
    const other = await newKey('k2');
    const qr = await signPass(privateKey, 'k1', claims());

    const verdict = await verifyPassOffline(qr, [other.jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'UNKNOWN_KEY' });
  });

  it.each([
    ['no prefix', 'eyJ.eyJ.sig'],
    ['two segments', 'RG1:abc.def'],
    ['not base64url', 'RG1:a*b.c.d'],
    ['garbage JSON', `RG1:${b64url(encoder.encode('{'))}.${b64url(encoder.encode('{'))}.${'A'.repeat(86)}`],
    ['the pairing probe', 'RG1:pairing-check'],
    ['an overlong text', `RG1:${'A'.repeat(3000)}`],
  ])('answers PASS_INVALID for a malformed pass (%s)', async (_name, qr) => {
    const { jwk } = await newKey('k1');

    const verdict = await verifyPassOffline(qr, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID for the high-S twin of a genuine pass, which WebCrypto alone accepts', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());
    const twin = highSTwinOf(qr);

    const verdict = await verifyPassOffline(twin, [jwk], duringValidity);

    expect(await verifyPassOffline(qr, [jwk], duringValidity)).toMatchObject({ verdict: 'VALID' });
    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID for a genuine pass whose last character carries unused bits (one text per pass)', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 signature bytes are 86 characters: the last one's 4 low bits are unused, so 15 other spellings
    // decode to the same bytes with atob.
    const last = alphabet.indexOf(qr.at(-1) ?? '');
    const spellings = Array.from(
      { length: 15 },
      (_, i) => `${qr.slice(0, -1)}${alphabet[(last & ~0x0f) | (i + 1)]}`,
    );

    expect(await verifyPassOffline(qr, [jwk], duringValidity)).toMatchObject({ verdict: 'VALID' });
    for (const spelling of spellings) {
      expect(await verifyPassOffline(spelling, [jwk], duringValidity)).toEqual({
        verdict: 'NOT_VALID',
        reason: 'PASS_INVALID',
      });
    }
  });

  it.each([
    ['no birth-date check (issued before passes carried one)', { bdc: undefined }],
    ['a birth date instead of its check', { bdc: '1990-05-01' }],
    ['an upper-case birth-date check', { bdc: 'C'.repeat(64) }],
    ['a pseudonym that is not a keyed hash', { sub: '001190012345' }],
    ['no key version', { kv: undefined }],
    ['an unknown claim', { dob: '1990-05-01' }],
    ['a future format version', { v: 2 }],
    ['a fractional expiry', { exp: seconds(issuedAt) + 0.5 }],
  ])('answers PASS_INVALID for a genuinely signed pass with %s', async (_name, overrides) => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims(overrides));

    const verdict = await verifyPassOffline(qr, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });

  it('answers PASS_INVALID for a header that is not ES256', async () => {
    const { privateKey, jwk } = await newKey('k1');
    const qr = await signPass(privateKey, 'k1', claims());
    const [, payload, signature] = qr.slice(4).split('.');
    const qrNone = `RG1:${b64json({ alg: 'none', kid: 'k1', typ: 'JWT' })}.${payload}.${signature}`;

    const verdict = await verifyPassOffline(qrNone, [jwk], duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });
});

describe('offline pass check against the API pass format', () => {
  it('accepts a pass made by the API encoder with the JWKS the API publishes', async () => {
    const signer = createLocalSigner(generateSigningKeyPem());
    const qr = await encodePass(
      passClaims({
        citizenKey: 'b'.repeat(64),
        birthDateCheck: 'd'.repeat(64),
        keyVersion: 1,
        now: issuedAt,
        lifetimeSeconds: 7 * 24 * 3600,
        snapshot: snap,
      }),
      signer,
    );
    const keys = parseJwks(JSON.parse(JSON.stringify(buildJwks([signer.publicKey]))));

    const verdict = await verifyPassOffline(qr, keys, duringValidity);

    expect(verdict).toEqual({ verdict: 'VALID', snapshot: snap });
  });

  it('answers NO_SNAPSHOT for an API pass issued without a valid result (e.g. a wrong birth date)', async () => {
    const signer = createLocalSigner(generateSigningKeyPem());
    const qr = await encodePass(
      passClaims({
        citizenKey: 'b'.repeat(64),
        birthDateCheck: 'd'.repeat(64),
        keyVersion: 1,
        now: issuedAt,
        lifetimeSeconds: 7 * 24 * 3600,
      }),
      signer,
    );
    const keys = parseJwks(JSON.parse(JSON.stringify(buildJwks([signer.publicKey]))));

    const verdict = await verifyPassOffline(qr, keys, duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT' });
  });

  it('refuses the high-S twin of an API pass', async () => {
    const signer = createLocalSigner(generateSigningKeyPem());
    const qr = await encodePass(
      passClaims({
        citizenKey: 'b'.repeat(64),
        birthDateCheck: 'd'.repeat(64),
        keyVersion: 1,
        now: issuedAt,
        lifetimeSeconds: 7 * 24 * 3600,
        snapshot: snap,
      }),
      signer,
    );
    const keys = parseJwks(JSON.parse(JSON.stringify(buildJwks([signer.publicKey]))));

    const verdict = await verifyPassOffline(highSTwinOf(qr), keys, duringValidity);

    expect(verdict).toEqual({ verdict: 'NOT_VALID', reason: 'PASS_INVALID' });
  });
});

describe('JWKS parsing', () => {
  it('keeps only P-256 EC keys with a kid', () => {
    const keys = parseJwks({
      keys: [
        { kty: 'EC', crv: 'P-256', x: 'x1', y: 'y1', kid: 'a', alg: 'ES256', use: 'sig' },
        { kty: 'EC', crv: 'P-384', x: 'x2', y: 'y2', kid: 'b' },
        { kty: 'RSA', n: 'n', e: 'AQAB', kid: 'c' },
        { kty: 'EC', crv: 'P-256', x: 'x3', y: 'y3' },
        'junk',
      ],
    });

    expect(keys).toEqual([{ kty: 'EC', crv: 'P-256', x: 'x1', y: 'y1', kid: 'a' }]);
  });

  it('answers no keys for something that is not a JWKS', () => {
    expect(parseJwks({ keys: 'no' })).toEqual([]);
    expect(parseJwks(null)).toEqual([]);
  });
});
