/**
 * Offline check of a ResultGate pass: `RG1:` + a compact JWS (ES256) whose payload may carry a snapshot of
 * the holder's negative result at issue time. Only used when the API cannot be reached; it cannot see
 * results that arrived after the pass was issued, and the screen says so.
 */
import { isLowS } from '../../contract/low-s.js';
import { isRecord, type JsonRecord, numberField, parseJson, stringField } from './guards.js';

export const passPrefix = 'RG1:';
/** As the API: longer QR texts are not passes; a pass issued slightly in the phone's future is accepted. */
const maxPassLength = 2048;
const clockSkewMs = 60_000;
/** The pseudonym `sub` and the birth-date check `bdc`: keyed hashes, 64 lowercase hex characters. */
const hmacHex = /^[0-9a-f]{64}$/;
const claimMembers = ['v', 'sub', 'bdc', 'kv', 'iat', 'exp', 'snap'];

export type TestType = 'RT_PCR' | 'RAPID_ANTIGEN';

export interface PublicJwk {
  readonly kid: string;
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

export interface Snapshot {
  readonly testType: TestType;
  readonly sampledAt: string;
  readonly validUntil: string;
  readonly maskedName: string;
  readonly birthYear: number;
}

export type OfflineVerdict =
  | { readonly verdict: 'VALID'; readonly snapshot: Snapshot }
  | {
      readonly verdict: 'NOT_VALID';
      readonly reason: 'PASS_INVALID' | 'NO_SNAPSHOT' | 'SNAPSHOT_EXPIRED';
    }
  | { readonly verdict: 'UNKNOWN_KEY' };

export function isTestType(value: unknown): value is TestType {
  return value === 'RT_PCR' || value === 'RAPID_ANTIGEN';
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
      keys.push({ kid, kty: 'EC', crv: 'P-256', x, y });
  }
  return keys;
}

export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decodeJsonPart(part: string): JsonRecord | undefined {
  const bytes = base64UrlDecode(part);
  if (!bytes) return undefined;
  const value = parseJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  return isRecord(value) ? value : undefined;
}

function parseSnapshot(value: unknown): Snapshot | undefined {
  if (!isRecord(value)) return undefined;
  const testType = value.testType;
  const sampledAt = stringField(value, 'sampledAt');
  const validUntil = stringField(value, 'validUntil');
  const maskedName = stringField(value, 'maskedName');
  const birthYear = numberField(value, 'birthYear');
  if (
    !isTestType(testType) ||
    !sampledAt ||
    !validUntil ||
    maskedName === undefined ||
    birthYear === undefined
  ) {
    return undefined;
  }
  if (Number.isNaN(Date.parse(validUntil))) return undefined;
  return { testType, sampledAt, validUntil, maskedName, birthYear };
}

const isWhole = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The claims the API signs, read as strictly as the API reads them: an unknown member, or a pass without
 * the birth-date check `bdc` (issued before passes were bound to a birth date, refused by the API too),
 * is not a pass. The page cannot compute `bdc` (it needs the API's secret): the API puts a snapshot only
 * in a pass issued for the right birth date, so the snapshot alone decides offline.
 */
function readTimes(payload: JsonRecord): { readonly iat: number; readonly exp: number } | undefined {
  const { v, sub, bdc, kv, iat, exp } = payload;
  if (v !== 1 || typeof sub !== 'string' || !hmacHex.test(sub)) return undefined;
  if (typeof bdc !== 'string' || !hmacHex.test(bdc)) return undefined;
  if (!isWhole(kv) || !isWhole(iat) || !isWhole(exp) || exp <= iat) return undefined;
  if (Object.keys(payload).some((key) => !claimMembers.includes(key))) return undefined;
  return { iat, exp };
}

/** Copies into a fresh ArrayBuffer-backed view, which is what WebCrypto's BufferSource wants. */
function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(new ArrayBuffer(view.length));
  copy.set(view);
  return copy;
}

/**
 * Verifies `qr` against the cached keys at `now`. VALID only when the signature verifies (low-S only), the pass has not
 * expired, it carries a snapshot, and `now` is before the snapshot's `validUntil`.
 */
export async function verifyPassOffline(
  qr: string,
  keys: readonly PublicJwk[],
  now: Date,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<OfflineVerdict> {
  const invalid: OfflineVerdict = { verdict: 'NOT_VALID', reason: 'PASS_INVALID' };
  if (qr.length > maxPassLength || !qr.startsWith(passPrefix)) return invalid;
  const parts = qr.slice(passPrefix.length).split('.');
  if (parts.length !== 3) return invalid;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeJsonPart(headerPart);
  const payload = decodeJsonPart(payloadPart);
  const signature = base64UrlDecode(signaturePart);
  // Only the low-S form of a signature is accepted, as by the API: its high-S twin is refused.
  if (!header || !payload || !signature || header.alg !== 'ES256' || !isLowS(signature)) return invalid;
  const kid = stringField(header, 'kid');
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk) return { verdict: 'UNKNOWN_KEY' };

  const key = await subtle.importKey(
    'jwk',
    { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, bytes(signature), bytes(signed));
  if (!ok) return invalid;

  const times = readTimes(payload);
  if (!times) return invalid;
  const { iat, exp } = times;
  if (now.getTime() >= exp * 1000 || iat * 1000 > now.getTime() + clockSkewMs) return invalid;
  if (payload.snap === undefined || payload.snap === null)
    return { verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT' };
  const snapshot = parseSnapshot(payload.snap);
  if (!snapshot) return invalid;
  if (now.getTime() >= Date.parse(snapshot.validUntil))
    return { verdict: 'NOT_VALID', reason: 'SNAPSHOT_EXPIRED' };
  return { verdict: 'VALID', snapshot };
}
