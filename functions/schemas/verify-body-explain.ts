import type { Clock } from '../../contract/clock.js';
import {
  cccdBirthMismatch,
  DATE_MESSAGE,
  identityMessages,
  idNumberFormatProblem,
  isBirthDateInFuture,
  isBirthDateTooEarly,
  isCalendarDate,
  isDateShaped,
  isIdType,
  isJsonObject,
  MAX_ID_NUMBER_LENGTH,
  normalizeIdNumber,
} from '../../contract/identity.js';
import { isMode } from '../../contract/rules.js';
import type { ErrorDetail } from '../errors.js';
import { unknownFieldDetails } from './common.js';
import { isScan, MAX_QR_LENGTH, MODE_MESSAGE, type VerifyRequestReading } from './verify-body.js';

/**
 * Why a verify body was refused, by hand: the same error details, in the same order, as the contract's
 * zod schemas give (verify-body-schema.ts `explainVerifyRequest`; a property test over every kind of body
 * holds the two together), so that the verify function carries no schema library and a cold start whose
 * first body is refused costs no more than another. Like the schemas, it is the authority: a body it
 * finds nothing wrong with is read, normalised, as the schemas would read it.
 *
 * It follows zod's order of checks. A value of the wrong type aborts its field; a failed format or range
 * check does not, and neither does an unknown field. Length checks run on anything that has a length,
 * even after a type error (an array `qr` is also "too small" when empty), and count a string in code
 * points; a check with `abort` stops the length checks after it too. The identity's cross-field rules
 * (the ID number's format, a CCCD's birth year) run only when nothing aborted, as the schema's
 * object-level refinement does.
 */

/** zod's name for a JSON value's type in "expected …, received …" (zod's `parsedType`, English locale). */
const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** What zod's length checks measure: undefined when they do not run; a string counts code points. */
const lengthOf = (value: unknown): number | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return [...value].length;
  // Anything else with a `length` member is measured by it, whatever it holds, and compared as JS does.
  return (value as { length?: number }).length;
};

/** zod's English texts for the generic checks a scan's `qr` has (it has no message of its own). */
const expected = (type: string, value: unknown) =>
  `Invalid input: expected ${type}, received ${typeName(value)}`;
const sized = (value: unknown, bound: string): string => {
  if (typeof value === 'string') return `to have ${bound} characters`;
  return Array.isArray(value) ? `to have ${bound} items` : `to be ${bound}`;
};
const origin = (value: unknown) =>
  typeof value === 'string' ? 'string' : Array.isArray(value) ? 'array' : 'unknown';
const tooSmall = (value: unknown, minimum: number) =>
  `Too small: expected ${origin(value)} ${sized(value, `>=${minimum}`)}`;
const tooBig = (value: unknown, maximum: number) =>
  `Too big: expected ${origin(value)} ${sized(value, `<=${maximum}`)}`;

interface Explained {
  readonly details: ErrorDetail[];
  /** A check that does not continue failed: zod skips the object's own refinement. */
  aborted: boolean;
}

const unknownFields = (body: Record<string, unknown>, known: readonly string[]): string[] => {
  const unknown: string[] = [];
  for (const key in body) if (!known.includes(key)) unknown.push(key);
  return unknown;
};

/** An optional `mode`: absent is fine; not a string aborts; a string that is no mode does not. */
const explainMode = (body: Record<string, unknown>, into: Explained): void => {
  const { mode } = body;
  if (mode === undefined) return;
  if (typeof mode !== 'string') {
    into.details.push({ path: 'mode', message: MODE_MESSAGE });
    into.aborted = true;
  } else if (!isMode(mode)) into.details.push({ path: 'mode', message: MODE_MESSAGE });
};

const SCAN_FIELDS = ['qr', 'mode'];

const explainScan = (body: Record<string, unknown>): VerifyRequestReading => {
  const into: Explained = { details: [], aborted: false };
  const { qr, mode } = body;
  if (typeof qr !== 'string') into.details.push({ path: 'qr', message: expected('string', qr) });
  const length = lengthOf(qr);
  if (length !== undefined && !(length >= 1)) into.details.push({ path: 'qr', message: tooSmall(qr, 1) });
  if (length !== undefined && !(length <= MAX_QR_LENGTH))
    into.details.push({ path: 'qr', message: tooBig(qr, MAX_QR_LENGTH) });
  explainMode(body, into);
  into.details.push(...unknownFieldDetails(unknownFields(body, SCAN_FIELDS)));
  if (into.details.length > 0 || typeof qr !== 'string') return { kind: 'invalid', details: into.details };
  return { kind: 'scan', qr, ...(typeof mode === 'string' ? { mode } : {}) };
};

const MANUAL_FIELDS = ['idType', 'idNumber', 'dateOfBirth', 'mode'];

const explainManual = (body: unknown, clock: Clock): VerifyRequestReading => {
  if (!isJsonObject(body))
    return { kind: 'invalid', details: [{ path: '', message: expected('object', body) }] };
  const into: Explained = { details: [], aborted: false };
  const fail = (path: string, message: string, aborts = false) => {
    into.details.push({ path, message });
    if (aborts) into.aborted = true;
  };
  const { idType, idNumber: raw, dateOfBirth, mode } = body;
  if (!isIdType(idType)) fail('idType', identityMessages.idType, true);

  // A string, at most 64 code points (aborting), normalised, then not empty.
  const rawLength = lengthOf(raw);
  const tooLong = rawLength !== undefined && !(rawLength <= MAX_ID_NUMBER_LENGTH);
  if (typeof raw !== 'string') fail('idNumber', identityMessages.notAString, true);
  if (tooLong) fail('idNumber', identityMessages.idNumberTooLong, true);
  const idNumber = typeof raw === 'string' && !tooLong ? normalizeIdNumber(raw) : undefined;
  const normalisedLength = idNumber === undefined ? rawLength : idNumber.length;
  if (!tooLong && normalisedLength !== undefined && !(normalisedLength >= 1))
    fail('idNumber', identityMessages.empty);

  if (typeof dateOfBirth !== 'string') fail('dateOfBirth', DATE_MESSAGE, true);
  else {
    if (!isCalendarDate(dateOfBirth)) fail('dateOfBirth', DATE_MESSAGE);
    if (isDateShaped(dateOfBirth) && isBirthDateTooEarly(dateOfBirth))
      fail('dateOfBirth', identityMessages.birthDateTooEarly);
    if (isDateShaped(dateOfBirth) && isBirthDateInFuture(dateOfBirth, clock))
      fail('dateOfBirth', identityMessages.birthDateInFuture);
  }

  explainMode(body, into);
  into.details.push(...unknownFieldDetails(unknownFields(body, MANUAL_FIELDS)));

  // The identity's own rules, when every field has the right type (the schema's object refinement).
  if (!into.aborted && isIdType(idType) && idNumber) {
    const problem = idNumberFormatProblem(idType, idNumber);
    if (problem) fail('idNumber', problem);
    else if (idType === 'CCCD' && isCalendarDate(dateOfBirth)) {
      const mismatch = cccdBirthMismatch(idNumber, dateOfBirth);
      if (mismatch) fail('idNumber', mismatch);
    }
  }
  if (into.details.length > 0 || !isIdType(idType) || !idNumber || typeof dateOfBirth !== 'string')
    return { kind: 'invalid', details: into.details };
  return {
    kind: 'manual',
    identity: { idType, idNumber, dateOfBirth },
    ...(typeof mode === 'string' ? { mode } : {}),
  };
};

/** The reading of a verify body: a scan when it has a `qr` member, else a manual entry. */
export const explainVerifyBody = (body: unknown, clock: Clock): VerifyRequestReading =>
  isScan(body) && isJsonObject(body) ? explainScan(body) : explainManual(body, clock);
