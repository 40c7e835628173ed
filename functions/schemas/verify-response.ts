import * as z from 'zod/mini';
import { testTypes } from './common.js';

/**
 * The answers of POST /v1/verify, for the OpenAPI document and for typing: the verify function builds
 * them from typed values and never parses them, so its bundle imports only the type (verify-body-schema.ts
 * holds what it parses).
 */

/** The rule set that decided the answer (contract/rules.ts), on VALID and NOT_VALID answers alike. */
export const ruleReferenceSchema = z.object({
  id: z.string().check(z.meta({ examples: ['QN-ENTRY'] })),
  version: z.number().check(z.int()),
  legalBasis: z.string().check(z.meta({ examples: ['5630/UBND-XD6'] })),
});

export const verifyValidResponseSchema = z.object({
  verdict: z.literal('VALID'),
  checkedAt: z.string(),
  validUntil: z.string().check(
    z.meta({
      description:
        "The contract's verdict rule with the windows of the rule named in `rule`: the basis result's sampledAt plus its test type's window under that rule. A version scheduled to start before then (GET /v1/rules lists them) may answer otherwise from its start; the answer does not look ahead.",
    }),
  ),
  testType: z.enum(testTypes),
  sampledAt: z.string(),
  facility: z.object({ id: z.string(), name: z.string() }),
  holder: z.object({ maskedName: z.string(), birthYear: z.number().check(z.int()) }),
  rule: ruleReferenceSchema,
});

export const verifyNotValidResponseSchema = z.object({
  verdict: z.literal('NOT_VALID'),
  checkedAt: z.string(),
  reason: z.enum(['NO_VALID_RESULT', 'PASS_INVALID']),
  rule: ruleReferenceSchema,
});

export const verifyResponseSchema = z.discriminatedUnion('verdict', [
  verifyValidResponseSchema,
  verifyNotValidResponseSchema,
]);

export type VerifyResponse = z.infer<typeof verifyResponseSchema>;
