import { type KeyObject, verify } from 'node:crypto';
import { isLowS } from '../../contract/low-s.js';
import {
  CLOCK_SKEW_SECONDS,
  claimsProblem,
  headerProblem,
  isUnboundPass,
  MAX_PASS_LENGTH,
  PASS_PREFIX,
  type PassClaims,
  type PassHeader,
  type PassSnapshot,
  SIGNATURE_BYTES,
} from '../../contract/pass-format.js';
import type { PassKeyRing } from './pass-keys.js';

/**
 * Signing and checking passes (format: contract/pass-format.ts). Pure: no AWS, no I/O. Signing goes
 * through the `PassSigner` port so the key can live in KMS; checking takes a key ring of public keys.
 * `decodePass` and `checkPass` never throw on untrusted input: they answer with the claims or a typed
 * failure.
 */

const readHeader = (value: unknown): PassHeader | undefined =>
  headerProblem(value) === undefined ? (value as PassHeader) : undefined;

/** The signing port. `sign` returns the raw 64-byte r||s ECDSA P-256 signature of SHA-256(data). */
export interface PassSigner {
  readonly kid: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Why a pass is refused. UNBOUND: an authentic pass issued before passes carried `bdc` (isUnboundPass). */
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
    return fail(isUnboundPass(value) ? 'UNBOUND' : 'MALFORMED');
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
