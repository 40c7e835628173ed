import type { Clock } from '../../contract/clock.js';
import { isJsonObject, readIdentityMembers } from '../../contract/identity.js';
import { isOutcome, isTestType } from '../../contract/vocabulary.js';
import {
  isFullNameShortEnough,
  isMobileNumber,
  MAX_NAME_UTF16,
  MAX_PHONE_LENGTH,
  normalizeFullName,
  normalizePhone,
} from './citizen-schema.js';
import { epochMs, hasControlCharacters, hasHiddenCharacters } from './common.js';
import { timestampSchema } from './fields.js';
import {
  isNotBeforeSampled,
  isNotInFuture,
  isSampleId,
  isWithinRetention,
  type ResultRules,
  type TestResult,
} from './results.js';

/**
 * One item of a lab's batch, read by hand with the same rules as testResultSchema (results.ts): a batch
 * of 500 valid items then builds no zod issue or context at all. Answers the normalised item exactly when
 * the schema accepts it, else undefined, and the schema says why (test/unit/ingest/result-item-reader.test.ts
 * holds the two together).
 */

type Citizen = TestResult['citizen'];

const ITEM_MEMBERS = new Set(['sampleId', 'citizen', 'testType', 'result', 'sampledAt', 'resultedAt']);
const CITIZEN_MEMBERS = new Set(['idType', 'idNumber', 'fullName', 'dateOfBirth', 'phone']);

/** Strict objects: any other member is an unknown field. (`for in`, as zod's strictObject looks.) */
const hasOnly = (value: Record<string, unknown>, members: ReadonlySet<string>): boolean => {
  for (const key in value) if (!members.has(key)) return false;
  return true;
};

/**
 * The very regex timestampSchema tests (zod's RFC 3339 pattern), so the two cannot drift. Taken from the
 * schema rather than from `z.regexes`, which would pull every zod pattern into the verify bundle.
 */
const TIMESTAMP_PATTERN = ((): RegExp => {
  const { pattern } = timestampSchema._zod.def;
  if (!pattern) throw new Error('timestampSchema has no pattern');
  return pattern;
})();

const isTimestamp = (value: unknown): value is string =>
  typeof value === 'string' && TIMESTAMP_PATTERN.test(value);

const readFullName = (raw: unknown): string | undefined => {
  if (typeof raw !== 'string' || raw.length > MAX_NAME_UTF16 || hasHiddenCharacters(raw)) return undefined;
  const name = normalizeFullName(raw);
  return name !== '' && isFullNameShortEnough(name) && !hasControlCharacters(name) ? name : undefined;
};

/** undefined for a phone left out; null for one that breaks the rule. */
const readPhone = (raw: unknown): string | undefined | null => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length > MAX_PHONE_LENGTH) return null;
  const phone = normalizePhone(raw);
  return isMobileNumber(phone) ? phone : null;
};

const readCitizen = (raw: unknown, clock: Clock): Citizen | undefined => {
  if (!isJsonObject(raw) || !hasOnly(raw, CITIZEN_MEMBERS)) return undefined;
  const identity = readIdentityMembers(raw, clock);
  const fullName = readFullName(raw.fullName);
  const phone = readPhone(raw.phone);
  if (!identity || fullName === undefined || phone === null) return undefined;
  const { idType, idNumber, dateOfBirth } = identity;
  return phone === undefined
    ? { idType, idNumber, fullName, dateOfBirth }
    : { idType, idNumber, fullName, dateOfBirth, phone };
};

/** Reads items with `rules`; the result is the schema's value (timestamps as sent, in their own offset). */
export const resultItemReader =
  ({ clock, retentionDays }: ResultRules) =>
  (raw: unknown): TestResult | undefined => {
    if (!isJsonObject(raw) || !hasOnly(raw, ITEM_MEMBERS)) return undefined;
    const { sampleId, testType, result, sampledAt, resultedAt } = raw;
    if (!isSampleId(sampleId) || !isTestType(testType) || !isOutcome(result)) return undefined;
    if (!isTimestamp(sampledAt) || !isTimestamp(resultedAt)) return undefined;
    const now = clock.now().getTime();
    const sampled = epochMs(sampledAt);
    const resulted = epochMs(resultedAt);
    if (!isNotInFuture(sampled, now) || !isWithinRetention(sampled, now, retentionDays)) return undefined;
    if (!isNotInFuture(resulted, now) || !isNotBeforeSampled(resulted, sampled)) return undefined;
    const citizen = readCitizen(raw.citizen, clock);
    return citizen && { sampleId, citizen, testType, result, sampledAt, resultedAt };
  };
