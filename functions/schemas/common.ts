import * as z from 'zod';
import type { ErrorDetail } from '../errors.js';

/** A source of the current time, so that time rules can be tested at their exact boundaries. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** RFC 3339 with `Z` or an offset (`2021-09-10T08:30:00+07:00`). */
export const timestampSchema = z.iso.datetime({
  offset: true,
  error: 'must be an RFC 3339 timestamp with Z or an offset, e.g. 2021-09-10T08:30:00+07:00',
});

/** `YYYY-MM-DD`, a real calendar day (2024-02-29 yes, 2023-02-29 no). */
export const calendarDateSchema = z.iso
  .date({ error: 'must be a date YYYY-MM-DD' })
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a calendar day');

export const idTypes = ['CCCD', 'CMND', 'PASSPORT'] as const;
export const testTypes = ['RT_PCR', 'RAPID_ANTIGEN'] as const;
export const outcomes = ['NEGATIVE', 'POSITIVE', 'INVALID'] as const;

export type IdType = (typeof idTypes)[number];
export type TestType = (typeof testTypes)[number];
export type Outcome = (typeof outcomes)[number];

/** Turns a zod issue path into the contract's form: `results[1].citizen.idNumber`. */
export const formatPath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out === '' ? name : `${out}.${name}`;
  }, prefix);

/**
 * Zod issues as the contract's error details. Messages come from our schemas and zod's generic texts;
 * neither ever echoes the rejected value, so no personal data reaches an error message.
 */
export const issuesToDetails = (issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] =>
  issues.map((issue) => ({
    path: formatPath(issue.path, prefix),
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
