import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.js';
import {
  cccdBirthMismatch,
  identityMessages,
  idNumberFormatProblem,
  isBirthDateInFuture,
  isBirthDateTooEarly,
  isDateShaped,
  isIdType,
  MAX_ID_NUMBER_LENGTH,
  normalizeIdNumber,
} from '../../contract/identity.js';
import { isCalendarDate } from './common.js';
import { calendarDateSchema, idTypeSchema } from './fields.js';

/**
 * The holder's identity (contract/identity.ts) as zod schemas: for the contract's error details and the OpenAPI
 * document, shared by a lab's citizen (citizen-schema.ts), a checkpoint's manual entry and a pass request.
 */

/**
 * `YYYY-MM-DD`, a real calendar day, not before 1900-01-01 and not in the future. "Future" is judged in
 * the time zone furthest ahead (UTC+14), so that a baby born today anywhere is never refused.
 */
export const dateOfBirthSchema = (clock: Clock) =>
  calendarDateSchema.check(
    // The range rules judge anything shaped like a date; the calendar rule has its own message.
    z.refine((value: string) => !isDateShaped(value) || !isBirthDateTooEarly(value), {
      message: identityMessages.birthDateTooEarly,
    }),
    z.refine((value: string) => !isDateShaped(value) || !isBirthDateInFuture(value, clock), {
      message: identityMessages.birthDateInFuture,
    }),
    z.meta({
      description:
        'YYYY-MM-DD, a real calendar day, from 1900-01-01 up to today (judged at UTC+14, the time zone furthest ahead).',
      examples: ['1990-05-01'],
    }),
  );

/**
 * ID numbers are compared with whitespace stripped and letters upper-cased (`022 090 001234` is
 * `022090001234`). The length cap comes first, so a huge string is refused before it is copied.
 */
export const idNumberSchema = z.string({ error: identityMessages.notAString }).check(
  z.maxLength(MAX_ID_NUMBER_LENGTH, { message: identityMessages.idNumberTooLong, abort: true }),
  z.overwrite(normalizeIdNumber),
  z.minLength(1, identityMessages.empty),
  z.meta({
    description:
      'Whitespace is stripped and letters upper-cased, then: CCCD 12 digits whose 4th digit (century and gender) and 5th-6th digits (birth year) agree with dateOfBirth; CMND 9 or 12 digits; PASSPORT 6-12 of A-Z 0-9.',
    examples: ['022090001234'],
  }),
);

/**
 * Checks an ID number against its type's format, and a CCCD against the date of birth. Zod runs an
 * object's refinement even when a field has already failed a (continuable) check, so this looks at the
 * fields afresh and checks only what is checkable: a missing type or an unreadable birth date has its
 * own error already.
 */
export const checkIdentity = (
  value: { idType?: unknown; idNumber?: unknown; dateOfBirth?: unknown },
  ctx: z.core.$RefinementCtx,
): void => {
  const { idType, idNumber, dateOfBirth } = value;
  if (!isIdType(idType) || typeof idNumber !== 'string' || idNumber === '') return;
  const problem = idNumberFormatProblem(idType, idNumber);
  if (problem) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem });
    return;
  }
  if (idType === 'CCCD' && isCalendarDate(dateOfBirth)) {
    const mismatch = cccdBirthMismatch(idNumber, dateOfBirth);
    if (mismatch) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: mismatch });
  }
};

/** How a checkpoint or a citizen app names a holder: the identity document and the date of birth. */
export const holderIdentitySchema = (clock: Clock) =>
  z
    .strictObject({
      idType: idTypeSchema,
      idNumber: idNumberSchema,
      dateOfBirth: dateOfBirthSchema(clock),
    })
    .check(z.superRefine(checkIdentity));
