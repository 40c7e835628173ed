import type { Clock } from '../../contract/clock.js';
import { isJsonObject, readHolderIdentity } from '../../contract/identity.js';
import { isMode } from '../../contract/rules.js';
import { isScan, MAX_QR_LENGTH, type VerifyRequestReading } from './verify-body.js';
import { explainVerifyBody } from './verify-body-explain.js';

const readScannedQr = (body: { qr: unknown }): string | undefined => {
  const { qr } = body;
  const onlyQr = Object.keys(body).length === 1;
  return onlyQr && typeof qr === 'string' && qr.length >= 1 && qr.length <= MAX_QR_LENGTH ? qr : undefined;
};

/** The body without its `mode` member, and the mode when it is a valid one (else the body is refused). */
const splitMode = (body: unknown): { rest: unknown; mode?: string } | undefined => {
  if (!isJsonObject(body) || !('mode' in body)) return { rest: body };
  const { mode, ...rest } = body;
  return isMode(mode) ? { rest, mode } : undefined;
};

/**
 * What a checkpoint sends: the scanned QR text, or the holder's document and birth date typed in. A
 * valid body is read by hand (contract/identity.ts) with no allocation to speak of; a refused one is
 * explained by hand too (verify-body-explain.ts), in the error details the contract's zod schemas
 * (verify-body-schema.ts) give, so the verify function carries no schema library. The three agree on
 * what they accept and what they say (test/unit/verify/verify-body.test.ts).
 */
export const readVerifyRequest =
  (clock: Clock) =>
  (body: unknown): VerifyRequestReading => {
    const split = splitMode(body);
    if (split !== undefined) {
      const { rest, mode } = split;
      const withMode = mode === undefined ? {} : { mode };
      if (isScan(rest)) {
        const qr = readScannedQr(rest);
        if (qr !== undefined) return { kind: 'scan', qr, ...withMode };
      } else {
        const identity = readHolderIdentity(rest, clock);
        if (identity) return { kind: 'manual', identity, ...withMode };
      }
    }
    return explainVerifyBody(body, clock);
  };
