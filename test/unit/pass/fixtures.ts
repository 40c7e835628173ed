import type { PassClaims } from '../../../contract/pass-format.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { passClaims } from '../../../functions/domain/pass-codec.js';

/** A holder pseudonym as the pepper HMAC makes it: 64 lowercase hex characters. */
export const citizenKey = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';

/** A birth-date check as the pepper HMAC makes it, bound to citizenKey. */
export const birthDateCheck = 'b7e2d1c0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2';

export const issuedAt = new Date('2021-09-10T01:30:00Z');
export const lifetimeSeconds = 7 * 24 * 3600;

export const snapshot = {
  testType: 'RT_PCR',
  sampledAt: '2021-09-09T01:30:00Z',
  validUntil: '2021-09-12T01:30:00Z',
  maskedName: 'N***** T** Á**',
  birthYear: 1990,
} as const;

export const claimsAt = (now: Date = issuedAt, withSnapshot = true): PassClaims =>
  passClaims({
    citizenKey,
    birthDateCheck,
    keyVersion: 1,
    now,
    lifetimeSeconds,
    snapshot: withSnapshot ? snapshot : undefined,
  });

export const newLocalSigner = () => createLocalSigner(generateSigningKeyPem());

/** Splits `RG1:<h>.<p>.<s>` into its three segments. */
export const segmentsOf = (qr: string): [string, string, string] => {
  const [header = '', payload = '', signature = ''] = qr.slice('RG1:'.length).split('.');
  return [header, payload, signature];
};

export const b64json = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export const fromB64json = (segment: string): unknown =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

/** The P-256 group order n. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const to32Bytes = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

/** The s half of a raw r||s signature, as a number. */
export const sOf = (signature: Uint8Array): bigint => toBigInt(signature.subarray(32));

/** The malleable twin (r, n - s) of a raw r||s signature: just as valid to a plain ECDSA verifier. */
export const twinOf = (signature: Uint8Array): Buffer =>
  Buffer.concat([signature.subarray(0, 32), to32Bytes(P256_ORDER - sOf(signature))]);

/** The same pass with the twin of its signature. */
export const highSTwinOf = (qr: string): string => {
  const [header, payload, signature] = segmentsOf(qr);
  return `RG1:${header}.${payload}.${twinOf(Buffer.from(signature, 'base64url')).toString('base64url')}`;
};
