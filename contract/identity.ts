/**
 * The identity rules of the contract, shared by the server and the checkpoint page: what an ID number,
 * a birth date and a name may be. Dependency-free: no AWS, Node or DOM imports.
 */
import type { Clock } from './clock.js';
import type { IdType } from './vocabulary.js';
import { idTypes } from './vocabulary.js';

/** A JSON object: not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `YYYY-MM-DD`, a real calendar day, with month lengths and leap years (2000-02-29 and 2024-02-29 yes;
 * 1900-02-29 and 2023-02-29 no).
 */
export const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isCalendarDate = (value: unknown): value is string => {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/**
 * Unicode format characters (category Cf: bidi controls such as U+202E, zero-width characters such as
 * U+200B) and unpaired surrogates. In a name they reverse or hide what an officer reads, so names refuse
 * them.
 */
const HIDDEN_CHARACTERS = /[\p{Cf}\p{Cs}]/u;
export const HIDDEN_CHARACTERS_MESSAGE =
  'must not contain invisible formatting characters (such as U+202E or U+200B) or unpaired surrogates';
export const hasHiddenCharacters = (value: string): boolean => HIDDEN_CHARACTERS.test(value);

/**
 * Control characters (C0, DEL, C1, which include ESC and NEL) and the Unicode line and paragraph
 * separators: a name or any text shown on one line refuses them (an ESC sequence in a lab's name would
 * reach the operator's terminal; a line break would split a line of the officer's screen).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
export const hasControlCharacters = (value: string): boolean => CONTROL_CHARACTERS.test(value);

/**
 * How a holder is named: the identity document and the date of birth, and the rules they obey together
 * (a CCCD number encodes the birth year). Plain functions: the server's zod schemas are made of them for
 * the contract's error details and the OpenAPI document; the checkpoint's hot path reads a manual entry
 * with them directly (readHolderIdentity), and the page refuses with them what the server would refuse.
 */

export interface HolderIdentity {
  idType: IdType;
  idNumber: string;
  dateOfBirth: string;
}

export const EARLIEST_BIRTH_DATE = '1900-01-01';
/** No time zone is more than 14 h ahead of UTC, so a birth date is "future" only past UTC+14. */
const LATEST_OFFSET_MS = 14 * 3_600_000;
/** A longer ID number is refused before it is copied. */
export const MAX_ID_NUMBER_LENGTH = 64;

export const isIdType = (value: unknown): value is IdType =>
  typeof value === 'string' && (idTypes as readonly string[]).includes(value);

/** ID numbers are compared with whitespace stripped and letters upper-cased (`022 090 001234`). */
export const normalizeIdNumber = (raw: string): string => raw.replace(/\s+/g, '').toUpperCase();

const ID_NUMBER_RULES: Readonly<Record<IdType, { pattern: RegExp; message: string }>> = {
  CCCD: { pattern: /^\d{12}$/, message: 'a CCCD number has 12 digits' },
  CMND: { pattern: /^(\d{9}|\d{12})$/, message: 'a CMND number has 9 or 12 digits' },
  PASSPORT: { pattern: /^[A-Z0-9]{6,12}$/, message: 'a passport number has 6 to 12 letters A-Z or digits' },
};

/** What is wrong with a normalised ID number for its type, or undefined. */
export const idNumberFormatProblem = (idType: IdType, idNumber: string): string | undefined => {
  const rule = ID_NUMBER_RULES[idType];
  return rule.pattern.test(idNumber) ? undefined : rule.message;
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

export const isBirthDateTooEarly = (date: string): boolean => date < EARLIEST_BIRTH_DATE;

/** Shaped like a date (`NNNN-NN-NN`), calendar or not: the birth date's range rules judge only these. */
export const isDateShaped = (value: string): boolean => DATE.test(value);

/**
 * What the identity fields' errors say, one text per rule, for the zod schemas and for the verify
 * function's hand-written explanation of a refused body (functions/schemas/verify-body-explain.ts).
 */
export const identityMessages = {
  idType: 'must be CCCD, CMND or PASSPORT',
  notAString: 'must be a string',
  idNumberTooLong: `must be at most ${MAX_ID_NUMBER_LENGTH} characters`,
  empty: 'must not be empty',
  birthDateTooEarly: `must not be before ${EARLIEST_BIRTH_DATE}`,
  birthDateInFuture: 'must not be in the future',
} as const;

const DAY_MS = 86_400_000;
/** Today at UTC+14, remembered for the UTC day it is for: a batch checks hundreds of birth dates. */
let latest = { day: Number.NaN, date: '' };
const latestBirthDate = (clock: Clock): string => {
  const ms = clock.now().getTime() + LATEST_OFFSET_MS;
  const day = Math.floor(ms / DAY_MS);
  if (day !== latest.day) latest = { day, date: new Date(ms).toISOString().slice(0, 10) };
  return latest.date;
};

/** "Future" is judged in the time zone furthest ahead, so a baby born today anywhere is never refused. */
export const isBirthDateInFuture = (date: string, clock: Clock): boolean => date > latestBirthDate(clock);

const IDENTITY_MEMBERS = ['idType', 'idNumber', 'dateOfBirth'];

/**
 * The identity members of an object (`idType`, `idNumber`, `dateOfBirth`) when they obey every rule,
 * normalised; undefined otherwise. Its other members are the caller's concern (a lab's citizen has more).
 */
export const readIdentityMembers = (
  body: Record<string, unknown>,
  clock: Clock,
): HolderIdentity | undefined => {
  const { idType, idNumber: raw, dateOfBirth } = body;
  if (!isIdType(idType) || typeof raw !== 'string' || raw.length > MAX_ID_NUMBER_LENGTH) return undefined;
  if (!isCalendarDate(dateOfBirth) || isBirthDateTooEarly(dateOfBirth)) return undefined;
  if (isBirthDateInFuture(dateOfBirth, clock)) return undefined;
  const idNumber = normalizeIdNumber(raw);
  if (idNumber === '' || idNumberFormatProblem(idType, idNumber) !== undefined) return undefined;
  if (idType === 'CCCD' && cccdBirthMismatch(idNumber, dateOfBirth) !== undefined) return undefined;
  return { idType, idNumber, dateOfBirth };
};

/**
 * A manual entry that obeys every rule, normalised; undefined for anything else. Agrees with
 * holderIdentitySchema (holder.ts) on what it accepts and what it makes of it (a property test holds
 * them together); where it answers undefined the schema says why, in the contract's error details.
 */
export const readHolderIdentity = (body: unknown, clock: Clock): HolderIdentity | undefined => {
  if (!isJsonObject(body)) return undefined;
  if (!Object.keys(body).every((key) => IDENTITY_MEMBERS.includes(key))) return undefined;
  return readIdentityMembers(body, clock);
};

/** `Nguyễn Văn An` → `N***** V** A*`: each word keeps its first letter, and one `*` per remaining one. */
export const maskName = (fullName: string): string =>
  fullName
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .map((word) => {
      const [first = '', ...rest] = Array.from(word);
      return first + '*'.repeat(rest.length);
    })
    .join(' ');
