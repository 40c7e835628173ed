import * as z from 'zod/mini';
import { testTypes } from './common.js';

/**
 * The answers of POST /v1/verify, for the OpenAPI document and for typing: the verify function builds
 * them from typed values and never parses them, so its bundle imports only the type (verify-body-schema.ts
 * holds what it parses).
 */

export const verifyValidResponseSchema = z.object({
  verdict: z.literal('VALID'),
  checkedAt: z.string(),
  validUntil: z.string(),
  testType: z.enum(testTypes),
  sampledAt: z.string(),
  facility: z.object({ id: z.string(), name: z.string() }),
  holder: z.object({ maskedName: z.string(), birthYear: z.number().check(z.int()) }),
});

export const verifyNotValidResponseSchema = z.object({
  verdict: z.literal('NOT_VALID'),
  checkedAt: z.string(),
  reason: z.enum(['NO_VALID_RESULT', 'PASS_INVALID']),
});

export const verifyResponseSchema = z.discriminatedUnion('verdict', [
  verifyValidResponseSchema,
  verifyNotValidResponseSchema,
]);

export type VerifyResponse = z.infer<typeof verifyResponseSchema>;
