/**
 * The signed QR pass's format, shared by the API and the checkpoint page: `RG1:` followed by a compact
 * JWS (RFC 7515) signed with ES256 (ECDSA P-256 over SHA-256, signature as raw r||s, low-S only: see
 * low-s.ts), its header and its claims. Dependency-free; the codecs live with their users
 * (functions/domain/pass-codec.ts, web/src/jws.ts).
 */
import { isCalendarDate, isJsonObject } from './identity.js';
import { type TestType, testTypes } from './vocabulary.js';

export const PASS_PREFIX = 'RG1:';
/** Longest QR text accepted. A real pass is about 600 characters. */
export const MAX_PASS_LENGTH = 2048;
/** A pass issued this far in the verifier's future is still accepted (clock skew between functions). */
export const CLOCK_SKEW_SECONDS = 60;

/** A raw r||s ES256 signature. */
export const SIGNATURE_BYTES = 64;
/** RFC 7638 thumbprints are base64url SHA-256: 43 characters. */
const KID = /^[A-Za-z0-9_-]{43}$/;
/**
 * The holder pseudonym and the birth-date check: lowercase hex HMAC-SHA256 values (pseudonym.ts). Never a
 * raw ID, name or date.
 */
const HMAC_HEX = /^[0-9a-f]{64}$/;
/** A lab id (`lab_` and 16 hex digits in practice: functions/domain/registry.ts). */
const LAB_ID = /^[A-Za-z0-9_-]{1,64}$/;
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
  /** The lab of the result (optional: passes issued before it existed lack it), for revoked windows. */
  labId?: string;
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

/** The path of the first problem of a pass header, or undefined when it is one. */
export const headerProblem = (value: unknown): string | undefined => {
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
  if ('labId' in value && (typeof value.labId !== 'string' || !LAB_ID.test(value.labId))) return 'snap.labId';
  const unknown = unknownMember(value, [
    'testType',
    'sampledAt',
    'validUntil',
    'maskedName',
    'birthYear',
    'labId',
  ]);
  return unknown === undefined ? undefined : `snap.${unknown}`;
};

/** The path of the first problem of pass claims, or undefined when they are well formed. */
export const claimsProblem = (value: unknown): string | undefined => {
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

/**
 * Claims that are well formed but for the birth-date check `bdc`, which they lack: a pass issued before
 * passes were bound to a birth date. Such a pass cannot be told apart from one issued for a wrong birth
 * date, so it is refused (PASS_INVALID): it is at most a lifetime (7 days) old and the holder's app asks
 * a new one.
 */
export const isUnboundPass = (value: unknown): boolean =>
  claimsProblem(value) === 'bdc' && isJsonObject(value) && !('bdc' in value);
