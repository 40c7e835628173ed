import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.js';
import { issuesToDetails } from './common.js';
import { holderIdentitySchema } from './holder-identity-schema.js';
import { isScan, MAX_QR_LENGTH, type VerifyRequestReading } from './verify-body.js';

/**
 * POST /v1/verify's body as zod schemas: for the OpenAPI document, and to say why a body was refused.
 * The verify function reads a valid body by hand (verify-body-reader.ts) and loads this module only when it
 * must explain a refusal.
 */

export const scannedPassSchema = z.strictObject({
  qr: z.string().check(z.minLength(1), z.maxLength(MAX_QR_LENGTH)),
});

export const verifyRequestSchema = (clock: Clock) =>
  z.union([scannedPassSchema, holderIdentitySchema(clock)]);

/**
 * The schema's reading of a body: the contract's error details for the schema that applies (a scan when
 * the body has a `qr` member, else a manual entry). It is the authority: were it ever to accept a body the
 * hand reader refused, its reading is the answer.
 */
export const explainVerifyRequest = (body: unknown, clock: Clock): VerifyRequestReading => {
  if (isScan(body)) {
    const parsed = scannedPassSchema.safeParse(body);
    return parsed.success
      ? { kind: 'scan', qr: parsed.data.qr }
      : { kind: 'invalid', details: issuesToDetails(parsed.error.issues) };
  }
  const parsed = holderIdentitySchema(clock).safeParse(body);
  return parsed.success
    ? { kind: 'manual', identity: parsed.data }
    : { kind: 'invalid', details: issuesToDetails(parsed.error.issues) };
};
