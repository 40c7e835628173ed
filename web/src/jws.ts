/**
 * Offline check of a ResultGate pass: `RG1:` + a compact JWS (ES256) whose payload may carry a snapshot of
 * the holder's negative result at issue time. Only used when the API cannot be reached; it cannot see
 * results that arrived after the pass was issued, and the screen says so.
 */
import { isLowS } from '../../contract/low-s.js';
import {
  CLOCK_SKEW_SECONDS,
  claimsProblem,
  MAX_PASS_LENGTH,
  PASS_PREFIX,
  type PassClaims,
  type PassSnapshot,
} from '../../contract/pass-format.js';
import { type TestType, testTypes } from '../../contract/vocabulary.js';
import { isRecord, type JsonRecord, parseJson, stringField } from './guards.js';

export const passPrefix = PASS_PREFIX;
export type { TestType };

export interface PublicJwk {
  readonly kid: string;
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  /** `rules` on the key that signs the rules document (GET /v1/rules); absent on pass keys. */
  readonly signs?: 'rules';
}

/** Keys that sign passes: a key marked for rules never makes a pass authentic. */
export const passKeys = (keys: readonly PublicJwk[]): PublicJwk[] =>
  keys.filter((key) => key.signs === undefined);
/** Keys that sign the rules document, and only those. */
export const rulesKeys = (keys: readonly PublicJwk[]): PublicJwk[] =>
  keys.filter((key) => key.signs === 'rules');

export type Snapshot = Readonly<PassSnapshot>;

/**
 * What the pass itself says, offline: authentic with its snapshot's facts (`VALID`, then judged by the
 * rule in force: offline-rules.ts), authentic without a snapshot, not a genuine pass, or signed by a key
 * this phone does not hold.
 */
export type PassCheck =
  | { readonly verdict: 'VALID'; readonly snapshot: Snapshot }
  | { readonly verdict: 'NOT_VALID'; readonly reason: 'PASS_INVALID' | 'NO_SNAPSHOT' }
  | { readonly verdict: 'UNKNOWN_KEY' };

export function isTestType(value: unknown): value is TestType {
  return (testTypes as readonly unknown[]).includes(value);
}

/** Keeps the P-256 public keys of a JWKS document and drops everything else. */
export function parseJwks(value: unknown): PublicJwk[] {
  if (!isRecord(value) || !Array.isArray(value.keys)) return [];
  const keys: PublicJwk[] = [];
  for (const key of value.keys) {
    if (!isRecord(key)) continue;
    const kid = stringField(key, 'kid');
    const x = stringField(key, 'x');
    const y = stringField(key, 'y');
    if (kid && x && y && key.kty === 'EC' && key.crv === 'P-256')
      keys.push({ kid, kty: 'EC', crv: 'P-256', x, y, ...(key.signs === 'rules' ? { signs: 'rules' } : {}) });
  }
  return keys;
}

/**
 * The bytes of an unpadded base64url text, only in its one canonical spelling: `atob` ignores the unused
 * low bits of the last character, so without the round trip `…7Q`, `…7R`, `…7S` and `…7T` would be one
 * signature, and a pass would have four texts offline where the API (pass-codec.ts) accepts one.
 */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  if (btoa(binary) !== base64) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function decodeJsonPart(part: string): JsonRecord | undefined {
  const bytes = base64UrlDecode(part);
  if (!bytes) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const value = parseJson(text);
  return isRecord(value) ? value : undefined;
}

/**
 * The claims the API signs, read by the API's own rules (contract/pass-format.ts): an unknown member, or a
 * pass without the birth-date check `bdc` (issued before passes were bound to a birth date, refused by
 * the API too), is not a pass. The page cannot compute `bdc` (it needs the API's secret): the API puts a
 * snapshot only in a pass issued for the right birth date, so the snapshot alone decides offline.
 */
function readClaims(payload: JsonRecord): PassClaims | undefined {
  return claimsProblem(payload) === undefined ? (payload as unknown as PassClaims) : undefined;
}

/** Copies into a fresh ArrayBuffer-backed view, which is what WebCrypto's BufferSource wants. */
export function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(new ArrayBuffer(view.length));
  copy.set(view);
  return copy;
}

/** Whether `signature` (raw r||s) is an ES256 signature of `signingInput` by the P-256 key `jwk`. */
export async function verifiesEs256(
  jwk: PublicJwk,
  signingInput: string,
  signature: Uint8Array,
  subtle: SubtleCrypto,
): Promise<boolean> {
  const key = await subtle.importKey(
    'jwk',
    { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const signed = new TextEncoder().encode(signingInput);
  return subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, bytes(signature), bytes(signed));
}

/**
 * Verifies `qr` against the cached pass keys at `now`. VALID only when the header is a pass's (`typ: JWT`:
 * a rules document is refused), the signature verifies (low-S only) with a pass key, the pass has not
 * expired and it carries a snapshot. The snapshot's `validUntil` is not used: it is the verdict of the
 * rule in force when the pass was issued, and offline the page applies the rule in force at the scan
 * (offline-rules.ts) to the snapshot's facts (test type, sampling time). It is still read, as every pass
 * issued so far carries it.
 */
export async function verifyPassOffline(
  qr: string,
  keys: readonly PublicJwk[],
  now: Date,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<PassCheck> {
  const invalid: PassCheck = { verdict: 'NOT_VALID', reason: 'PASS_INVALID' };
  if (qr.length > MAX_PASS_LENGTH || !qr.startsWith(PASS_PREFIX)) return invalid;
  const parts = qr.slice(PASS_PREFIX.length).split('.');
  if (parts.length !== 3) return invalid;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeJsonPart(headerPart);
  const payload = decodeJsonPart(payloadPart);
  const signature = base64UrlDecode(signaturePart);
  // Only the low-S form of a signature is accepted, as by the API: its high-S twin is refused.
  if (!header || !payload || !signature || header.alg !== 'ES256' || header.typ !== 'JWT') return invalid;
  if (!isLowS(signature)) return invalid;
  const kid = stringField(header, 'kid');
  const jwk = passKeys(keys).find((key) => key.kid === kid);
  if (!jwk) return { verdict: 'UNKNOWN_KEY' };

  if (!(await verifiesEs256(jwk, `${headerPart}.${payloadPart}`, signature, subtle))) return invalid;

  const claims = readClaims(payload);
  if (!claims) return invalid;
  const { iat, exp, snap } = claims;
  if (now.getTime() >= exp * 1000 || iat * 1000 > now.getTime() + CLOCK_SKEW_SECONDS * 1000) return invalid;
  if (snap === undefined) return { verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT' };
  return { verdict: 'VALID', snapshot: snap };
}
