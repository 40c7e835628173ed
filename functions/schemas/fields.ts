import * as z from 'zod/mini';
import { identityMessages } from '../../contract/identity.js';
import type { ErrorCode } from '../errors.js';
import { DATE_MESSAGE, errorCodes, idTypes, outcomes, TIMESTAMP_MESSAGE, testTypes } from './common.js';
import './zod-messages.js';

/**
 * The contract's shared fields as zod schemas, for the request schemas and the OpenAPI document. The
 * plain vocabulary they are made of (the enumerations, the messages, the error codes) is in common.ts,
 * which the checkpoint's hot path imports without building any schema.
 */

export const timestampSchema = z.iso.datetime({ offset: true, error: TIMESTAMP_MESSAGE });

/** zod's date pattern knows month lengths and leap years, as common.ts's isCalendarDate does. */
export const calendarDateSchema = z.iso.date({ error: DATE_MESSAGE });

export const idTypeSchema = z.enum(idTypes, { error: identityMessages.idType });
export const testTypeSchema = z.enum(testTypes, { error: 'must be RT_PCR or RAPID_ANTIGEN' });
export const outcomeSchema = z.enum(outcomes, { error: 'must be NEGATIVE, POSITIVE or INVALID' });

export const errorDetailSchema = z.strictObject({
  path: z
    .string()
    .check(z.meta({ description: 'Where the problem is, e.g. `results[1].citizen.idNumber`.' })),
  message: z.string().check(z.meta({ description: 'What is wrong. Never repeats the submitted value.' })),
});

/** The contract's error shape, from every layer; `codes` narrows it to those of one status. */
export const errorResponseSchema = (codes: readonly [ErrorCode, ...ErrorCode[]] = errorCodes) =>
  z.strictObject({
    error: z.strictObject({
      code: z.enum(codes),
      message: z.string().check(z.meta({ description: 'Human readable; no personal data, no internals.' })),
      details: z.optional(z.array(errorDetailSchema).check(z.minLength(1))),
    }),
  });
