import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { publicKeyEntry, publicKeyEntryFromPem } from '../../../functions/adapters/public-keys.js';
import {
  createKmsSigner,
  createLocalSigner,
  DerSignatureError,
  derToRawSignature,
  generateSigningKeyPem,
  loadKmsPublicKey,
  SigningKeyError,
  signerFromConfig,
} from '../../../functions/adapters/signer.js';
import { decodePass, encodePass } from '../../../functions/domain/pass-codec.js';
import { createKeyRing, jwkThumbprint } from '../../../functions/domain/pass-keys.js';
import { claimsAt, issuedAt, P256_ORDER, sOf } from './fixtures.js';

const HALF_ORDER = P256_ORDER / 2n;

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

const keyId = 'arn:aws:kms:ap-southeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const { privateKey: kmsPrivateKey, publicKey: kmsPublicKey } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
});
const spkiDer = (key: KeyObject): Uint8Array => key.export({ type: 'spki', format: 'der' });
const later = new Date(issuedAt.getTime() + 60_000);

/** KMS stand-in: signs SHA-256 of the RAW message with a local key and answers in DER, as KMS does. */
const givenKmsKey = () => {
  kms
    .on(GetPublicKeyCommand)
    .resolves({ KeyId: keyId, KeySpec: 'ECC_NIST_P256', PublicKey: spkiDer(kmsPublicKey) });
  kms.on(SignCommand).callsFake((input: SignCommandInput) => ({
    KeyId: keyId,
    SigningAlgorithm: 'ECDSA_SHA_256',
    Signature: sign('sha256', input.Message ?? new Uint8Array(), { key: kmsPrivateKey, dsaEncoding: 'der' }),
  }));
};

/** Signs messages until the DER form has the wanted shape (e.g. a 33-byte r), as KMS sometimes answers. */
const findDerSignature = (wanted: (r: number, s: number) => boolean) => {
  for (let attempt = 0; attempt < 20_000; attempt += 1) {
    const message = Buffer.from(`message ${attempt}`);
    const der = sign('sha256', message, { key: kmsPrivateKey, dsaEncoding: 'der' });
    const rLength = der.readUInt8(3);
    const sLength = der.readUInt8(5 + rLength);
    if (wanted(rLength, sLength)) return { message, der };
  }
  throw new Error('no signature of the wanted shape found');
};

describe('the local signer', () => {
  it('signs with raw 64-byte r||s that node verifies as ieee-p1363', async () => {
    const signer = createLocalSigner(generateSigningKeyPem());
    const data = new TextEncoder().encode('header.payload');

    const signature = await signer.sign(data);

    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: signer.publicKey.key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      true,
    );
  });

  it('names its key by the RFC 7638 thumbprint of the public key', () => {
    const signer = createLocalSigner(generateSigningKeyPem());

    expect(signer.kid).toBe(jwkThumbprint(signer.publicKey.jwk));
    expect(signer.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('generates a PKCS#8 P-256 private key PEM', () => {
    const pem = generateSigningKeyPem();

    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKeyEntryFromPem(pem).key.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
  });

  it.each([
    ['a P-384 key', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['an Ed25519 key', () => generateKeyPairSync('ed25519')],
    ['an RSA key', () => generateKeyPairSync('rsa', { modulusLength: 1024 })],
  ])('refuses %s', (_case, generate) => {
    const pem = generate().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    expect(() => createLocalSigner(pem)).toThrow(SigningKeyError);
  });

  it('refuses a PEM it cannot read without echoing its content', () => {
    const act = () => createLocalSigner('-----BEGIN PRIVATE KEY-----\nsecretish\n-----END PRIVATE KEY-----');

    expect(act).toThrow(SigningKeyError);
    expect(act).not.toThrow(/secretish/);
  });
});

describe('signers emit only low-S signatures', () => {
  it('the local signer never answers s > n/2, over many messages and keys', async () => {
    const signers = [createLocalSigner(generateSigningKeyPem()), createLocalSigner(generateSigningKeyPem())];

    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.nat({ max: 1 }), async (data, which) => {
        const signer = signers[which] ?? signers[0];
        if (!signer) throw new Error('no signer');

        const signature = await signer.sign(data);

        expect(sOf(signature) <= HALF_ORDER).toBe(true);
        expect(
          verify('sha256', data, { key: signer.publicKey.key, dsaEncoding: 'ieee-p1363' }, signature),
        ).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the KMS signer turns every high-S answer of KMS into its low-S twin, over many messages', async () => {
    givenKmsKey();
    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);
    let highAnswers = 0;
    kms.on(SignCommand).callsFake((input: SignCommandInput) => {
      const der = sign('sha256', input.Message ?? new Uint8Array(), {
        key: kmsPrivateKey,
        dsaEncoding: 'der',
      });
      if (sOf(derToRawSignature(der)) > HALF_ORDER) highAnswers += 1;
      return { KeyId: keyId, SigningAlgorithm: 'ECDSA_SHA_256', Signature: der };
    });

    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (data) => {
        const signature = await signer.sign(data);

        expect(sOf(signature) <= HALF_ORDER).toBe(true);
        expect(verify('sha256', data, { key: kmsPublicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
    // About half of KMS's answers are high-S: the property above was tested against many of them.
    expect(highAnswers).toBeGreaterThan(50);
  });
});

describe('the KMS signer', () => {
  it('signs passes that verify with the public key KMS publishes', async () => {
    givenKmsKey();
    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);
    const entry = await loadKmsPublicKey(new KMSClient({ region: 'ap-southeast-1' }), keyId);

    const qr = await encodePass(claimsAt(), signer);

    expect(decodePass(qr, createKeyRing([entry]), later)).toMatchObject({ ok: true, kid: entry.kid });
  });

  it('asks KMS for ECDSA_SHA_256 over the RAW message with the configured key', async () => {
    givenKmsKey();
    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);
    const data = new TextEncoder().encode('header.payload');

    await signer.sign(data);

    const calls = kms.commandCalls(SignCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      KeyId: keyId,
      Message: data,
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  it('names the KMS key by the thumbprint of its public key', async () => {
    givenKmsKey();

    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);

    expect(signer.kid).toBe(publicKeyEntry(kmsPublicKey).kid);
  });

  it.each([
    ['a 33-byte r (leading zero for the sign bit)', (r: number) => r === 33],
    ['a 33-byte s', (_r: number, s: number) => s === 33],
    ['a short r (fewer than 32 bytes)', (r: number) => r < 32],
    ['a short s', (_r: number, s: number) => s < 32],
    ['two 32-byte integers', (r: number, s: number) => r === 32 && s === 32],
  ])('converts a DER signature with %s to r||s that verifies', async (_case, wanted) => {
    const { message, der } = findDerSignature(wanted);
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: spkiDer(kmsPublicKey) });
    kms.on(SignCommand).resolves({ Signature: der });
    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);

    const raw = await signer.sign(message);

    expect(raw).toHaveLength(64);
    expect(verify('sha256', message, { key: kmsPublicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  it('fails with a signing-key error when KMS answers without a signature', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: spkiDer(kmsPublicKey) });
    kms.on(SignCommand).resolves({});
    const signer = await createKmsSigner(new KMSClient({ region: 'ap-southeast-1' }), keyId);

    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(SigningKeyError);
  });

  it('refuses a KMS key that is not ECC_NIST_P256', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'RSA_2048', PublicKey: spkiDer(rsa) });

    await expect(loadKmsPublicKey(new KMSClient({ region: 'ap-southeast-1' }), keyId)).rejects.toThrow(
      SigningKeyError,
    );
  });

  it('refuses an answer without a public key', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256' });

    await expect(loadKmsPublicKey(new KMSClient({ region: 'ap-southeast-1' }), keyId)).rejects.toThrow(
      SigningKeyError,
    );
  });
});

describe('derToRawSignature', () => {
  const integer = (bytes: number[]) => [0x02, bytes.length, ...bytes];
  const sequence = (...parts: number[][]) => {
    const body = parts.flat();
    return Uint8Array.from([0x30, body.length, ...body]);
  };
  const r = Array.from({ length: 32 }, (_, i) => i + 1);

  it('left-pads a one-byte integer to 32 bytes', () => {
    const raw = derToRawSignature(sequence(integer([0x01]), integer(r)));

    expect(Buffer.from(raw.subarray(0, 32)).toString('hex')).toBe(`${'00'.repeat(31)}01`);
    expect(Array.from(raw.subarray(32))).toEqual(r);
  });

  it('drops the sign byte of a 33-byte integer', () => {
    const high = [0x80, ...r.slice(1)];

    const raw = derToRawSignature(sequence(integer([0x00, ...high]), integer(r)));

    expect(Array.from(raw.subarray(0, 32))).toEqual(high);
  });

  it.each([
    ['a wrong outer tag', Uint8Array.from([0x31, 0x06, ...integer([1]), ...integer([1])])],
    ['a wrong sequence length', Uint8Array.from([0x30, 0x07, ...integer([1]), ...integer([1])])],
    ['trailing bytes', Uint8Array.from([...sequence(integer([1]), integer([1])), 0x00])],
    ['a negative integer', sequence(integer([0x80]), integer([1]))],
    ['a non-minimal integer', sequence(integer([0x00, 0x01]), integer([1]))],
    ['an integer too large for P-256', sequence(integer([0x01, ...r]), integer([1]))],
    ['an empty integer', sequence(integer([]), integer([1]))],
    ['a missing second integer', sequence(integer([1]))],
    ['a truncated input', Uint8Array.from([0x30])],
    [
      'a long-form length that is not minimal',
      Uint8Array.from([0x30, 0x81, 0x06, ...integer([1]), ...integer([1])]),
    ],
  ])('rejects %s', (_case, der) => {
    expect(() => derToRawSignature(der)).toThrow(DerSignatureError);
  });
});

describe('the signer from configuration', () => {
  const client = () => new KMSClient({ region: 'ap-southeast-1' });

  it('reads the KMS public key once, however many passes follow', async () => {
    givenKmsKey();
    const signer = signerFromConfig({ SIGNING_KEY_ID: keyId }, client);

    const [first, second] = await Promise.all([signer(), signer()]);

    expect(second).toBe(first);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('tries again after a failed load instead of keeping the failure', async () => {
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: spkiDer(kmsPublicKey) });
    const signer = signerFromConfig({ SIGNING_KEY_ID: keyId }, client);

    await expect(signer()).rejects.toThrow('throttled');
    const loaded = await signer();

    expect(loaded.kid).toBe(publicKeyEntry(kmsPublicKey).kid);
  });

  it('refuses to start signing without a key', async () => {
    await expect(signerFromConfig({}, client)()).rejects.toThrow(SigningKeyError);
  });

  it('prefers the KMS key over a local file when both are set', async () => {
    givenKmsKey();

    const signer = await signerFromConfig(
      { SIGNING_KEY_ID: keyId, SIGNING_KEY_FILE: '/nonexistent.pem' },
      client,
    )();

    expect(signer.kid).toBe(publicKeyEntry(kmsPublicKey).kid);
  });
});
