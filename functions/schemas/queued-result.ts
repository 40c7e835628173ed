import * as z from 'zod';
import { outcomes, testTypes } from './common.js';

/**
 * A result as it travels from the ingest function through the queue to the store function. It already
 * carries only what is stored: the holder pseudonym instead of the ID number, the masked name instead of
 * the name, the birth year and a keyed check of the birth date instead of the date. The raw ID number,
 * name and phone never leave the ingest function.
 */
export const queuedResultSchema = z.strictObject({
  v: z.literal(1),
  labId: z.string().min(1),
  labName: z.string().min(1),
  sampleId: z.string().min(1).max(64),
  holderKey: z.string().regex(/^[0-9a-f]{64}$/),
  keyVersion: z.number().int().positive(),
  maskedName: z.string().min(1),
  birthYear: z.number().int().min(1900).max(2200),
  birthDateCheck: z.string().regex(/^[0-9a-f]{64}$/),
  testType: z.enum(testTypes),
  result: z.enum(outcomes),
  /** UTC, `toISOString()` form, so that text order is time order. */
  sampledAt: z.iso.datetime(),
  resultedAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  contentDigest: z.string().regex(/^[0-9a-f]{64}$/),
});

export type QueuedResult = z.infer<typeof queuedResultSchema>;
