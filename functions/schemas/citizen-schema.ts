import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.js';
import { HIDDEN_CHARACTERS_MESSAGE, hasControlCharacters, hasHiddenCharacters } from './common.js';
import { idTypeSchema } from './fields.js';
import { checkIdentity, dateOfBirthSchema, idNumberSchema } from './holder-identity-schema.js';

/**
 * Vietnamese mobile numbers: `0912345678` or `+84912345678` (a 3, 5, 7, 8 or 9 after the prefix, then
 * 8 digits). Spaces, dots and dashes between digits are ignored, as people write them.
 */
const MOBILE = /^(0|\+84)[35789]\d{8}$/;
const MOBILE_MESSAGE = 'must be a Vietnamese mobile number such as 0912345678 or +84912345678';
/** A longer phone is refused before it is copied. */
export const MAX_PHONE_LENGTH = 32;
export const normalizePhone = (raw: string): string => raw.replace(/[\s.-]+/g, '');
/** On a normalised phone. */
export const isMobileNumber = (phone: string): boolean => MOBILE.test(phone);

export const phoneSchema = z.string({ error: 'must be a string' }).check(
  z.maxLength(MAX_PHONE_LENGTH, { message: MOBILE_MESSAGE, abort: true }),
  z.overwrite(normalizePhone),
  // A refinement, not `regex`: the pattern holds after separators are removed, so it must not appear in
  // the OpenAPI document as a pattern of the raw input (which may have spaces).
  z.refine(isMobileNumber, { message: MOBILE_MESSAGE }),
  z.meta({
    description:
      'Optional. A Vietnamese mobile number, 0912345678 or +84912345678; spaces, dots and dashes are ignored.',
    examples: ['0912345678'],
  }),
);

const MAX_NAME_CHARS = 100;
/** Enough for 100 characters in NFD with two combining marks each, and a bound before normalising. */
export const MAX_NAME_UTF16 = 1_000;

/** Names are kept in Unicode NFC, trimmed (`Nguyễn Thị Ánh` in NFD is the same name). */
export const normalizeFullName = (raw: string): string => raw.normalize('NFC').trim();
/** At most 100 code points; fewer UTF-16 units than that need no counting. */
export const isFullNameShortEnough = (name: string): boolean =>
  name.length <= MAX_NAME_CHARS || Array.from(name).length <= MAX_NAME_CHARS;

/**
 * 1–100 characters after Unicode NFC normalisation and trimming. Characters are Unicode code points.
 * Control characters and line breaks are refused: a name is one line of text; so are format characters
 * (bidi controls, zero-width) and unpaired surrogates.
 */
export const fullNameSchema = z.string({ error: 'must be a string' }).check(
  z.maxLength(MAX_NAME_UTF16, { message: `must be at most ${MAX_NAME_CHARS} characters`, abort: true }),
  // Before normalising: NFC of an unpaired surrogate keeps it, but say so plainly and stop there.
  z.refine((value) => !hasHiddenCharacters(value), { message: HIDDEN_CHARACTERS_MESSAGE, abort: true }),
  z.overwrite(normalizeFullName),
  z.minLength(1, 'must not be empty'),
  z.refine(isFullNameShortEnough, { message: `must be at most ${MAX_NAME_CHARS} characters` }),
  z.refine((value) => !hasControlCharacters(value), {
    message: 'must not contain control characters or line breaks',
  }),
  z.meta({
    description:
      '1-100 characters (Unicode code points) after trimming and Unicode NFC normalisation; no control characters or line breaks, no format characters (Unicode category Cf, e.g. U+202E, U+200B) and no unpaired surrogates.',
    examples: ['Nguyễn Thị Ánh'],
  }),
);

export const citizenSchema = (clock: Clock) =>
  z
    .strictObject({
      idType: idTypeSchema,
      idNumber: idNumberSchema,
      fullName: fullNameSchema,
      dateOfBirth: dateOfBirthSchema(clock),
      phone: z.optional(phoneSchema),
    })
    .check(
      z.superRefine(checkIdentity),
      z.meta({ description: 'The person tested. Unknown fields are rejected.' }),
    );
