import type { Clock } from '../contract/clock.js';
import { type CredentialLimit, credentialLimits } from '../contract/limits.js';
import { isRole, type Role } from '../contract/vocabulary.js';

interface Bucket {
  readonly limit: CredentialLimit;
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

export type Take =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Past this many buckets the full (idle) ones are dropped: a full bucket is the same as none. */
const MAX_BUCKETS = 10_000;

const limitOf = (
  limits: Readonly<Record<Role, CredentialLimit>>,
  role: string | undefined,
): CredentialLimit =>
  isRole(role)
    ? limits[role]
    : // A principal without a known role gets the strictest numbers rather than none.
      limits.checkpoint;

const refill = (bucket: Bucket, now: number): void => {
  const earned = (Math.max(0, now - bucket.at) / 1000) * bucket.limit.ratePerSecond;
  bucket.tokens = Math.min(bucket.limit.burst, bucket.tokens + earned);
  bucket.at = now;
};

/**
 * One token bucket per principal, as API Gateway's usage plan keeps one per credential's key: `burst`
 * requests at once, refilled at `ratePerSecond` (contract/limits.ts).
 */
export const makeTokenBuckets = (
  clock: Clock,
  limits: Readonly<Record<Role, CredentialLimit>> = credentialLimits,
  maxBuckets = MAX_BUCKETS,
) => {
  const buckets = new Map<string, Bucket>();

  /** Drops full buckets; if all are in use, the least recently used go (they start full again). */
  const prune = (now: number) => {
    for (const [id, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= bucket.limit.burst) buckets.delete(id);
    }
    for (const id of buckets.keys()) {
      if (buckets.size < maxBuckets * 0.9) break;
      buckets.delete(id);
    }
  };

  return {
    /** Takes a token from the principal's bucket, or says in whole seconds (≥ 1) when one will be there. */
    take(principalId: string, role: string | undefined): Take {
      const now = clock.now().getTime();
      let bucket = buckets.get(principalId);
      if (bucket === undefined) {
        if (buckets.size >= maxBuckets) prune(now);
        const limit = limitOf(limits, role);
        bucket = { limit, tokens: limit.burst, at: now };
      } else {
        refill(bucket, now);
        buckets.delete(principalId); // re-inserted: the map's order is least recently used first
      }
      buckets.set(principalId, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      const seconds = (1 - bucket.tokens) / bucket.limit.ratePerSecond;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
    },
    get size(): number {
      return buckets.size;
    },
  };
};

export type TokenBuckets = ReturnType<typeof makeTokenBuckets>;
