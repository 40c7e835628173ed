import { createHash, type KeyObject } from 'node:crypto';

/** The public keys passes may be signed with, by key id, and how a key id is made. */

/** A public key that may have signed a pass, named by its RFC 7638 thumbprint. */
export interface PassVerificationKey {
  readonly kid: string;
  readonly key: KeyObject;
}
export type PassKeyRing = ReadonlyMap<string, KeyObject>;

export const createKeyRing = (keys: readonly PassVerificationKey[]): PassKeyRing =>
  new Map(keys.map((entry) => [entry.kid, entry.key]));

/** Public JWK members that RFC 7638 hashes, per key type. */
export type ThumbprintJwk =
  | { readonly kty: 'EC'; readonly crv: string; readonly x: string; readonly y: string }
  | { readonly kty: 'RSA'; readonly e: string; readonly n: string };

/**
 * RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order, no whitespace,
 * base64url without padding. Extra members (kid, alg, use) are ignored by construction.
 */
export const jwkThumbprint = (jwk: ThumbprintJwk): string => {
  const canonical =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
};
