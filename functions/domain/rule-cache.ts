import type { Clock } from '../../contract/clock.js';
import type { RuleSet } from '../../contract/rules.js';

/** A copy older than this is refreshed in the background after an answer. */
export const RULES_REFRESH_AFTER_MS = 30_000;
/** A copy older than this is refreshed before the answer: no function answers with rules older than 60 s. */
export const RULES_MAX_AGE_MS = 60_000;

export interface RuleCacheDeps {
  /** Reads every published rule set (one Query of the registry table). */
  readonly load: () => Promise<readonly RuleSet[]>;
  /** For the copy's age. */
  readonly clock: Clock;
  /** Told of a failed refresh; the copy in hand is kept. */
  readonly onError?: (error: unknown) => void;
}

export interface RuleCache {
  /** The rules to judge with: the copy in hand, unless there is none or it is older than RULES_MAX_AGE_MS. */
  current(): Promise<readonly RuleSet[]>;
  /** Called after an answer: starts a refresh (not awaited) when the copy is older than RULES_REFRESH_AFTER_MS. */
  afterAnswer(): void;
}

/**
 * The published rule sets held in the function instance, so a warm verify reads only the holder's
 * results: read at cold start, refreshed in the background after an answer once 30 s old, and before an
 * answer once 60 s old (a function thawed after a long idle). A published rule therefore reaches every
 * function within 60 s; a version scheduled ahead takes effect exactly at its validFrom, since the rule
 * in force is chosen per request at the checked instant. One refresh runs at a time. When a refresh
 * fails, a copy in hand is kept (DynamoDB then fails the holder's read too); with no copy, it throws.
 */
export const makeRuleCache = ({ load, clock, onError }: RuleCacheDeps): RuleCache => {
  const now = () => clock.now().getTime();
  // `held` is the copy as a settled promise, so a warm request gets it without a new promise per call.
  let copy: { rules: readonly RuleSet[]; readAt: number; held: Promise<readonly RuleSet[]> } | undefined;
  let inFlight: Promise<readonly RuleSet[]> | undefined;

  const refresh = (): Promise<readonly RuleSet[]> => {
    if (inFlight) return inFlight;
    const startedAt = now();
    inFlight = load()
      .then((rules) => {
        copy = { rules, readAt: startedAt, held: Promise.resolve(rules) };
        return rules;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const age = () => (copy === undefined ? Number.POSITIVE_INFINITY : now() - copy.readAt);

  return {
    current() {
      if (copy !== undefined && age() <= RULES_MAX_AGE_MS) return copy.held;
      return refresh().catch((error: unknown) => {
        if (copy === undefined) throw error;
        onError?.(error);
        return copy.rules;
      });
    },
    afterAnswer() {
      if (age() > RULES_REFRESH_AFTER_MS) refresh().catch((error: unknown) => onError?.(error));
    },
  };
};
