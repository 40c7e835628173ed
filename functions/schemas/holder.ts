import * as z from 'zod/mini';
import { type Clock, calendarDateSchema, type IdType, idTypeSchema } from './common.js';

/**
 * How a holder is named: the identity document and the date of birth, with the rules they obey together
 * (a CCCD number encodes the birth year). Shared by a lab's citizen (schemas/citizen.ts), a checkpoint's
 * manual entry and a pass request; kept apart from the citizen's other fields so the checkpoint's bundle
 * builds only these.
 */

const EARLIEST_BIRTH_DATE = '1900-01-01';
/** No time zone is more than 14 h ahead of UTC, so a birth date is "future" only past UTC+14. */
const LATEST_OFFSET_MS = 14 * 3_600_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `YYYY-MM-DD`, a real calendar day, not before 1900-01-01 and not in the future. "Future" is judged in
 * the time zone furthest ahead (UTC+14), so that a baby born today anywhere is never refused.
 */
export const dateOfBirthSchema = (clock: Clock) =>
  calendarDateSchema.check(
    z.refine((value) => !DATE_PATTERN.test(value) || value >= EARLIEST_BIRTH_DATE, {
      message: `must not be before ${EARLIEST_BIRTH_DATE}`,
    }),
    z.refine(
      (value) =>
        !DATE_PATTERN.test(value) ||
        value <= new Date(clock.now().getTime() + LATEST_OFFSET_MS).toISOString().slice(0, 10),
      { message: 'must not be in the future' },
    ),
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
export const idNumberSchema = z.string({ error: 'must be a string' }).check(
  z.maxLength(64, { message: 'must be at most 64 characters', abort: true }),
  z.overwrite((value) => value.replace(/\s+/g, '').toUpperCase()),
  z.minLength(1, 'must not be empty'),
  z.meta({
    description:
      'Whitespace is stripped and letters upper-cased, then: CCCD 12 digits whose 4th digit (century and gender) and 5th-6th digits (birth year) agree with dateOfBirth; CMND 9 or 12 digits; PASSPORT 6-12 of A-Z 0-9.',
    examples: ['022090001234'],
  }),
);

const ID_NUMBER_RULES: Readonly<Record<IdType, { pattern: RegExp; message: string }>> = {
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

const isIdType = (value: unknown): value is IdType => idTypeSchema.safeParse(value).success;

/**
 * Checks an ID number against its type's format, and a CCCD against the date of birth. Zod runs an
 * object's refinement even when a field has already failed a (continuable) check, so this looks at the
 * fields afresh and checks only what is checkable: a missing type or an unreadable birth date has its
 * own error already.
 */
export const checkIdentity = (
  value: { idType: unknown; idNumber: unknown; dateOfBirth: unknown },
  ctx: z.core.$RefinementCtx,
): void => {
  const { idType, idNumber, dateOfBirth } = value;
  if (!isIdType(idType) || typeof idNumber !== 'string' || idNumber === '') return;
  const rule = ID_NUMBER_RULES[idType];
  if (!rule.pattern.test(idNumber)) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: rule.message });
    return;
  }
  if (
    idType === 'CCCD' &&
    typeof dateOfBirth === 'string' &&
    calendarDateSchema.safeParse(dateOfBirth).success
  ) {
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

export type HolderIdentity = z.infer<ReturnType<typeof holderIdentitySchema>>;
