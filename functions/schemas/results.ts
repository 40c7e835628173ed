import * as z from 'zod';
import type { Clock } from '../../contract/clock.js';
import { citizenSchema } from './citizen-schema.js';
import { epochMs } from './common.js';
import { errorDetailSchema, outcomeSchema, testTypeSchema, timestampSchema } from './fields.js';

export const MAX_BATCH_ITEMS = 500;
/** How far ahead of the server's clock a lab's clock may run. */
export const FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

const SAMPLE_ID_MESSAGE = 'must be 1-64 characters of A-Z a-z 0-9 . _ : -';
const SAMPLE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The lab's own id of a sample. Case-sensitive: `s-1` and `S-1` are two samples. */
export const sampleIdSchema = z
  .string({ error: SAMPLE_ID_MESSAGE })
  .regex(SAMPLE_ID_PATTERN, SAMPLE_ID_MESSAGE)
  .meta({
    description:
      "1-64 characters of A-Z a-z 0-9 . _ : - ; the lab's own unique id of the sample (case-sensitive).",
    examples: ['S-2021-000123'],
  });

/** True when `raw` is a valid sampleId: only then is it repeated in an answer. */
export const isSampleId = (raw: unknown): raw is string =>
  typeof raw === 'string' && SAMPLE_ID_PATTERN.test(raw);

export interface ResultRules {
  readonly clock: Clock;
  readonly retentionDays: number;
}

/**
 * The time rules, on milliseconds since the epoch (`epochMs`). NaN is an unreadable timestamp, which its
 * format check reports on its own, so for these rules it passes.
 */
export const isNotInFuture = (ms: number, nowMs: number): boolean =>
  Number.isNaN(ms) || ms <= nowMs + FUTURE_SKEW_MS;
export const isWithinRetention = (ms: number, nowMs: number, retentionDays: number): boolean =>
  Number.isNaN(ms) || ms >= nowMs - retentionDays * DAY_MS;
export const isNotBeforeSampled = (resultedMs: number, sampledMs: number): boolean =>
  Number.isNaN(resultedMs) || Number.isNaN(sampledMs) || resultedMs >= sampledMs;

const FUTURE_MESSAGE = 'must not be more than 5 minutes in the future';

/**
 * One lab result as the lab sends it. Unknown fields are rejected, so a typo such as `sampleID` is
 * caught. Time rules are inclusive at their limits: `now + 5 min` exactly is accepted, one millisecond
 * later is not; `now - retention` exactly is accepted, one millisecond earlier is not.
 */
export const testResultSchema = ({ clock, retentionDays }: ResultRules) => {
  const notInFuture = (value: string) => isNotInFuture(epochMs(value), clock.now().getTime());
  return z
    .strictObject({
      sampleId: sampleIdSchema,
      citizen: citizenSchema(clock),
      testType: testTypeSchema.check(
        z.meta({
          description:
            'RT_PCR or RAPID_ANTIGEN, and one the lab is registered for (else the item is rejected).',
        }),
      ),
      result: outcomeSchema.check(
        z.meta({
          description:
            'NEGATIVE, POSITIVE or INVALID. A wrong result is withdrawn by correcting it to INVALID.',
        }),
      ),
      sampledAt: timestampSchema.check(
        z.refine(notInFuture, { message: FUTURE_MESSAGE }),
        z.refine((value) => isWithinRetention(epochMs(value), clock.now().getTime(), retentionDays), {
          message: `must not be older than the retention period (${retentionDays} days)`,
        }),
        z.meta({
          description:
            'When the sample was taken. RFC 3339 with Z or an offset; at most 5 minutes in the future; not older than the retention period (default 30 days). Stored in UTC to the millisecond.',
          examples: ['2021-09-10T08:30:00+07:00'],
        }),
      ),
      resultedAt: timestampSchema.check(
        z.refine(notInFuture, { message: FUTURE_MESSAGE }),
        z.meta({
          description:
            'When the result was known. RFC 3339 with Z or an offset; not before sampledAt; at most 5 minutes in the future. Stored in UTC to the millisecond.',
          examples: ['2021-09-10T14:00:00+07:00'],
        }),
      ),
    })
    .refine((value) => isNotBeforeSampled(epochMs(value.resultedAt), epochMs(value.sampledAt)), {
      path: ['resultedAt'],
      message: 'must not be before sampledAt',
    })
    .meta({ description: 'One test result. Unknown fields are rejected at every level.' });
};

export type TestResult = z.infer<ReturnType<typeof testResultSchema>>;

/**
 * The envelope of POST /v1/results. Items are validated one by one (each gets its own status), so the
 * envelope takes them as unknown; `submitResultsBodySchema` is the same body with its items typed, for
 * the OpenAPI document.
 */
export const submitResultsEnvelopeSchema = z.strictObject({
  results: z
    .array(z.unknown(), { error: 'must be an array of results' })
    .min(1, 'must hold at least 1 result')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} results`),
});

export const submitResultsBodySchema = (rules: ResultRules) =>
  z
    .strictObject({
      results: z.array(testResultSchema(rules)).min(1).max(MAX_BATCH_ITEMS).meta({
        description:
          '1 to 500 results; each is accepted or rejected on its own. An item whose sampleId an earlier item of the batch already used is rejected.',
      }),
    })
    .meta({ description: 'A batch of results; the whole body at most 1 MiB.' });

const indexSchema = z.number().int().nonnegative().meta({ description: 'The item’s position in `results`.' });
const echoedSampleIdSchema = z.string().optional().meta({
  description: 'The item’s sampleId; left out when the item has no valid sampleId (it is never echoed then).',
});

export const acceptedItemSchema = z.strictObject({
  index: indexSchema,
  sampleId: z.string().meta({ description: 'The item’s sampleId.' }),
  status: z.literal('ACCEPTED').meta({
    description: 'Durably queued: it will be stored without further action by the lab.',
  }),
});

export const rejectedItemSchema = z.strictObject({
  index: indexSchema,
  sampleId: echoedSampleIdSchema,
  status: z.literal('REJECTED'),
  errors: z
    .array(errorDetailSchema)
    .min(1)
    .meta({ description: 'Paths relative to the item, e.g. `citizen.idNumber`.' }),
});

export const itemStatusSchema = z.discriminatedUnion('status', [acceptedItemSchema, rejectedItemSchema]);

export type ItemStatus = z.infer<typeof itemStatusSchema>;

export const submitResultsResponseSchema = z
  .strictObject({
    accepted: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    items: z.array(itemStatusSchema).meta({ description: 'One status per item, in the order sent.' }),
  })
  .meta({ description: 'At least one item was accepted.' });

export const storedResultResponseSchema = z
  .strictObject({
    sampleId: z.string(),
    status: z.enum(['STORED', 'WITHDRAWN', 'REVOKED']).meta({
      description:
        'STORED: it counts for verdicts. WITHDRAWN: the lab withdrew it (DELETE). REVOKED: the authority revoked it (fraud response; REVOKED is answered when both apply). Neither counts for any verdict, and a later correction of the same sampleId does not bring it back: send the right result under a new sampleId.',
    }),
    testType: testTypeSchema,
    result: outcomeSchema,
    sampledAt: z.iso.datetime().meta({ description: 'UTC.' }),
    resultedAt: z.iso.datetime().meta({ description: 'UTC.' }),
    storedAt: z.iso.datetime().meta({ description: 'UTC; when the current version was stored.' }),
  })
  .meta({ description: 'One of the lab’s own stored samples. No citizen data.' });
