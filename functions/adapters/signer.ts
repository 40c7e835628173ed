import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { toLowS } from '../../contract/low-s.js';
import type { PassSigner } from '../domain/pass-codec.js';
import { once } from '../once.js';
import { type PublicKeyEntry, publicKeyEntry, SigningKeyError } from './public-keys.js';

export type { PassSigner } from '../domain/pass-codec.js';
export { SigningKeyError } from './public-keys.js';

/**
 * Pass signing: a local PKCS#8 PEM key (the laptop stack, tests) or a KMS asymmetric key
 * (ECC_NIST_P256, SIGN_VERIFY) in the cloud. Both produce raw r||s signatures and are named by the
 * RFC 7638 thumbprint of their public key. Neither KMS nor node's crypto.sign picks the low-S twin of
 * a signature, and verifiers accept only low-S (domain/low-s.ts), so both signers normalise s. Only the pass issuer and the deploy-time key publisher
 * (handlers/publish-signing-keys.ts) import this module; verify and keys read the public keys from
 * configuration (public-keys.ts) and never bundle the KMS client.
 */

const COORDINATE_BYTES = 32;

export class DerSignatureError extends Error {
  override readonly name = 'DerSignatureError';
}

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
    sign: async (data) => toLowS(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
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
      return toLowS(derToRawSignature(answer.Signature));
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

/** Where the key that signs new passes is: a KMS key id in the cloud, a PEM file locally. */
export interface SigningKeyConfig {
  readonly SIGNING_KEY_ID?: string | undefined;
  readonly SIGNING_KEY_FILE?: string | undefined;
}

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

/** Where the key that signs the rules document is (GET /v1/rules): a KMS key id, or a PEM file locally. */
export interface RulesSigningKeyConfig {
  readonly RULES_SIGNING_KEY_ID?: string | undefined;
  readonly RULES_SIGNING_KEY_FILE?: string | undefined;
}

/** The signer of rules documents, made once: a key of its own, never the pass-signing key. */
export const rulesSignerFromConfig = (
  config: RulesSigningKeyConfig,
  kms: () => KMSClient,
): (() => Promise<PassSigner>) =>
  once(async () => {
    if (config.RULES_SIGNING_KEY_ID !== undefined) return createKmsSigner(kms(), config.RULES_SIGNING_KEY_ID);
    if (config.RULES_SIGNING_KEY_FILE !== undefined)
      return localSignerFromFile(config.RULES_SIGNING_KEY_FILE);
    throw new SigningKeyError(
      'Set RULES_SIGNING_KEY_ID (a KMS key) or RULES_SIGNING_KEY_FILE (a PKCS#8 PEM file) for signing rules.',
    );
  });
