import type * as z from 'zod/mini';

export {
  DATE_MESSAGE,
  HIDDEN_CHARACTERS_MESSAGE,
  hasControlCharacters,
  hasHiddenCharacters,
  isCalendarDate,
  isJsonObject,
} from '../../contract/identity.js';

import type { ErrorDetail } from '../errors.js';

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

export type { IdType, Outcome, TestType } from '../../contract/vocabulary.js';
export { errorCodes, idTypes, outcomes, testTypes } from '../../contract/vocabulary.js';

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
 * The details for fields a body should not have: one per field, with its name in the path when the name
 * is showable, and one more counting the others. Shared by issuesToDetails and the hand-written
 * explanations (verify-body-explain.ts), so an unknown field reads the same everywhere.
 */
export const unknownFieldDetails = (
  keys: readonly string[],
  path: readonly PropertyKey[] = [],
  prefix = '',
): ErrorDetail[] => {
  const shown = keys.filter((key) => SHOWABLE_KEY.test(key));
  const hidden = keys.length - shown.length;
  return [
    ...shown.map((key) => ({ path: formatPath([...path, key], prefix), message: 'is not a known field' })),
    ...(hidden > 0
      ? [
          {
            path: formatPath(path, prefix),
            message: `has ${hidden} unknown field(s) whose names are not shown`,
          },
        ]
      : []),
  ];
};

/**
 * Zod issues as the contract's error details. Messages come from our schemas and zod's generic texts
 * (which name types and limits, never values); an unknown field gets one detail of its own, with its name
 * in the path when the name is showable. So no submitted value, hence no personal data, reaches an error.
 */
export const issuesToDetails = (issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] =>
  issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? unknownFieldDetails(issue.keys, issue.path, prefix)
      : [{ path: formatPath(issue.path, prefix), message: issue.message }],
  );
