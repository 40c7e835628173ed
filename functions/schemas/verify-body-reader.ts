import type { Clock } from '../../contract/clock.js';
import { readHolderIdentity } from '../../contract/identity.js';
import { isScan, MAX_QR_LENGTH, type VerifyRequestReading } from './verify-body.js';

const readScannedQr = (body: { qr: unknown }): string | undefined => {
  const { qr } = body;
  const onlyQr = Object.keys(body).length === 1;
  return onlyQr && typeof qr === 'string' && qr.length >= 1 && qr.length <= MAX_QR_LENGTH ? qr : undefined;
};

/**
 * What a checkpoint sends: the scanned QR text, or the holder's document and birth date typed in. A
 * valid body is read by hand (contract/identity.ts), so a check builds no schema; a refused one loads the zod
 * schemas (verify-body-schema.ts) on first need to say why, in the contract's error details. The two
 * agree on what they accept (test/unit/verify/verify-body.test.ts).
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
    const { explainVerifyRequest } = await import('./verify-body-schema.js');
    return explainVerifyRequest(body, clock);
  };
