import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.js';
import { isMode } from '../../contract/rules.js';
import { issuesToDetails } from './common.js';
import { idTypeSchema } from './fields.js';
import { checkIdentity, dateOfBirthSchema, idNumberSchema } from './holder-identity-schema.js';
import { isScan, MAX_QR_LENGTH, MODE_MESSAGE, type VerifyRequestReading } from './verify-body.js';

/**
 * POST /v1/verify's body as zod schemas: for the OpenAPI document, and to say why a body was refused.
 * The verify function reads a valid body by hand (verify-body-reader.ts) and loads this module only when it
 * must explain a refusal.
 */

/** Another mode of the checkpoint's jurisdiction than the device's own (contract/rules.ts). */
export const modeSchema = z.string({ error: MODE_MESSAGE }).check(
  z.refine(isMode, { message: MODE_MESSAGE }),
  z.meta({
    description:
      "Judge by the rule set of this mode of the checkpoint's jurisdiction instead of the device's own mode. A mode no rule set of the jurisdiction or of the country (VN) names is refused (400, path mode); a known mode with no rule in force falls back to the country's rule for it, then to VN/ENTRY.",
    examples: ['FREIGHT'],
  }),
);

export const scannedPassSchema = z.strictObject({
  qr: z.string().check(z.minLength(1), z.maxLength(MAX_QR_LENGTH)),
  mode: z.optional(modeSchema),
});

/** A checkpoint's manual entry: the holder's identity (holder.ts) and, optionally, a mode. */
export const manualEntrySchema = (clock: Clock) =>
  z
    .strictObject({
      idType: idTypeSchema,
      idNumber: idNumberSchema,
      dateOfBirth: dateOfBirthSchema(clock),
      mode: z.optional(modeSchema),
    })
    .check(z.superRefine(checkIdentity));

export const verifyRequestSchema = (clock: Clock) => z.union([scannedPassSchema, manualEntrySchema(clock)]);

/**
 * The schema's reading of a body: the contract's error details for the schema that applies (a scan when
 * the body has a `qr` member, else a manual entry). It is the authority: were it ever to accept a body the
 * hand reader refused, its reading is the answer.
 */
export const explainVerifyRequest = (body: unknown, clock: Clock): VerifyRequestReading => {
  if (isScan(body)) {
    const parsed = scannedPassSchema.safeParse(body);
    if (!parsed.success) return { kind: 'invalid', details: issuesToDetails(parsed.error.issues) };
    const { qr, mode } = parsed.data;
    return { kind: 'scan', qr, ...(mode === undefined ? {} : { mode }) };
  }
  const parsed = manualEntrySchema(clock).safeParse(body);
  if (!parsed.success) return { kind: 'invalid', details: issuesToDetails(parsed.error.issues) };
  const { mode, ...identity } = parsed.data;
  return { kind: 'manual', identity, ...(mode === undefined ? {} : { mode }) };
};
