/**
 * The contract's verdict rule, one code for the API and the checkpoint page. Pure and dependency-free:
 * results, the instant checked and the validity windows in, the verdict out.
 */
import type { Outcome, TestType } from './vocabulary.js';

/** What the rule reads of one result of the holder (UTC ISO timestamps). */
export interface VerdictInput {
  readonly testType: TestType;
  readonly result: Outcome;
  readonly sampledAt: string;
  /** Breaks a tie between two samples taken at the same instant; optional where it is not known. */
  readonly resultedAt?: string;
}

/** How long a negative result is valid, from sample collection, in milliseconds per test type. */
export type ValidityWindows = Readonly<Record<TestType, number>>;

export const hours = (n: number): number => n * 3_600_000;

export type Verdict<R extends VerdictInput> =
  | { readonly verdict: 'VALID'; readonly validUntil: Date; readonly basis: R }
  | { readonly verdict: 'NOT_VALID' };

const later = (a: string | undefined, b: string | undefined): boolean => (a ?? '') > (b ?? '');

/**
 * Let R be the holder's results without INVALID ones. The holder is VALID at `checkedAt` when some
 * NEGATIVE r in R has checkedAt < r.sampledAt + window(r.testType) and no POSITIVE p in R has
 * p.sampledAt >= r.sampledAt. validUntil is the latest such end; the answer's details come from that r
 * (on a tie, the later sample, then the later result).
 */
export const decideVerdict = <R extends VerdictInput>(
  results: readonly R[],
  checkedAt: Date,
  windows: ValidityWindows,
): Verdict<R> => {
  const now = checkedAt.getTime();
  const positives = results.filter((r) => r.result === 'POSITIVE').map((r) => Date.parse(r.sampledAt));
  const latestPositive = positives.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...positives);

  let best: { until: number; basis: R } | undefined;
  for (const r of results) {
    if (r.result !== 'NEGATIVE') continue;
    const sampled = Date.parse(r.sampledAt);
    const until = sampled + windows[r.testType];
    if (!(now < until) || latestPositive >= sampled) continue;
    const better =
      best === undefined ||
      until > best.until ||
      (until === best.until &&
        (r.sampledAt > best.basis.sampledAt ||
          (r.sampledAt === best.basis.sampledAt && later(r.resultedAt, best.basis.resultedAt))));
    if (better) best = { until, basis: r };
  }
  return best === undefined
    ? { verdict: 'NOT_VALID' }
    : { verdict: 'VALID', validUntil: new Date(best.until), basis: best.basis };
};
