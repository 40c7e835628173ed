import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildJwks,
  parseSigningPublicKeys,
  publicKeyEntryFromPem,
  publicKeysFromConfig,
  SigningKeyError,
} from '../../../functions/adapters/public-keys.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { decodePass, encodePass } from '../../../functions/domain/pass-codec.js';
import { createKeyRing, jwkThumbprint } from '../../../functions/domain/pass-keys.js';
import { claimsAt, issuedAt } from './fixtures.js';

const later = new Date(issuedAt.getTime() + 60_000);

describe('public key entries', () => {
  it('gives the same key name from the private PEM and the public PEM', () => {
    const privatePem = generateSigningKeyPem();
    const publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

    const fromPrivate = publicKeyEntryFromPem(privatePem);
    const fromPublic = publicKeyEntryFromPem(publicPem);

    expect(fromPublic.kid).toBe(fromPrivate.kid);
    expect(fromPublic.key.type).toBe('public');
  });

  it('refuses a PEM it cannot read without echoing its content', () => {
    const act = () =>
      publicKeyEntryFromPem('-----BEGIN PUBLIC KEY-----\nsecretish\n-----END PUBLIC KEY-----');

    expect(act).toThrow(SigningKeyError);
    expect(act).not.toThrow(/secretish/);
  });
});

describe('jwkThumbprint', () => {
  it('matches the RFC 7638 section 3.1 example', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    } as const;

    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('matches a published P-256 thumbprint (hex 1235335b…aaf8)', () => {
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'V8ctRWc2deLSjfOjqQm7-m33SinduQbKJVgSHFj7ZxQ',
      y: 'svjg0e-iAe5zElQhfqqagr4-S8k3WWgzz6JDPmRE_bk',
    } as const;

    const thumbprint = jwkThumbprint(jwk);

    expect(Buffer.from(thumbprint, 'base64url').toString('hex')).toBe(
      '1235335bd15b2c75f3e84f4c681d85cbc059c00d7910d1bad0690a2af566aaf8',
    );
  });

  it('ignores members outside the required set', () => {
    const entry = createLocalSigner(generateSigningKeyPem()).publicKey;
    const decorated = { ...entry.jwk, kid: 'anything', alg: 'ES256', use: 'sig' };

    expect(jwkThumbprint(decorated)).toBe(entry.kid);
  });
});

describe('buildJwks', () => {
  const current = createLocalSigner(generateSigningKeyPem());
  const previous = createLocalSigner(generateSigningKeyPem());

  it('publishes each key as an ES256 signing JWK named by its thumbprint, current first', () => {
    const jwks = buildJwks([current.publicKey, previous.publicKey]);

    expect(jwks).toEqual({
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: current.publicKey.jwk.x,
          y: current.publicKey.jwk.y,
          kid: current.kid,
          alg: 'ES256',
          use: 'sig',
        },
        {
          kty: 'EC',
          crv: 'P-256',
          x: previous.publicKey.jwk.x,
          y: previous.publicKey.jwk.y,
          kid: previous.kid,
          alg: 'ES256',
          use: 'sig',
        },
      ],
    });
  });

  it('lists a key given twice once', () => {
    const jwks = buildJwks([current.publicKey, current.publicKey]);

    expect(jwks.keys).toHaveLength(1);
  });

  it('publishes keys an offline verifier can import to check a pass', async () => {
    const qr = await encodePass(claimsAt(), previous);
    const [published] = buildJwks([previous.publicKey]).keys;
    const imported = createPublicKey({ key: { ...published }, format: 'jwk' });

    const ring = createKeyRing([{ kid: published?.kid ?? '', key: imported }]);

    expect(decodePass(qr, ring, later)).toMatchObject({ ok: true });
  });

  it('publishes 32-byte coordinates', () => {
    const [published] = buildJwks([current.publicKey]).keys;

    expect(Buffer.from(published?.x ?? '', 'base64url')).toHaveLength(32);
    expect(Buffer.from(published?.y ?? '', 'base64url')).toHaveLength(32);
  });
});

describe('SIGNING_PUBLIC_KEYS', () => {
  const current = createLocalSigner(generateSigningKeyPem());
  const previous = createLocalSigner(generateSigningKeyPem());
  const published = buildJwks([current.publicKey, previous.publicKey]);
  const withFirstKey = (changes: Record<string, unknown>, without: readonly string[] = []) => {
    const [first, ...rest] = published.keys;
    const changed: Record<string, unknown> = { ...first, ...changes };
    for (const member of without) delete changed[member];
    return JSON.stringify({ keys: [changed, ...rest] });
  };
  /** The parse fails with a SigningKeyError matching `message`, naming no member of the keys. */
  const expectRefused = (text: string, message: RegExp) => {
    const act = () => parseSigningPublicKeys(text);
    expect(act).toThrow(SigningKeyError);
    expect(act).toThrow(message);
    for (const key of published.keys) {
      expect(act).not.toThrow(key.x);
      expect(act).not.toThrow(key.y);
    }
  };

  it('reads the JWKS GET /v1/keys publishes back into the same keys, current first', () => {
    const entries = parseSigningPublicKeys(JSON.stringify(published));

    expect(entries.map((entry) => entry.kid)).toEqual([current.kid, previous.kid]);
    expect(entries.map((entry) => entry.jwk)).toEqual([current.publicKey.jwk, previous.publicKey.jwk]);
    expect(buildJwks(entries)).toEqual(published);
  });

  it('gives keys that check passes signed by the current and the previous key', async () => {
    const ring = createKeyRing(parseSigningPublicKeys(JSON.stringify(published)));

    for (const signer of [current, previous]) {
      const qr = await encodePass(claimsAt(), signer);
      expect(decodePass(qr, ring, later)).toMatchObject({ ok: true, kid: signer.kid });
    }
  });

  it('accepts a key without `use`', () => {
    const entries = parseSigningPublicKeys(withFirstKey({}, ['use']));

    expect(entries[0]?.kid).toBe(current.kid);
  });

  it('refuses a kid that is not the thumbprint of its key', () => {
    expectRefused(
      withFirstKey({ kid: previous.kid }),
      /SIGNING_PUBLIC_KEYS key 1: kid is not the RFC 7638 thumbprint/,
    );
  });

  it('refuses a key on another curve', () => {
    const p384 = publicKeyEntryOfCurve('P-384');

    expectRefused(withFirstKey(p384), /SIGNING_PUBLIC_KEYS key 1 is not an EC P-256 key/);
  });

  it('refuses coordinates that are not a point of P-256', () => {
    const [first] = published.keys;
    const y = Buffer.from(first?.y ?? '', 'base64url');
    y[31] = (y[31] ?? 0) ^ 1;
    const bent = { y: y.toString('base64url') };

    expectRefused(
      withFirstKey({
        ...bent,
        kid: jwkThumbprint({ kty: 'EC', crv: 'P-256', x: first?.x ?? '', y: bent.y }),
      }),
      /is not a valid P-256 public key/,
    );
  });

  it.each([
    ['an RSA key', { kty: 'RSA' }, /is not an EC P-256 key/],
    ['another algorithm', { alg: 'ES384' }, /is not for ES256/],
    ['no algorithm', { alg: undefined }, /is not for ES256/],
    ['an encryption key', { use: 'enc' }, /is not a signing key/],
    ['a private key', { d: 'AAAA' }, /holds a private key/],
    ['no kid', { kid: undefined }, /lacks x, y or kid/],
  ])('refuses %s', (_case, changes, message) => {
    expectRefused(withFirstKey(changes), message);
  });

  it('refuses text that is not JSON, without echoing it', () => {
    const text = `${JSON.stringify(published).slice(0, 80)}…`;

    expectRefused(text, /^SIGNING_PUBLIC_KEYS is not JSON$/);
  });

  it.each([
    ['an empty key list', '{"keys":[]}', /SIGNING_PUBLIC_KEYS lists no key/],
    ['a list instead of a JWKS', JSON.stringify(published.keys), /is not a JWKS/],
    ['an object without keys', '{}', /is not a JWKS/],
    ['a key that is not an object', '{"keys":["key"]}', /key 1 is not a JSON object/],
  ])('refuses %s', (_case, text, message) => {
    expectRefused(text, message);
  });

  it('refuses a key listed twice', () => {
    const [first] = published.keys;

    expectRefused(JSON.stringify({ keys: [first, first] }), /lists a key twice/);
  });

  it('is required: a function without it does not start, and the message names the setting', () => {
    expect(() => publicKeysFromConfig({})).toThrow(/SIGNING_PUBLIC_KEYS is required/);
    expect(publicKeysFromConfig({ SIGNING_PUBLIC_KEYS: JSON.stringify(published) })).toHaveLength(2);
  });
});

/** The public JWK members of a fresh key on `curve`, as a JWKS would list them. */
const publicKeyEntryOfCurve = (curve: 'P-384') => {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
};
