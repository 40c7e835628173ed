import * as z from 'zod';
import { type Clock, calendarDateSchema, idTypes } from './common.js';

const EARLIEST_BIRTH_DATE = '1900-01-01';
/** No time zone is more than 14 h ahead of UTC, so a birth date is "future" only past UTC+14. */
const LATEST_OFFSET_MS = 14 * 3_600_000;

export const dateOfBirthSchema = (clock: Clock) =>
  calendarDateSchema
    .refine((value) => value >= EARLIEST_BIRTH_DATE, `must not be before ${EARLIEST_BIRTH_DATE}`)
    .refine(
      (value) => value <= new Date(clock.now().getTime() + LATEST_OFFSET_MS).toISOString().slice(0, 10),
      'must not be in the future',
    );

/** ID numbers are compared with spaces stripped and letters upper-cased. */
export const idNumberSchema = z
  .string()
  .max(64, 'must be at most 64 characters')
  .overwrite((value) => value.replace(/\s+/g, '').toUpperCase())
  .min(1, 'must not be empty');

const ID_NUMBER_RULES: Record<(typeof idTypes)[number], { pattern: RegExp; message: string }> = {
  CCCD: { pattern: /^\d{12}$/, message: 'a CCCD number has 12 digits' },
  CMND: { pattern: /^(\d{9}|\d{12})$/, message: 'a CMND number has 9 or 12 digits' },
  PASSPORT: { pattern: /^[A-Z0-9]{6,12}$/, message: 'a passport number has 6 to 12 letters A-Z or digits' },
};

/**
 * CCCD digit 4 encodes century and gender (0/1: born 1900–1999, 2/3: 2000–2099, 4/5: 2100–2199) and
 * digits 5–6 the last two digits of the birth year. Returns a problem, or undefined when they agree.
 */
export const cccdBirthMismatch = (idNumber: string, dateOfBirth: string): string | undefined => {
  const year = Number(dateOfBirth.slice(0, 4));
  const century = Math.floor((year - 1900) / 100);
  const centuryDigit = Number(idNumber[3]);
  if (Math.floor(centuryDigit / 2) !== century) {
    return 'digit 4 of a CCCD number (century and gender) does not agree with dateOfBirth';
  }
  if (idNumber.slice(4, 6) !== dateOfBirth.slice(2, 4)) {
    return 'digits 5-6 of a CCCD number (birth year) do not agree with dateOfBirth';
  }
  return undefined;
};

/** Checks an ID number against its type's format, and a CCCD against the date of birth. */
const checkIdentity = (
  value: { idType: (typeof idTypes)[number]; idNumber: string; dateOfBirth: string },
  ctx: z.core.$RefinementCtx,
): void => {
  const rule = ID_NUMBER_RULES[value.idType];
  if (!rule.pattern.test(value.idNumber)) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: rule.message });
    return;
  }
  if (value.idType === 'CCCD') {
    const mismatch = cccdBirthMismatch(value.idNumber, value.dateOfBirth);
    if (mismatch) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: mismatch });
  }
};

/** Vietnamese mobile numbers: 0912345678 or +84912345678 (spaces, dots and dashes ignored). */
export const phoneSchema = z
  .string()
  .max(32, 'must be at most 32 characters')
  .overwrite((value) => value.replace(/[\s.-]+/g, ''))
  .regex(/^(0|\+84)[35789]\d{8}$/, 'must be a Vietnamese mobile number such as 0912345678 or +84912345678');

export const fullNameSchema = z
  .string()
  .max(400, 'must be at most 100 characters')
  .normalize('NFC')
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => Array.from(value).length <= 100, 'must be at most 100 characters');

export const citizenSchema = (clock: Clock) =>
  z
    .strictObject({
      idType: z.enum(idTypes, { error: 'must be CCCD, CMND or PASSPORT' }),
      idNumber: idNumberSchema,
      fullName: fullNameSchema,
      dateOfBirth: dateOfBirthSchema(clock),
      phone: phoneSchema.optional(),
    })
    .superRefine(checkIdentity);

/** How a checkpoint or a citizen app names a holder: the identity document and the date of birth. */
export const holderIdentitySchema = (clock: Clock) =>
  z
    .strictObject({
      idType: z.enum(idTypes, { error: 'must be CCCD, CMND or PASSPORT' }),
      idNumber: idNumberSchema,
      dateOfBirth: dateOfBirthSchema(clock),
    })
    .superRefine(checkIdentity);

export type HolderIdentity = z.infer<ReturnType<typeof holderIdentitySchema>>;
