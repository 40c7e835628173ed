import { type Clock, type IdType, idTypes, isCalendarDate, isJsonObject } from './common.js';

/**
 * How a holder is named: the identity document and the date of birth, and the rules they obey together
 * (a CCCD number encodes the birth year). Plain functions: the zod schemas (holder.ts, citizen.ts) are
 * made of them for the contract's error details and the OpenAPI document, and the checkpoint's hot path
 * reads a manual entry with them directly (readHolderIdentity), without building a schema.
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

/** "Future" is judged in the time zone furthest ahead, so a baby born today anywhere is never refused. */
export const isBirthDateInFuture = (date: string, clock: Clock): boolean =>
  date > new Date(clock.now().getTime() + LATEST_OFFSET_MS).toISOString().slice(0, 10);

const IDENTITY_MEMBERS = ['idType', 'idNumber', 'dateOfBirth'];

/**
 * A manual entry that obeys every rule, normalised; undefined for anything else. Agrees with
 * holderIdentitySchema (holder.ts) on what it accepts and what it makes of it (a property test holds
 * them together); where it answers undefined the schema says why, in the contract's error details.
 */
export const readHolderIdentity = (body: unknown, clock: Clock): HolderIdentity | undefined => {
  if (!isJsonObject(body)) return undefined;
  const { idType, idNumber: raw, dateOfBirth } = body;
  if (!Object.keys(body).every((key) => IDENTITY_MEMBERS.includes(key))) return undefined;
  if (!isIdType(idType) || typeof raw !== 'string' || raw.length > MAX_ID_NUMBER_LENGTH) return undefined;
  if (!isCalendarDate(dateOfBirth) || isBirthDateTooEarly(dateOfBirth)) return undefined;
  if (isBirthDateInFuture(dateOfBirth, clock)) return undefined;
  const idNumber = normalizeIdNumber(raw);
  if (idNumber === '' || idNumberFormatProblem(idType, idNumber) !== undefined) return undefined;
  if (idType === 'CCCD' && cccdBirthMismatch(idNumber, dateOfBirth) !== undefined) return undefined;
  return { idType, idNumber, dateOfBirth };
};
