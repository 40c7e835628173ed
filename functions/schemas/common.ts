import type * as z from 'zod/mini';
import type { ErrorCode, ErrorDetail } from '../errors.js';

/** A JSON object: not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Unicode format characters (category Cf: bidi controls such as U+202E, zero-width characters such as
 * U+200B) and unpaired surrogates. In a name they reverse or hide what an officer reads, so names refuse
 * them.
 */
const HIDDEN_CHARACTERS = /[\p{Cf}\p{Cs}]/u;
export const HIDDEN_CHARACTERS_MESSAGE =
  'must not contain invisible formatting characters (such as U+202E or U+200B) or unpaired surrogates';
export const hasHiddenCharacters = (value: string): boolean => HIDDEN_CHARACTERS.test(value);

/** A source of the current time, so that time rules can be tested at their exact boundaries. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * RFC 3339 with `Z` or an offset (`2021-09-10T08:30:00+07:00`): seconds required, fractions of a second
 * optional (kept to the millisecond once normalised), `T` and `Z` upper-case, offsets with a colon, a real
 * calendar day, no leap second (23:59:60 cannot be represented once normalised to UTC). The pattern is
 * anchored and linear, so a huge string costs no more than reading it. The message never echoes the value.
 */
export const TIMESTAMP_MESSAGE =
  'must be an RFC 3339 timestamp with Z or an offset, e.g. 2021-09-10T08:30:00+07:00';

/** Milliseconds since the epoch of a timestamp that passed `timestampSchema` (fields.ts); NaN otherwise. */
export const epochMs = (timestamp: string): number => Date.parse(timestamp);

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

export const idTypes = ['CCCD', 'CMND', 'PASSPORT'] as const;
export const testTypes = ['RT_PCR', 'RAPID_ANTIGEN'] as const;
export const outcomes = ['NEGATIVE', 'POSITIVE', 'INVALID'] as const;

export type IdType = (typeof idTypes)[number];
export type TestType = (typeof testTypes)[number];
export type Outcome = (typeof outcomes)[number];

/** The contract's error codes; `satisfies` keeps this list and functions/errors.ts in step. */
export const errorCodes = [
  'MALFORMED_JSON',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];

/** Turns a zod issue path into the contract's form: `results[1].citizen.idNumber`. */
export const formatPath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out === '' ? name : `${out}.${name}`;
  }, prefix);

/**
 * A field name that can be shown back in an error: it looks like an identifier. Anything else (a name
 * or an ID number sent as a key by a broken export) is not repeated.
 */
const SHOWABLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;

/**
 * Zod issues as the contract's error details. Messages come from our schemas and zod's generic texts
 * (which name types and limits, never values); an unknown field gets one detail of its own, with its name
 * in the path when the name is showable. So no submitted value, hence no personal data, reaches an error.
 */
export const issuesToDetails = (issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] =>
  issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys')
      return [{ path: formatPath(issue.path, prefix), message: issue.message }];
    const shown = issue.keys.filter((key) => SHOWABLE_KEY.test(key));
    const hidden = issue.keys.length - shown.length;
    return [
      ...shown.map((key) => ({
        path: formatPath([...issue.path, key], prefix),
        message: 'is not a known field',
      })),
      ...(hidden > 0
        ? [
            {
              path: formatPath(issue.path, prefix),
              message: `has ${hidden} unknown field(s) whose names are not shown`,
            },
          ]
        : []),
    ];
  });
