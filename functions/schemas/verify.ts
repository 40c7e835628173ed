import * as z from 'zod/mini';
import type { Clock } from './common.js';
import { holderIdentitySchema } from './holder.js';

export const scannedPassSchema = z.strictObject({
  qr: z.string().check(z.minLength(1), z.maxLength(4096)),
});

/**
 * What a checkpoint sends: the scanned QR text, or the holder's document and birth date typed in. A body
 * with a `qr` field is a scan; any other is a manual entry (so errors name the fields the caller meant).
 */
export const verifyRequestSchema = (clock: Clock) =>
  z.union([scannedPassSchema, holderIdentitySchema(clock)]);

export const parseVerifyRequest = (clock: Clock) => {
  const manual = holderIdentitySchema(clock);
  return (body: unknown) =>
    typeof body === 'object' && body !== null && 'qr' in body
      ? ({ kind: 'scan', parsed: scannedPassSchema.safeParse(body) } as const)
      : ({ kind: 'manual', parsed: manual.safeParse(body) } as const);
};
