import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { type PassClaims, passClaims } from '../../../functions/domain/pass.js';

/** A holder pseudonym as the pepper HMAC makes it: 64 lowercase hex characters. */
export const citizenKey = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';

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
