import type { Clock } from '../../contract/clock.js';
import { type RetryPolicy, retryDelay } from './backoff.js';
import { type Entry, encodeBody, splitInHalf } from './batching.js';
import { GiveUpError } from './errors.js';
import { type FetchLike, postResults } from './http.js';
import { type Localized, type RowProblem, text } from './messages.js';

/** The server's final word on one row. */
export type EntryOutcome =
  | { readonly entry: Entry; readonly status: 'ACCEPTED' }
  | { readonly entry: Entry; readonly status: 'REJECTED'; readonly errors: readonly RowProblem[] };

export interface DeliveryDeps {
  readonly url: string;
  readonly credential: string;
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  /** Told before each wait, so the operator sees why nothing moves. */
  readonly onRetry?: (retry: {
    readonly failures: number;
    readonly delayMs: number;
    readonly reason: Localized;
  }) => void;
}

const tooLargeAlone: readonly RowProblem[] = [{ path: '', code: 'TOO_LARGE' }];

/**
 * Delivers one part of a batch until every item has the server's final word, retrying with backoff.
 * Items the server confirmed (ACCEPTED or REJECTED) are recorded and never sent again; only the others
 * are resent. A 413 splits the part in two halves, each delivered with its own attempts.
 */
const deliverPart = async (
  part: readonly Entry[],
  deps: DeliveryDeps,
  record: (outcome: EntryOutcome) => void,
): Promise<Entry[][]> => {
  let pending = part;
  let failures = 0;
  for (;;) {
    const outcome = await postResults({
      url: deps.url,
      credential: deps.credential,
      body: encodeBody(pending),
      count: pending.length,
      fetch: deps.fetch,
      timeoutMs: deps.policy.requestTimeoutMs,
    });

    if (outcome.kind === 'tooLarge') {
      const [only] = pending;
      if (pending.length === 1 && only !== undefined) {
        record({ entry: only, status: 'REJECTED', errors: tooLargeAlone });
        return [];
      }
      return splitInHalf(pending);
    }

    let reason: Localized;
    let retryAfter: string | undefined;
    if (outcome.kind === 'answered') {
      const confirmed = new Set<number>();
      for (const item of outcome.items) {
        const entry = pending[item.index];
        if (entry === undefined || confirmed.has(item.index)) continue;
        confirmed.add(item.index);
        record(
          item.status === 'ACCEPTED'
            ? { entry, status: 'ACCEPTED' }
            : { entry, status: 'REJECTED', errors: item.errors },
        );
      }
      pending = pending.filter((_, index) => !confirmed.has(index));
      if (pending.length === 0) return [];
      reason = text.partlyConfirmed(confirmed.size, confirmed.size + pending.length);
      retryAfter = undefined;
    } else {
      reason = outcome.reason;
      retryAfter = outcome.retryAfter;
    }

    failures += 1;
    if (failures >= deps.policy.maxAttempts) {
      throw new GiveUpError(text.gaveUp(failures, reason));
    }
    const delayMs = retryDelay(failures, retryAfter, deps.policy, deps);
    deps.onRetry?.({ failures, delayMs, reason });
    await deps.sleep(delayMs);
    // Resending is safe even when the last request's answer never arrived and the server may have taken
    // it: the server is idempotent on (lab, sampleId), so a result it already holds changes nothing.
  }
};

/** Delivers a batch, reporting each row's outcome through `record` as soon as the server gives it. */
export const deliverBatch = async (
  entries: readonly Entry[],
  deps: DeliveryDeps,
  record: (outcome: EntryOutcome) => void,
): Promise<void> => {
  const parts: Entry[][] = [[...entries]];
  for (let part = parts.shift(); part !== undefined; part = parts.shift()) {
    const halves = await deliverPart(part, deps, record);
    parts.unshift(...halves.filter((half) => half.length > 0));
  }
};
