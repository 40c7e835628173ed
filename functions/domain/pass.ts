import { createHash, type KeyObject, verify } from 'node:crypto';
import { isLowS } from '../../contract/low-s.js';
import { isCalendarDate, isJsonObject, type TestType, testTypes } from '../schemas/common.js';

/**
 * The signed QR pass: `RG1:` followed by a compact JWS (RFC 7515) signed with ES256 (ECDSA P-256 over
 * SHA-256, signature as raw r||s, low-S only: see low-s.ts). Pure: no AWS, no I/O. Signing goes through
 * the `PassSigner` port so the key can live in KMS; verification takes a key ring of public keys.
 *
 * `decodePass` never throws on untrusted input: it answers with the claims or a typed failure.
 */

export const PASS_PREFIX = 'RG1:';
/** Longest QR text accepted. A real pass is about 600 characters. */
export const MAX_PASS_LENGTH = 2048;
/** A pass issued this far in the verifier's future is still accepted (clock skew between functions). */
export const CLOCK_SKEW_SECONDS = 60;

const SIGNATURE_BYTES = 64;
/** RFC 7638 thumbprints are base64url SHA-256: 43 characters. */
const KID = /^[A-Za-z0-9_-]{43}$/;
/**
 * The holder pseudonym and the birth-date check: lowercase hex HMAC-SHA256 values (pseudonym.ts). Never a
 * raw ID, name or date.
 */
const HMAC_HEX = /^[0-9a-f]{64}$/;
/** 9999-12-31T23:59:59Z, the last second a four-digit year can name. */
const MAX_UNIX_SECONDS = 253_402_300_799;
/** A UTC timestamp as toISOString writes it (fractions of a second optional). */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z$/;

export interface PassHeader {
  alg: 'ES256';
  kid: string;
  typ: 'JWT';
}

/** What a checkpoint can check offline when the holder was VALID at issue time. */
export interface PassSnapshot {
  testType: TestType;
  sampledAt: string;
  validUntil: string;
  maskedName: string;
  birthYear: number;
}

export interface PassClaims {
  v: 1;
  /** The holder pseudonym (`holderKey`). */
  sub: string;
  /**
   * The birth-date check of the date the pass was issued for (`birthDateCheck`: keyed, bound to `sub`),
   * the same value each stored result keeps. A scan counts only results whose check equals it, as a
   * manual entry does, so a pass asked for with a wrong birth date scans like an unknown holder. The
   * verifier compares it and needs no pepper.
   */
  bdc: string;
  /** Version of the pepper that made `sub`, so a pepper rotation does not orphan live passes. */
  kv: number;
  iat: number;
  exp: number;
  snap?: PassSnapshot;
}

/*
 * The header and claims are checked by hand, not with a schema library: they are small, fixed and ours,
 * and the checkpoint's cold start should not pay for building schemas it can read in a few lines. Each
 * reader answers the path of the first problem (for the issuer's error), or undefined when all is well.
 * Objects are exact: an unknown member is a problem, as in the contract's other inputs.
 */
const unknownMember = (value: Record<string, unknown>, members: readonly string[]): string | undefined =>
  Object.keys(value).find((key) => !members.includes(key));
const isWhole = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isUtcTimestamp = (value: unknown): value is string =>
  typeof value === 'string' && UTC_TIMESTAMP.test(value) && isCalendarDate(value.slice(0, 10));

const headerProblem = (value: unknown): string | undefined => {
  if (!isJsonObject(value)) return '(root)';
  if (value.alg !== 'ES256') return 'alg';
  if (typeof value.kid !== 'string' || !KID.test(value.kid)) return 'kid';
  if (value.typ !== 'JWT') return 'typ';
  return unknownMember(value, ['alg', 'kid', 'typ']);
};

const snapshotProblem = (value: unknown): string | undefined => {
  if (!isJsonObject(value)) return 'snap';
  if (typeof value.testType !== 'string' || !(testTypes as readonly string[]).includes(value.testType))
    return 'snap.testType';
  if (!isUtcTimestamp(value.sampledAt)) return 'snap.sampledAt';
  if (!isUtcTimestamp(value.validUntil)) return 'snap.validUntil';
  const name = value.maskedName;
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) return 'snap.maskedName';
  if (!isWhole(value.birthYear, 1900, 9999)) return 'snap.birthYear';
  const unknown = unknownMember(value, ['testType', 'sampledAt', 'validUntil', 'maskedName', 'birthYear']);
  return unknown === undefined ? undefined : `snap.${unknown}`;
};

const claimsProblem = (value: unknown): string | undefined => {
  if (!isJsonObject(value)) return '(root)';
  if (value.v !== 1) return 'v';
  if (typeof value.sub !== 'string' || !HMAC_HEX.test(value.sub)) return 'sub';
  if (!isWhole(value.kv, 0, Number.MAX_SAFE_INTEGER)) return 'kv';
  if (!isWhole(value.iat, 0, MAX_UNIX_SECONDS)) return 'iat';
  if (!isWhole(value.exp, 0, MAX_UNIX_SECONDS) || value.exp <= value.iat) return 'exp';
  if ('snap' in value) {
    const problem = snapshotProblem(value.snap);
    if (problem !== undefined) return problem;
  }
  const unknown = unknownMember(value, ['v', 'sub', 'bdc', 'kv', 'iat', 'exp', 'snap']);
  if (unknown !== undefined) return unknown;
  // Last, so that 'bdc' is the only problem of a pass issued before passes carried it (see UNBOUND).
  if (typeof value.bdc !== 'string' || !HMAC_HEX.test(value.bdc)) return 'bdc';
  return undefined;
};

const readHeader = (value: unknown): PassHeader | undefined =>
  headerProblem(value) === undefined ? (value as PassHeader) : undefined;

/** The signing port. `sign` returns the raw 64-byte r||s ECDSA P-256 signature of SHA-256(data). */
export interface PassSigner {
  readonly kid: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** A public key that may have signed a pass, named by its RFC 7638 thumbprint. */
export interface PassVerificationKey {
  readonly kid: string;
  readonly key: KeyObject;
}
export type PassKeyRing = ReadonlyMap<string, KeyObject>;

export const createKeyRing = (keys: readonly PassVerificationKey[]): PassKeyRing =>
  new Map(keys.map((entry) => [entry.kid, entry.key]));

/**
 * Why a pass is refused. UNBOUND: an authentic pass without the birth-date check `bdc`, issued before
 * passes were bound to a birth date. It cannot be told apart from one issued for a wrong birth date, so
 * it is refused (PASS_INVALID) rather than trusted; such passes are at most a lifetime (7 days) old and
 * the holder's app asks a new one.
 */
export type PassFailureReason =
  | 'MALFORMED'
  | 'UNBOUND'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

export type PassDecodeResult =
  | { readonly ok: true; readonly claims: PassClaims; readonly kid: string }
  | { readonly ok: false; readonly reason: PassFailureReason };

export class InvalidPassClaimsError extends Error {
  override readonly name = 'InvalidPassClaimsError';
}

export class PassSignatureFormatError extends Error {
  override readonly name = 'PassSignatureFormatError';
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });
const base64urlPattern = /^[A-Za-z0-9_-]+$/;

const toBase64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** Strict base64url: alphabet only, no padding, and canonical (re-encoding gives back the same text). */
export const decodeBase64url = (text: string): Uint8Array | undefined => {
  if (!base64urlPattern.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

const parseJsonSegment = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
};

/** Builds the claims of a pass issued at `now` for `lifetimeSeconds`. */
export const passClaims = (input: {
  readonly citizenKey: string;
  readonly birthDateCheck: string;
  readonly keyVersion: number;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  readonly snapshot?: PassSnapshot | undefined;
}): PassClaims => {
  const iat = Math.floor(input.now.getTime() / 1000);
  const claims: PassClaims = {
    v: 1,
    sub: input.citizenKey,
    bdc: input.birthDateCheck,
    kv: input.keyVersion,
    iat,
    exp: iat + input.lifetimeSeconds,
  };
  return input.snapshot === undefined ? claims : { ...claims, snap: input.snapshot };
};

/** Signs the claims and returns the QR text. Throws `InvalidPassClaimsError` on claims we must not sign. */
export const encodePass = async (claims: PassClaims, signer: PassSigner): Promise<string> => {
  const problem = claimsProblem(claims);
  if (problem !== undefined) throw new InvalidPassClaimsError(`Invalid pass claims at ${problem}`);
  const header: PassHeader = { alg: 'ES256', kid: signer.kid, typ: 'JWT' };
  if (headerProblem(header) !== undefined) throw new InvalidPassClaimsError('Invalid signing key id');
  const signingInput = `${toBase64url(encoder.encode(JSON.stringify(header)))}.${toBase64url(
    encoder.encode(JSON.stringify(claims)),
  )}`;
  const signature = await signer.sign(encoder.encode(signingInput));
  if (signature.length !== SIGNATURE_BYTES) {
    throw new PassSignatureFormatError(
      `Signer returned ${signature.length} bytes, expected ${SIGNATURE_BYTES}`,
    );
  }
  // Every verifier refuses high-S; a signer that does not normalise must fail here, not at a checkpoint.
  if (!isLowS(signature)) throw new PassSignatureFormatError('Signer returned a high-S signature');
  return `${PASS_PREFIX}${signingInput}.${toBase64url(signature)}`;
};

const fail = (reason: PassFailureReason): { readonly ok: false; readonly reason: PassFailureReason } => ({
  ok: false,
  reason,
});

/** A pass taken apart, its header read and its key found; neither signature nor claims checked yet. */
interface OpenedPass {
  readonly ok: true;
  readonly kid: string;
  readonly key: KeyObject;
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
  readonly payloadBytes: Uint8Array;
}

const openPass = (qr: string, keyRing: PassKeyRing): OpenedPass | ReturnType<typeof fail> => {
  if (typeof qr !== 'string' || qr.length > MAX_PASS_LENGTH || !qr.startsWith(PASS_PREFIX)) {
    return fail('MALFORMED');
  }
  const segments = qr.slice(PASS_PREFIX.length).split('.');
  if (segments.length !== 3) return fail('MALFORMED');
  const [headerText = '', payloadText = '', signatureText = ''] = segments;
  const headerBytes = decodeBase64url(headerText);
  const payloadBytes = decodeBase64url(payloadText);
  const signature = decodeBase64url(signatureText);
  // A high-S signature is the malleable twin of a valid one: refused as a non-canonical form, before
  // any read, like non-canonical base64url.
  if (
    !headerBytes ||
    !payloadBytes ||
    !signature ||
    signature.length !== SIGNATURE_BYTES ||
    !isLowS(signature)
  ) {
    return fail('MALFORMED');
  }
  const header = readHeader(parseJsonSegment(headerBytes));
  if (!header) return fail('MALFORMED');
  const key = keyRing.get(header.kid);
  if (!key) return fail('UNKNOWN_KEY');
  const signingInput = encoder.encode(`${headerText}.${payloadText}`);
  return { ok: true, kid: header.kid, key, signingInput, signature, payloadBytes };
};

/** The claims of an opened pass, if well formed and current at `now`. Says nothing of authenticity. */
const readClaims = (
  opened: OpenedPass,
  now: Date,
): { readonly ok: true; readonly claims: PassClaims } | ReturnType<typeof fail> => {
  const value = parseJsonSegment(opened.payloadBytes);
  const problem = claimsProblem(value);
  if (problem !== undefined) {
    return fail(problem === 'bdc' && isJsonObject(value) && !('bdc' in value) ? 'UNBOUND' : 'MALFORMED');
  }
  const claims = value as PassClaims;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return fail('NOT_YET_VALID');
  if (nowSeconds >= claims.exp) return fail('EXPIRED');
  return { ok: true, claims };
};

const signatureOptions = (opened: OpenedPass) => ({ key: opened.key, dsaEncoding: 'ieee-p1363' }) as const;

const isAuthentic = (opened: OpenedPass): boolean => {
  try {
    return verify('sha256', opened.signingInput, signatureOptions(opened), opened.signature);
  } catch {
    return false;
  }
};

/**
 * Checks a scanned QR text against the key ring at `now`. Never throws on untrusted input. A pass that
 * fails its signature is BAD_SIGNATURE whatever else is wrong with its claims.
 */
export const decodePass = (qr: string, keyRing: PassKeyRing, now: Date): PassDecodeResult => {
  const opened = openPass(qr, keyRing);
  if (!opened.ok) return opened;
  if (!isAuthentic(opened)) return fail('BAD_SIGNATURE');
  const claims = readClaims(opened, now);
  return claims.ok ? { ok: true, claims: claims.claims, kid: opened.kid } : claims;
};

export type PassCheckResult<T> =
  | { readonly ok: true; readonly claims: PassClaims; readonly kid: string; readonly value: T }
  | { readonly ok: false; readonly reason: PassFailureReason };

/**
 * {@link decodePass} with the signature check overlapped: once the claims read well (known key, current
 * time), `meanwhile` starts with them, and the ECDSA check (about 0.1 ms of CPU) runs after one turn of
 * the event loop, when `meanwhile`'s request is on its way, instead of before it. Its value is kept only
 * if the signature holds. The checkpoint uses it for its one database read. (The check stays on this
 * thread: handing it to the thread pool costs more in hand-offs than it saves.) Same answers as
 * decodePass: a forged pass is BAD_SIGNATURE and its `meanwhile` value is dropped, after it settles so
 * nothing is left in flight; a pass refused for its claims never starts `meanwhile`. An error of
 * `meanwhile` is thrown only for an authentic pass.
 */
export const checkPass = async <T>(
  qr: string,
  keyRing: PassKeyRing,
  now: Date,
  meanwhile: (claims: PassClaims) => Promise<T>,
): Promise<PassCheckResult<T>> => {
  const opened = openPass(qr, keyRing);
  if (!opened.ok) return opened;
  const claims = readClaims(opened, now);
  if (!claims.ok) return isAuthentic(opened) ? claims : fail('BAD_SIGNATURE');
  const work = meanwhile(claims.claims).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // One turn of the event loop: the read's request is written before the CPU-bound check begins.
  await new Promise(setImmediate);
  if (!isAuthentic(opened)) {
    await work;
    return fail('BAD_SIGNATURE');
  }
  const done = await work;
  if (!done.ok) throw done.error;
  return { ok: true, claims: claims.claims, kid: opened.kid, value: done.value };
};

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
