import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { jwkThumbprint, type PassSigner, type PassVerificationKey } from '../domain/pass.js';

export type { PassSigner } from '../domain/pass.js';

/**
 * Pass-signing keys: a local PKCS#8 PEM key (the laptop stack, tests) or a KMS asymmetric key
 * (ECC_NIST_P256, SIGN_VERIFY) in the cloud. Both produce raw r||s signatures and are named by the
 * RFC 7638 thumbprint of their public key.
 */

const COORDINATE_BYTES = 32;

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export class DerSignatureError extends Error {
  override readonly name = 'DerSignatureError';
}

export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

export interface PublicKeyEntry extends PassVerificationKey {
  readonly jwk: EcPublicJwk;
}

export interface Jwks {
  readonly keys: readonly (EcPublicJwk & {
    readonly kid: string;
    readonly alg: 'ES256';
    readonly use: 'sig';
  })[];
}

const assertP256 = (key: KeyObject, what: string): void => {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SigningKeyError(`${what} is not an EC P-256 key`);
  }
};

/** Names a P-256 public key (or the public half of a private key) by its RFC 7638 thumbprint. */
export const publicKeyEntry = (key: KeyObject): PublicKeyEntry => {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  assertP256(publicKey, 'The pass-signing key');
  const exported = publicKey.export({ format: 'jwk' });
  if (typeof exported.x !== 'string' || typeof exported.y !== 'string') {
    throw new SigningKeyError('The pass-signing key has no EC coordinates');
  }
  const jwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: exported.x, y: exported.y };
  return { kid: jwkThumbprint(jwk), key: publicKey, jwk };
};

/** From a PEM text holding a public key (SPKI) or a private key (PKCS#8, SEC1). */
export const publicKeyEntryFromPem = (pem: string): PublicKeyEntry => {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new SigningKeyError('The pass-signing key PEM cannot be read');
  }
  return publicKeyEntry(key);
};

export const publicKeyEntryFromFile = async (path: string): Promise<PublicKeyEntry> =>
  publicKeyEntryFromPem(await readFile(path, 'utf8'));

/** A signer over a PKCS#8 PEM P-256 private key (the local stack and tests). */
export const createLocalSigner = (
  privateKeyPem: string,
): PassSigner & { readonly publicKey: PublicKeyEntry } => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    throw new SigningKeyError('The pass-signing private key PEM cannot be read');
  }
  const publicKey = publicKeyEntry(privateKey);
  return {
    kid: publicKey.kid,
    publicKey,
    sign: async (data) => sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  };
};

export const localSignerFromFile = async (
  path: string,
): Promise<PassSigner & { readonly publicKey: PublicKeyEntry }> =>
  createLocalSigner(await readFile(path, 'utf8'));

/** A new P-256 private key as PKCS#8 PEM, for the local stack to create once into its data dir. */
export const generateSigningKeyPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

/** The SPKI PEM public key of a private key PEM (to publish a retired local key as the previous one). */
export const publicKeyPemOf = (privateKeyPem: string): string =>
  publicKeyEntryFromPem(privateKeyPem).key.export({ type: 'spki', format: 'pem' }).toString();

/** KMS GetPublicKey answers with an SPKI DER public key. Needs kms:GetPublicKey only. */
export const loadKmsPublicKey = async (client: KMSClient, keyId: string): Promise<PublicKeyEntry> => {
  const answer = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!answer.PublicKey) throw new SigningKeyError('KMS returned no public key');
  if (answer.KeySpec !== undefined && answer.KeySpec !== 'ECC_NIST_P256') {
    throw new SigningKeyError(`KMS key spec ${answer.KeySpec} is not ECC_NIST_P256`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
  } catch {
    throw new SigningKeyError('KMS returned a public key that cannot be read');
  }
  return publicKeyEntry(key);
};

/**
 * A signer backed by a KMS asymmetric key. KMS hashes the RAW message with SHA-256 and answers with a
 * DER ECDSA-Sig-Value, converted here to the raw r||s form JWS requires. Reads the public key once
 * (kms:GetPublicKey) to name the key by its thumbprint.
 */
export const createKmsSigner = async (client: KMSClient, keyId: string): Promise<PassSigner> => {
  const { kid } = await loadKmsPublicKey(client, keyId);
  return {
    kid,
    sign: async (data) => {
      const answer = await client.send(
        new SignCommand({
          KeyId: keyId,
          Message: data,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!answer.Signature) throw new SigningKeyError('KMS returned no signature');
      return derToRawSignature(answer.Signature);
    },
  };
};

/**
 * DER `SEQUENCE { r INTEGER, s INTEGER }` → 64-byte r||s. Each INTEGER is big-endian, minimal and
 * positive: 33 bytes with a leading 0x00 when its top bit is set, fewer than 32 when it has leading zeros.
 */
export const derToRawSignature = (der: Uint8Array): Uint8Array => {
  let offset = 0;
  const readByte = (): number => {
    const value = der[offset];
    if (value === undefined) throw new DerSignatureError('DER signature is truncated');
    offset += 1;
    return value;
  };
  const readLength = (): number => {
    const first = readByte();
    if (first < 0x80) return first;
    if (first !== 0x81) throw new DerSignatureError('DER length is too long');
    const length = readByte();
    if (length < 0x80) throw new DerSignatureError('DER length is not minimal');
    return length;
  };
  const readInteger = (): Uint8Array => {
    if (readByte() !== 0x02) throw new DerSignatureError('DER signature integer expected');
    const length = readLength();
    if (length === 0 || offset + length > der.length)
      throw new DerSignatureError('DER integer length is invalid');
    let value = der.subarray(offset, offset + length);
    offset += length;
    const [first = 0, second = 0] = value;
    if (first & 0x80) throw new DerSignatureError('DER integer is negative');
    if (first === 0 && value.length > 1) {
      if ((second & 0x80) === 0) throw new DerSignatureError('DER integer is not minimal');
      value = value.subarray(1);
    }
    if (value.length > COORDINATE_BYTES) throw new DerSignatureError('DER integer is too large for P-256');
    return value;
  };

  if (readByte() !== 0x30) throw new DerSignatureError('DER signature sequence expected');
  const sequenceLength = readLength();
  if (offset + sequenceLength !== der.length) throw new DerSignatureError('DER sequence length is wrong');
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length) throw new DerSignatureError('DER signature has trailing bytes');

  const raw = new Uint8Array(COORDINATE_BYTES * 2);
  raw.set(r, COORDINATE_BYTES - r.length);
  raw.set(s, COORDINATE_BYTES * 2 - s.length);
  return raw;
};

/** The JWKS published at GET /v1/keys, current key first; a key listed twice appears once. */
export const buildJwks = (entries: readonly PublicKeyEntry[]): Jwks => {
  const seen = new Set<string>();
  const keys: Jwks['keys'][number][] = [];
  for (const entry of entries) {
    if (seen.has(entry.kid)) continue;
    seen.add(entry.kid);
    keys.push({ ...entry.jwk, kid: entry.kid, alg: 'ES256', use: 'sig' });
  }
  return { keys };
};

/** Where the pass-signing keys are: KMS key ids in the cloud, PEM files locally. */
export interface SigningKeyConfig {
  readonly SIGNING_KEY_ID?: string | undefined;
  readonly SIGNING_KEY_FILE?: string | undefined;
  readonly PREVIOUS_SIGNING_KEY_ID?: string | undefined;
  readonly PREVIOUS_SIGNING_KEY_FILE?: string | undefined;
}

/** Runs `load` once; a failure is not kept, so the next call tries again. */
export const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};

const MISSING_KEY =
  'Set SIGNING_KEY_ID (a KMS key) or SIGNING_KEY_FILE (a PKCS#8 PEM file) for pass signing.';

/** The signer of new passes, made once: KMS when SIGNING_KEY_ID is set, else the local PEM file. */
export const signerFromConfig = (
  config: SigningKeyConfig,
  kms: () => KMSClient,
): (() => Promise<PassSigner>) =>
  once(async () => {
    if (config.SIGNING_KEY_ID !== undefined) return createKmsSigner(kms(), config.SIGNING_KEY_ID);
    if (config.SIGNING_KEY_FILE !== undefined) return localSignerFromFile(config.SIGNING_KEY_FILE);
    throw new SigningKeyError(MISSING_KEY);
  });

/**
 * The public keys passes may be signed with, current first, then the previous one when configured;
 * loaded once (kms:GetPublicKey only).
 */
export const publicKeysFromConfig = (
  config: SigningKeyConfig,
  kms: () => KMSClient,
): (() => Promise<readonly PublicKeyEntry[]>) => {
  const load = (keyId: string | undefined, file: string | undefined): Promise<PublicKeyEntry> | undefined => {
    if (keyId !== undefined) return loadKmsPublicKey(kms(), keyId);
    if (file !== undefined) return publicKeyEntryFromFile(file);
    return undefined;
  };
  return once(async () => {
    const current = load(config.SIGNING_KEY_ID, config.SIGNING_KEY_FILE);
    if (current === undefined) throw new SigningKeyError(MISSING_KEY);
    const previous = load(config.PREVIOUS_SIGNING_KEY_ID, config.PREVIOUS_SIGNING_KEY_FILE);
    return Promise.all(previous === undefined ? [current] : [current, previous]);
  });
};
