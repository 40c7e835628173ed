import { Readable } from 'node:stream';
import * as z from 'zod';
import type { RetryPolicy } from '../../../cli/submit/backoff.js';
import { type Entry, toEntry } from '../../../cli/submit/batching.js';
import type { TestResultInput } from '../../../cli/submit/csv.js';
import type { DeliveryDeps } from '../../../cli/submit/deliver.js';
import type { FetchLike } from '../../../cli/submit/http.js';
import type { TextSink } from '../../../cli/submit/progress.js';

export const source = (text: string): Readable => Readable.from([Buffer.from(text, 'utf8')]);

export const result = (sampleId: string, overrides: Partial<TestResultInput> = {}): TestResultInput => ({
  sampleId,
  citizen: {
    idType: 'CCCD',
    idNumber: '001190012345',
    fullName: 'Nguyễn Thị Ánh',
    dateOfBirth: '1990-05-17',
    phone: '0912345678',
  },
  testType: 'RT_PCR',
  result: 'NEGATIVE',
  sampledAt: '2021-09-10T08:30:00+07:00',
  resultedAt: '2021-09-10T14:00:00+07:00',
  ...overrides,
});

/** Entries for rows S-1..S-n on lines 2..n+1. */
export const entries = (n: number): Entry[] =>
  Array.from({ length: n }, (_, i) => toEntry(i + 2, result(`S-${i + 1}`)));

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const accepted = (sampleIds: readonly string[], rejected: Record<number, string> = {}): Response =>
  json(202, {
    accepted: sampleIds.length - Object.keys(rejected).length,
    rejected: Object.keys(rejected).length,
    items: sampleIds.map((sampleId, index) => {
      const message = rejected[index];
      return message === undefined
        ? { index, sampleId, status: 'ACCEPTED' }
        : { index, sampleId, status: 'REJECTED', errors: [{ path: 'citizen.idNumber', message }] };
    }),
  });

export const failure = (status: number, code: string, headers: Record<string, string> = {}): Response =>
  json(status, { error: { code, message: `${code} from the fake server` } }, headers);

export interface SentRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
  readonly sampleIds: string[];
}

const bodySchema = z.object({ results: z.array(z.object({ sampleId: z.string() })) });
const sampleIdsOf = (body: string): string[] =>
  bodySchema.parse(JSON.parse(body)).results.map((r) => r.sampleId);

/**
 * A fetch that answers from a script: each entry is a response, an error to throw (no answer), or a
 * function of the request's sampleIds. It records every request.
 */
export const scriptedFetch = (
  script: ReadonlyArray<Response | Error | ((sampleIds: string[]) => Response)>,
): { fetch: FetchLike; requests: SentRequest[] } => {
  const requests: SentRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = typeof init.body === 'string' ? init.body : '';
    const sampleIds = sampleIdsOf(body);
    requests.push({ url, headers: new Headers(init.headers), body, sampleIds });
    const step = script[requests.length - 1];
    if (step === undefined) throw new Error(`unscripted request #${requests.length}`);
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(sampleIds) : step;
  };
  return { fetch, requests };
};

export const fastPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  requestTimeoutMs: 5_000,
};

/** Delivery ports with a recorded, instant sleep and a fixed random. */
export const deliveryDeps = (
  fetch: FetchLike,
  overrides: Partial<DeliveryDeps> = {},
): DeliveryDeps & { readonly sleeps: number[] } => {
  const sleeps: number[] = [];
  return {
    url: 'http://resultgate.test',
    credential: 'lab-secret',
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    clock: { now: () => new Date('2021-09-10T08:00:00Z') },
    policy: fastPolicy,
    sleeps,
    ...overrides,
  };
};

export const collector = (isTTY = false): TextSink & { text: () => string } => {
  const chunks: string[] = [];
  return { isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
};
