import { createPublicKey, type KeyObject } from 'node:crypto';
import { RULES_KEY_SIGNS } from '../../contract/rules-document.js';
import { ConfigError } from '../config.js';
import { jwkThumbprint, type PassVerificationKey } from '../domain/pass-keys.js';
import { isJsonObject } from '../schemas/common.js';

/**
 * The pass-signing public keys, which are deployment configuration: SIGNING_PUBLIC_KEYS holds the JWKS
 * that GET /v1/keys publishes (current key first), written at deployment (cloud) or at start (local). The
 * verify and keys functions read them from there, so checking a pass needs no key service.
 *
 * Plain code on purpose: this module sits in the verify bundle, so it imports neither a KMS client nor a
 * schema library of its own. KMS signing is in signer.ts.
 */

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
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

export type PublishedJwk = EcPublicJwk & {
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
};

export interface Jwks {
  readonly keys: readonly PublishedJwk[];
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

/** The JWKS published at GET /v1/keys, current key first; a key listed twice appears once. */
export const buildJwks = (entries: readonly PublicKeyEntry[]): Jwks => {
  const seen = new Set<string>();
  const keys: PublishedJwk[] = [];
  for (const entry of entries) {
    if (seen.has(entry.kid)) continue;
    seen.add(entry.kid);
    keys.push({ ...entry.jwk, kid: entry.kid, alg: 'ES256', use: 'sig' });
  }
  return { keys };
};

const SETTING = 'SIGNING_PUBLIC_KEYS';

/**
 * One published JWK → its entry. Messages name the setting and the key's position, never a member's
 * value: the text is configuration, and what it holds is not echoed into logs.
 */
const parseJwk = (value: unknown, position: number, setting: string): PublicKeyEntry => {
  const where = `${setting} key ${position}`;
  if (!isJsonObject(value)) throw new SigningKeyError(`${where} is not a JSON object`);
  const { kty, crv, x, y, kid, alg, use } = value;
  if (kty !== 'EC' || crv !== 'P-256') throw new SigningKeyError(`${where} is not an EC P-256 key`);
  if (alg !== 'ES256') throw new SigningKeyError(`${where} is not for ES256 (alg)`);
  if (use !== undefined && use !== 'sig') throw new SigningKeyError(`${where} is not a signing key (use)`);
  if ('d' in value) throw new SigningKeyError(`${where} holds a private key: publish public keys only`);
  if (typeof x !== 'string' || typeof y !== 'string' || typeof kid !== 'string') {
    throw new SigningKeyError(`${where} lacks x, y or kid`);
  }
  let key: KeyObject;
  try {
    // Node checks that the point is on the curve.
    key = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch {
    throw new SigningKeyError(`${where} is not a valid P-256 public key`);
  }
  const entry = publicKeyEntry(key);
  // The kid must be the RFC 7638 thumbprint of the coordinates as given, and these must be the key's own
  // (canonical) encoding: then a pass names its key the same way wherever the JWKS is read.
  if (jwkThumbprint({ kty, crv, x, y }) !== kid || entry.kid !== kid) {
    throw new SigningKeyError(`${where}: kid is not the RFC 7638 thumbprint of the key`);
  }
  return entry;
};

/**
 * SIGNING_PUBLIC_KEYS text → the keys passes may be signed with, current first. Refuses text that is not
 * JSON, a JWKS without keys, a key that is not an ES256 P-256 public key, a kid that is not the key's
 * thumbprint, and a key listed twice.
 */
export const parseSigningPublicKeys = (text: string, setting = SETTING): PublicKeyEntry[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningKeyError(`${setting} is not JSON`);
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed.keys)) {
    throw new SigningKeyError(`${setting} is not a JWKS ({"keys": [...]})`);
  }
  if (parsed.keys.length === 0) throw new SigningKeyError(`${setting} lists no key`);
  const entries = parsed.keys.map((value: unknown, index) => parseJwk(value, index + 1, setting));
  if (new Set(entries.map((entry) => entry.kid)).size !== entries.length) {
    throw new SigningKeyError(`${setting} lists a key twice`);
  }
  return entries;
};

/**
 * The public keys from configuration, read once at cold start. A function without the setting does not
 * start, with a message naming it.
 */
export const publicKeysFromConfig = (config: {
  readonly SIGNING_PUBLIC_KEYS?: string | undefined;
}): PublicKeyEntry[] => {
  if (config.SIGNING_PUBLIC_KEYS === undefined) {
    throw new ConfigError(
      `Invalid configuration: ${SETTING} is required (the JWKS of the pass-signing public keys, current key first)`,
    );
  }
  return parseSigningPublicKeys(config.SIGNING_PUBLIC_KEYS);
};

/** A rules-signing key as GET /v1/keys publishes it: marked so that it is accepted for rules only. */
export type PublishedRulesJwk = PublishedJwk & { readonly signs: typeof RULES_KEY_SIGNS };

/**
 * The JWKS of GET /v1/keys: the pass-signing keys (no `signs` member, as always: verifiers and pages that
 * predate rules documents read them unchanged), then the keys that sign the rules document, each marked
 * `"signs": "rules"`. The verify function never sees the rules keys (they are not in SIGNING_PUBLIC_KEYS),
 * so a rules key can never make a pass valid. A key in both lists is a configuration error.
 */
export const buildPublishedKeys = (
  passKeys: readonly PublicKeyEntry[],
  rulesKeys: readonly PublicKeyEntry[],
): { readonly keys: readonly (PublishedJwk | PublishedRulesJwk)[] } => {
  const passes = buildJwks(passKeys);
  const rules = buildJwks(rulesKeys);
  if (rules.keys.some((rule) => passes.keys.some((pass) => pass.kid === rule.kid))) {
    throw new SigningKeyError('RULES_PUBLIC_KEYS names a pass-signing key: rules need a key of their own');
  }
  return { keys: [...passes.keys, ...rules.keys.map((key) => ({ ...key, signs: RULES_KEY_SIGNS }))] };
};
