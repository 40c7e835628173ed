import type { ErrorDetail } from '../errors.js';
import type { Clock } from './common.js';
import { type HolderIdentity, readHolderIdentity } from './identity.js';

export const MAX_QR_LENGTH = 4096;

export type VerifyRequest =
  | { readonly kind: 'scan'; readonly qr: string }
  | { readonly kind: 'manual'; readonly identity: HolderIdentity };

export type VerifyRequestReading =
  | VerifyRequest
  | { readonly kind: 'invalid'; readonly details: ErrorDetail[] };

/** A body with a `qr` member is a scan; any other is a manual entry (errors name the fields meant). */
export const isScan = (body: unknown): body is { qr: unknown } =>
  typeof body === 'object' && body !== null && 'qr' in body;

const readScannedQr = (body: { qr: unknown }): string | undefined => {
  const { qr } = body;
  const onlyQr = Object.keys(body).length === 1;
  return onlyQr && typeof qr === 'string' && qr.length >= 1 && qr.length <= MAX_QR_LENGTH ? qr : undefined;
};

/**
 * What a checkpoint sends: the scanned QR text, or the holder's document and birth date typed in. A
 * valid body is read by hand (identity.ts), so a check builds no schema; a refused one loads the zod
 * schemas (verify.ts) on first need to say why, in the contract's error details. The two agree on what
 * they accept (test/unit/verify/verify-request.test.ts).
 */
export const readVerifyRequest =
  (clock: Clock) =>
  async (body: unknown): Promise<VerifyRequestReading> => {
    if (isScan(body)) {
      const qr = readScannedQr(body);
      if (qr !== undefined) return { kind: 'scan', qr };
    } else {
      const identity = readHolderIdentity(body, clock);
      if (identity) return { kind: 'manual', identity };
    }
    const { explainVerifyRequest } = await import('./verify.js');
    return explainVerifyRequest(body, clock);
  };
