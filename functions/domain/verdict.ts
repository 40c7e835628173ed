import type { Outcome, TestType } from '../schemas/common.js';

/** What a checkpoint may know of one stored result of a holder. */
export interface HolderResult {
  readonly labId: string;
  readonly labName: string;
  readonly sampleId: string;
  readonly testType: TestType;
  readonly result: Outcome;
  /** UTC ISO timestamps. */
  readonly sampledAt: string;
  readonly resultedAt: string;
  readonly maskedName: string;
  readonly birthYear: number;
  readonly birthDateCheck: string;
}

/** How long a negative result is valid, from sample collection; deployment configuration. */
export type ValidityWindows = Readonly<Record<TestType, number>>;

export const hours = (n: number): number => n * 3_600_000;

/** The windows from the deployment's configuration (hours per test type). */
export const validityWindows = (config: {
  readonly VALIDITY_RT_PCR_HOURS: number;
  readonly VALIDITY_RAPID_ANTIGEN_HOURS: number;
}): ValidityWindows => ({
  RT_PCR: hours(config.VALIDITY_RT_PCR_HOURS),
  RAPID_ANTIGEN: hours(config.VALIDITY_RAPID_ANTIGEN_HOURS),
});

export type Verdict =
  | { readonly verdict: 'VALID'; readonly validUntil: Date; readonly basis: HolderResult }
  | { readonly verdict: 'NOT_VALID' };

/**
 * The contract's verdict rule. Let R be the holder's results without INVALID ones. The holder is VALID at
 * `checkedAt` when some NEGATIVE r in R has checkedAt < r.sampledAt + window(r.testType) and no POSITIVE p
 * in R has p.sampledAt >= r.sampledAt. validUntil is the latest such end; the answer's details come from
 * that r (on a tie, the later sample, then the later result).
 */
export const decideVerdict = (
  results: readonly HolderResult[],
  checkedAt: Date,
  windows: ValidityWindows,
): Verdict => {
  const now = checkedAt.getTime();
  const positives = results.filter((r) => r.result === 'POSITIVE').map((r) => Date.parse(r.sampledAt));
  const latestPositive = positives.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...positives);

  let best: { until: number; basis: HolderResult } | undefined;
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
          (r.sampledAt === best.basis.sampledAt && r.resultedAt > best.basis.resultedAt)));
    if (better) best = { until, basis: r };
  }
  return best === undefined
    ? { verdict: 'NOT_VALID' }
    : { verdict: 'VALID', validUntil: new Date(best.until), basis: best.basis };
};
