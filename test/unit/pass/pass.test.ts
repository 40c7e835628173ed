import { createHmac, generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS, MAX_PASS_LENGTH } from '../../../contract/pass-format.js';
import type { PassSigner } from '../../../functions/adapters/signer.js';
import {
  decodePass,
  encodePass,
  InvalidPassClaimsError,
  PassSignatureFormatError,
  passClaims,
} from '../../../functions/domain/pass-codec.js';
import { createKeyRing } from '../../../functions/domain/pass-keys.js';
import {
  b64json,
  birthDateCheck,
  citizenKey,
  claimsAt,
  fromB64json,
  highSTwinOf,
  issuedAt,
  lifetimeSeconds,
  newLocalSigner,
  segmentsOf,
  snapshot,
  twinOf,
} from './fixtures.js';

const current = newLocalSigner();
const previous = newLocalSigner();
const stranger = newLocalSigner();
const ring = createKeyRing([current.publicKey, previous.publicKey]);
const later = new Date(issuedAt.getTime() + 3600_000);

/** Signs arbitrary header and payload segments with a real key, as a forger with the key could. */
const signSegments = async (signer: PassSigner, header: string, payload: string): Promise<string> => {
  const signature = await signer.sign(new TextEncoder().encode(`${header}.${payload}`));
  return `RG1:${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
};

describe('encodePass and decodePass', () => {
  it('round-trips the claims of a pass signed with the current key', async () => {
    const claims = claimsAt();

    const qr = await encodePass(claims, current);
    const decoded = decodePass(qr, ring, later);

    expect(decoded).toEqual({ ok: true, claims, kid: current.kid });
  });

  it('round-trips a pass without a snapshot', async () => {
    const claims = claimsAt(issuedAt, false);

    const decoded = decodePass(await encodePass(claims, current), ring, later);

    expect(decoded).toEqual({ ok: true, claims, kid: current.kid });
    expect(claims).not.toHaveProperty('snap');
  });

  it('writes RG1: and a compact JWS with an ES256 header naming the key', async () => {
    const qr = await encodePass(claimsAt(), current);

    const [header, , signature] = segmentsOf(qr);

    expect(qr.startsWith('RG1:')).toBe(true);
    expect(fromB64json(header)).toEqual({ alg: 'ES256', kid: current.kid, typ: 'JWT' });
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
    expect(qr).toMatch(/^RG1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
  });

  it('keeps a pass with a Vietnamese snapshot well under the size limit', async () => {
    const qr = await encodePass(claimsAt(), current);

    expect(qr.length).toBeLessThan(MAX_PASS_LENGTH / 2);
  });

  it('puts only the pseudonym, birth-date check, key version, times and snapshot in the payload', async () => {
    const [, payload] = segmentsOf(await encodePass(claimsAt(), current));

    expect(fromB64json(payload)).toEqual({
      v: 1,
      sub: citizenKey,
      bdc: birthDateCheck,
      kv: 1,
      iat: issuedAt.getTime() / 1000,
      exp: issuedAt.getTime() / 1000 + lifetimeSeconds,
      snap: snapshot,
    });
  });
});

describe('passClaims', () => {
  it('sets iat to the whole second of issue and exp a lifetime later', () => {
    const claims = passClaims({
      citizenKey,
      birthDateCheck,
      keyVersion: 3,
      now: new Date('2021-09-10T01:30:00.999Z'),
      lifetimeSeconds: 60,
    });

    expect(claims).toEqual({
      v: 1,
      sub: citizenKey,
      bdc: birthDateCheck,
      kv: 3,
      iat: 1_631_237_400,
      exp: 1_631_237_460,
    });
  });
});

describe('encodePass refuses to sign what it must not', () => {
  it.each([
    ['a raw ID number as subject', { ...claimsAt(), sub: '012345678901' }],
    ['an upper-case subject', { ...claimsAt(), sub: citizenKey.toUpperCase() }],
    ['a birth date instead of its check', { ...claimsAt(), bdc: '1990-05-01' }],
    ['an upper-case birth-date check', { ...claimsAt(), bdc: birthDateCheck.toUpperCase() }],
    ['exp not after iat', { ...claimsAt(), exp: claimsAt().iat }],
    [
      'a snapshot with an unmasked name',
      { ...claimsAt(), snap: { ...snapshot, fullName: 'Nguyễn Thị Ánh' } },
    ],
  ])('rejects %s', async (_case, claims) => {
    await expect(encodePass(claims, current)).rejects.toThrow(InvalidPassClaimsError);
  });

  it.each([
    ['snap.testType', { testType: 'PCR' }],
    ['snap.sampledAt', { sampledAt: '2021-09-10T08:30:00+07:00' }],
    ['snap.sampledAt', { sampledAt: '2021-02-30T01:30:00Z' }],
    ['snap.validUntil', { validUntil: '2021-09-13T24:00:00Z' }],
    ['snap.validUntil', { validUntil: '2021-09-13' }],
    ['snap.maskedName', { maskedName: '' }],
    ['snap.maskedName', { maskedName: 'N'.repeat(201) }],
    ['snap.birthYear', { birthYear: 1899 }],
    ['snap.birthYear', { birthYear: 1990.5 }],
    ['snap.labId', { labId: '' }],
    ['snap.labId', { labId: 'lab 1' }],
    ['snap.labId', { labId: 7 }],
  ])('names the problem in a snapshot: %s (%j)', async (path, change) => {
    const claims = { ...claimsAt(), snap: { ...snapshot, ...change } };

    await expect(encodePass(claims as never, current)).rejects.toThrow(`Invalid pass claims at ${path}`);
  });

  it.each([
    ['kv', { kv: -1 }],
    ['iat', { iat: 1.5 }],
    ['exp', { exp: 253_402_300_800 }],
    ['v', { v: '1' }],
    ['bdc', { bdc: undefined }],
    ['bdc', { bdc: 'b'.repeat(63) }],
  ])('names the problem in the claims: %s (%j)', async (path, change) => {
    await expect(encodePass({ ...claimsAt(), ...change } as never, current)).rejects.toThrow(
      `Invalid pass claims at ${path}`,
    );
  });

  it('signs a snapshot with or without the lab of its result (older passes lack it)', async () => {
    await expect(
      encodePass({ ...claimsAt(), snap: { ...snapshot, labId: 'lab_3f9a1c2b4d5e6f70' } }, current),
    ).resolves.toMatch(/^RG1:/);
    await expect(encodePass({ ...claimsAt(), snap: snapshot }, current)).resolves.toMatch(/^RG1:/);
  });

  it('signs a snapshot whose times have any fraction of a second, on a leap day', async () => {
    const claims = {
      ...claimsAt(),
      snap: { ...snapshot, sampledAt: '2024-02-29T01:30:00Z', validUntil: '2024-03-03T01:30:00.5Z' },
    };

    expect(decodePass(await encodePass(claims, current), ring, later)).toMatchObject({ ok: true, claims });
  });

  it('rejects a signer that returns a DER signature instead of raw r||s', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const derSigner: PassSigner = {
      kid: current.kid,
      sign: async (data) => sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
    };

    await expect(encodePass(claimsAt(), derSigner)).rejects.toThrow(PassSignatureFormatError);
  });

  it('rejects a signer that returns the high-S form of a signature', async () => {
    const highSigner: PassSigner = {
      kid: current.kid,
      sign: async (data) => twinOf(await current.sign(data)),
    };

    await expect(encodePass(claimsAt(), highSigner)).rejects.toThrow(PassSignatureFormatError);
  });
});

describe('decodePass accepts only low-S signatures', () => {
  it('refuses the high-S twin of a genuine pass, though plain ECDSA verifies it', async () => {
    const qr = await encodePass(claimsAt(), current);
    const twin = highSTwinOf(qr);
    const [header, payload, signature] = segmentsOf(twin);
    const plainlyValid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: current.publicKey.key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );

    const decoded = decodePass(twin, ring, later);

    expect(plainlyValid).toBe(true);
    expect(decodePass(qr, ring, later)).toMatchObject({ ok: true });
    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});

describe('decodePass refuses a pass without the birth-date check', () => {
  const header = b64json({ alg: 'ES256', kid: current.kid, typ: 'JWT' });
  const { bdc: _, ...unbound } = claimsAt();

  it('answers UNBOUND for an authentic pass issued before passes carried bdc', async () => {
    const decoded = decodePass(await signSegments(current, header, b64json(unbound)), ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'UNBOUND' });
  });

  it('answers BAD_SIGNATURE for such a pass when its signature does not hold', async () => {
    const [, , signature] = segmentsOf(await encodePass(claimsAt(), current));

    const decoded = decodePass(`RG1:${header}.${b64json(unbound)}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it.each([
    ['a bdc that is not a keyed hash', { ...claimsAt(), bdc: '1990-05-01' }],
    ['a bdc of the wrong type', { ...claimsAt(), bdc: 1990 }],
    ['no bdc and an unknown member', { ...unbound, dob: '1990-05-01' }],
  ])('answers MALFORMED for %s', async (_case, claims) => {
    const decoded = decodePass(await signSegments(current, header, b64json(claims)), ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});

describe('decodePass rejects tampering as a bad signature', () => {
  it('when the header is re-encoded with the same meaning', async () => {
    const [, payload, signature] = segmentsOf(await encodePass(claimsAt(), current));
    const header = Buffer.from(`{"alg":"ES256","typ":"JWT","kid":"${current.kid}"}`).toString('base64url');

    const decoded = decodePass(`RG1:${header}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('when the header names the other key of the ring', async () => {
    const [, payload, signature] = segmentsOf(await encodePass(claimsAt(), current));
    const header = b64json({ alg: 'ES256', kid: previous.kid, typ: 'JWT' });

    const decoded = decodePass(`RG1:${header}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it.each([
    ['another holder', { sub: 'b'.repeat(64) }],
    ['a later expiry', { exp: claimsAt().exp + 86_400 }],
    ['a forged snapshot', { snap: { ...snapshot, validUntil: '2031-09-12T01:30:00Z' } }],
  ])('when the payload is changed to %s', async (_case, change) => {
    const [header, , signature] = segmentsOf(await encodePass(claimsAt(), current));
    const payload = b64json({ ...claimsAt(), ...change });

    const decoded = decodePass(`RG1:${header}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it.each([0, 31, 32, 63])('when bit 0 of signature byte %i is flipped', async (index) => {
    const [header, payload, signatureText] = segmentsOf(await encodePass(claimsAt(), current));
    const signature = Buffer.from(signatureText, 'base64url');
    signature.writeUInt8((signature.readUInt8(index) ^ 1) & 0xff, index);

    const decoded = decodePass(`RG1:${header}.${payload}.${signature.toString('base64url')}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('when the signature of another pass is attached', async () => {
    const [header, payload] = segmentsOf(await encodePass(claimsAt(), current));
    const [, , otherSignature] = segmentsOf(await encodePass(claimsAt(later), current));

    const decoded = decodePass(`RG1:${header}.${payload}.${otherSignature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});

describe('decodePass rejects other algorithms as malformed', () => {
  it('alg none with an empty signature', () => {
    const header = b64json({ alg: 'none', kid: current.kid, typ: 'JWT' });

    const decoded = decodePass(`RG1:${header}.${b64json(claimsAt())}.`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('alg none with a 64-byte signature', () => {
    const header = b64json({ alg: 'none', kid: current.kid, typ: 'JWT' });
    const signature = Buffer.alloc(64).toString('base64url');

    const decoded = decodePass(`RG1:${header}.${b64json(claimsAt())}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it.each([
    ['HS256', 'sha256'],
    ['HS512', 'sha512'],
  ])('%s keyed with the public key (algorithm confusion)', (alg, hash) => {
    const header = b64json({ alg, kid: current.kid, typ: 'JWT' });
    const payload = b64json(claimsAt());
    const secret = current.publicKey.key.export({ type: 'spki', format: 'pem' });
    const signature = createHmac(hash, secret).update(`${header}.${payload}`).digest('base64url');

    const decoded = decodePass(`RG1:${header}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('ES256 written in lower case', async () => {
    const header = b64json({ alg: 'es256', kid: current.kid, typ: 'JWT' });

    const decoded = decodePass(await signSegments(current, header, b64json(claimsAt())), ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('a header with a crit or jku member', async () => {
    const header = b64json({ alg: 'ES256', kid: current.kid, typ: 'JWT', jku: 'https://evil.example/jwks' });

    const decoded = decodePass(await signSegments(current, header, b64json(claimsAt())), ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});

describe('decodePass rejects malformed text', () => {
  const validQr = () => encodePass(claimsAt(), current);

  it.each([
    ['an empty text', () => ''],
    ['the prefix alone', () => 'RG1:'],
    ['a lower-case prefix', (qr: string) => qr.replace('RG1:', 'rg1:')],
    ['another version prefix', (qr: string) => qr.replace('RG1:', 'RG2:')],
    ['no prefix', (qr: string) => qr.slice(4)],
    ['two segments', (qr: string) => qr.slice(0, qr.lastIndexOf('.'))],
    ['four segments', (qr: string) => `${qr}.AAAA`],
    ['base64 padding', (qr: string) => `${qr.slice(0, qr.indexOf('.'))}=${qr.slice(qr.indexOf('.'))}`],
    ['a standard base64 character', (qr: string) => qr.replace('.', '.+')],
    ['a standard base64 slash', (qr: string) => `${qr.slice(0, -1)}/`],
    ['a trailing newline', (qr: string) => `${qr}\n`],
    ['a space inside', (qr: string) => `${qr.slice(0, 20)} ${qr.slice(20)}`],
    ['a segment of impossible length', (qr: string) => qr.replace('.', 'A.')],
    ['a truncated signature', (qr: string) => qr.slice(0, -3)],
    ['an oversize text', (qr: string) => `${qr}${'A'.repeat(MAX_PASS_LENGTH)}`],
    ['a JSON array header', (qr: string) => `RG1:${b64json(['ES256'])}${qr.slice(qr.indexOf('.'))}`],
    [
      'a header that is not JSON',
      (qr: string) => `RG1:${Buffer.from('{alg').toString('base64url')}${qr.slice(qr.indexOf('.'))}`,
    ],
  ])('%s', async (_case, mutate) => {
    const qr = mutate(await validQr());

    expect(decodePass(qr, ring, later)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('non-canonical base64url (unused trailing bits set)', async () => {
    const [header, payload, signature] = segmentsOf(await validQr());
    const last = header.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1] ?? 'A';
    expect(Buffer.from(`${header.slice(0, -1)}${sibling}`, 'base64url')).toEqual(
      Buffer.from(header, 'base64url'),
    );

    const decoded = decodePass(`RG1:${header.slice(0, -1)}${sibling}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it.each([
    ['a payload that is not JSON', Buffer.from('not json').toString('base64url')],
    ['a payload with invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ['a raw ID number as subject', b64json({ ...claimsAt(), sub: '012345678901' })],
    ['an unknown payload member', b64json({ ...claimsAt(), name: 'Nguyễn Thị Ánh' })],
    ['a future format version', b64json({ ...claimsAt(), v: 2 })],
    ['a missing expiry', b64json({ v: 1, sub: citizenKey, kv: 1, iat: claimsAt().iat })],
    ['a fractional expiry', b64json({ ...claimsAt(), exp: claimsAt().exp + 0.5 })],
  ])('%s even when the signature verifies', async (_case, payload) => {
    const header = b64json({ alg: 'ES256', kid: current.kid, typ: 'JWT' });

    const decoded = decodePass(await signSegments(current, header, payload), ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        const decoded = decodePass(`RG1:${text}`, ring, later);
        return decoded.ok === false;
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a pass with one character changed', async () => {
    const qr = await validQr();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';

    fc.assert(
      fc.property(fc.nat({ max: qr.length - 1 }), fc.constantFrom(...alphabet), (index, character) => {
        fc.pre(qr[index] !== character);
        const mutated = `${qr.slice(0, index)}${character}${qr.slice(index + 1)}`;
        return decodePass(mutated, ring, later).ok === false;
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodePass checks the key and the time', () => {
  it('answers unknown key for a pass signed by a key outside the ring', async () => {
    const qr = await encodePass(claimsAt(), stranger);

    expect(decodePass(qr, ring, later)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  it('accepts a pass signed by the previous key while both keys are in the ring', async () => {
    const qr = await encodePass(claimsAt(), previous);

    expect(decodePass(qr, ring, later)).toMatchObject({ ok: true, kid: previous.kid });
  });

  it('answers unknown key for a pass of the previous key once it leaves the ring', async () => {
    const qr = await encodePass(claimsAt(), previous);
    const rotatedRing = createKeyRing([current.publicKey]);

    expect(decodePass(qr, rotatedRing, later)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  it('answers expired at exactly exp', async () => {
    const claims = claimsAt();
    const qr = await encodePass(claims, current);

    expect(decodePass(qr, ring, new Date(claims.exp * 1000))).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('accepts the pass one second before exp', async () => {
    const claims = claimsAt();
    const qr = await encodePass(claims, current);

    expect(decodePass(qr, ring, new Date((claims.exp - 1) * 1000 + 999))).toMatchObject({ ok: true });
  });

  it('answers not yet valid for a pass issued beyond the clock-skew allowance', async () => {
    const qr = await encodePass(claimsAt(), current);
    const before = new Date(issuedAt.getTime() - (CLOCK_SKEW_SECONDS + 1) * 1000);

    expect(decodePass(qr, ring, before)).toEqual({ ok: false, reason: 'NOT_YET_VALID' });
  });

  it('accepts a pass issued within the clock-skew allowance', async () => {
    const qr = await encodePass(claimsAt(), current);
    const before = new Date(issuedAt.getTime() - CLOCK_SKEW_SECONDS * 1000);

    expect(decodePass(qr, ring, before)).toMatchObject({ ok: true });
  });

  it('checks the signature before the time, so a forged pass is never reported as expired', async () => {
    const [header, , signature] = segmentsOf(await encodePass(claimsAt(), current));
    const payload = b64json({ ...claimsAt(), exp: claimsAt().iat + 1 });

    const decoded = decodePass(`RG1:${header}.${payload}.${signature}`, ring, later);

    expect(decoded).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});
