import type { Clock } from '../../contract/clock.js';

/** How the client waits between attempts. All times in milliseconds. */
export interface RetryPolicy {
  /** Total requests for the same items before giving up, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is cut short, so that a wrong header cannot stall the run for hours. */
  readonly maxRetryAfterMs: number;
  /** A request without an answer after this long is abandoned and retried. */
  readonly requestTimeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  requestTimeoutMs: 60_000,
};

/**
 * The wait after the `failures`-th failed attempt (1-based): exponential, capped, with "equal jitter" —
 * half of the step is fixed and half random — so that many labs retrying at once spread out, yet no
 * retry comes immediately.
 */
export const backoffDelay = (failures: number, policy: RetryPolicy, random: () => number): number => {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, failures - 1));
  return step / 2 + random() * (step / 2);
};

/** Reads a Retry-After header (delay in seconds, or an HTTP date); undefined when absent or unreadable. */
export const parseRetryAfter = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/** The wait before the next attempt: the server's Retry-After when it gave one, else the backoff. */
export const retryDelay = (
  failures: number,
  retryAfter: string | undefined,
  policy: RetryPolicy,
  deps: { readonly random: () => number; readonly clock: Clock },
): number => {
  const asked = parseRetryAfter(retryAfter, deps.clock.now().getTime());
  return asked === undefined
    ? backoffDelay(failures, policy, deps.random)
    : Math.min(asked, policy.maxRetryAfterMs);
};
