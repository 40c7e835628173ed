import * as z from 'zod';
import { citizenSchema } from './citizen.js';
import { type Clock, outcomes, testTypes, timestampSchema } from './common.js';

export const MAX_BATCH_ITEMS = 500;
const FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export const sampleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');

export interface ResultRules {
  readonly clock: Clock;
  readonly retentionDays: number;
}

const notInFuture = (clock: Clock) => (value: string) =>
  Date.parse(value) <= clock.now().getTime() + FUTURE_SKEW_MS;

/** One lab result as the lab sends it. Unknown fields are rejected, so a typo such as `sampleID` is caught. */
export const testResultSchema = ({ clock, retentionDays }: ResultRules) =>
  z
    .strictObject({
      sampleId: sampleIdSchema,
      citizen: citizenSchema(clock),
      testType: z.enum(testTypes, { error: 'must be RT_PCR or RAPID_ANTIGEN' }),
      result: z.enum(outcomes, { error: 'must be NEGATIVE, POSITIVE or INVALID' }),
      sampledAt: timestampSchema
        .refine(notInFuture(clock), 'must not be more than 5 minutes in the future')
        .refine(
          (value) => Date.parse(value) >= clock.now().getTime() - retentionDays * DAY_MS,
          `must not be older than the retention period (${retentionDays} days)`,
        ),
      resultedAt: timestampSchema.refine(notInFuture(clock), 'must not be more than 5 minutes in the future'),
    })
    .refine((value) => Date.parse(value.resultedAt) >= Date.parse(value.sampledAt), {
      path: ['resultedAt'],
      message: 'must not be before sampledAt',
    });

export type TestResult = z.infer<ReturnType<typeof testResultSchema>>;

/**
 * The envelope of POST /v1/results. Items are validated one by one (each gets its own status), so the
 * envelope takes them as unknown; `submitResultsBodySchema` is the same body with its items typed, for
 * the OpenAPI document.
 */
export const submitResultsEnvelopeSchema = z.strictObject({
  results: z
    .array(z.unknown())
    .min(1, 'must hold at least 1 result')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} results`),
});

export const submitResultsBodySchema = (rules: ResultRules) =>
  z.strictObject({ results: z.array(testResultSchema(rules)).min(1).max(MAX_BATCH_ITEMS) });

export const itemStatusSchema = z.discriminatedUnion('status', [
  z.object({ index: z.number().int(), sampleId: z.string().optional(), status: z.literal('ACCEPTED') }),
  z.object({
    index: z.number().int(),
    sampleId: z.string().optional(),
    status: z.literal('REJECTED'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
]);

export type ItemStatus = z.infer<typeof itemStatusSchema>;

export const submitResultsResponseSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  items: z.array(itemStatusSchema),
});

export const storedResultResponseSchema = z.object({
  sampleId: z.string(),
  status: z.literal('STORED'),
  testType: z.enum(testTypes),
  result: z.enum(outcomes),
  sampledAt: z.string(),
  resultedAt: z.string(),
  storedAt: z.string(),
});
