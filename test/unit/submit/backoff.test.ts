import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  defaultRetryPolicy,
  parseRetryAfter,
  retryDelay,
} from '../../../cli/submit/backoff.js';

const now = Date.parse('2021-09-10T08:00:00Z');

describe('backoff', () => {
  it('doubles from 500 ms up to the 30 s cap, the upper end with the highest jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) =>
      backoffDelay(failures, defaultRetryPolicy, () => 1),
    );

    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('never waits less than half the step, whatever the jitter', () => {
    expect(backoffDelay(3, defaultRetryPolicy, () => 0)).toBe(1_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now + 12_000).toUTCString(), now)).toBe(12_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('prefers the server Retry-After to the backoff, within a ceiling', () => {
    const deps = { random: () => 0.5, clock: { now: () => new Date(now) } };

    expect(retryDelay(1, '3', defaultRetryPolicy, deps)).toBe(3_000);
    expect(retryDelay(1, '86400', defaultRetryPolicy, deps)).toBe(defaultRetryPolicy.maxRetryAfterMs);
    expect(retryDelay(1, undefined, defaultRetryPolicy, deps)).toBe(375);
  });
});
