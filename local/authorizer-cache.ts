import { createHash } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { Clock } from '../contract/clock.js';

/** The authorizer's answer: a policy (Allow or Deny), or 'unauthorized' when it threw `Unauthorized`. */
export type AuthorizerAnswer = APIGatewayAuthorizerResult | 'unauthorized';

const MAX_ENTRIES = 10_000;

/**
 * API Gateway's authorizer cache: one answer per identity source (the `Authorization` header) for the
 * TTL, Allow and Deny policies alike. A thrown `Unauthorized` is cached too, as API Gateway does: the
 * same unknown credential is refused again without a registry read until the TTL ends or a flush.
 * Errors other than `Unauthorized` (API Gateway answers 500) are not cached. Keys are SHA-256 of the
 * header, so no credential sits in memory.
 *
 * A flush also voids the answers still being worked out: an authorizer call that read the registry before
 * a revoke and answers after the CLI's flush would otherwise be kept as Allow for the whole TTL. The
 * caller takes `generation` before asking the authorizer and gives it back to `set`, which keeps the
 * answer only if no flush came in between.
 */
export const makeAuthorizerCache = (clock: Clock, ttlSeconds: number, maxEntries = MAX_ENTRIES) => {
  const entries = new Map<string, { answer: AuthorizerAnswer; expires: number }>();
  let flushes = 0;
  const keyOf = (identity: string) => createHash('sha256').update(identity, 'utf8').digest('base64url');

  return {
    get(identity: string): AuthorizerAnswer | undefined {
      const key = keyOf(identity);
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= clock.now().getTime()) {
        entries.delete(key);
        return undefined;
      }
      return entry.answer;
    },
    /** Counts the flushes: taken before asking the authorizer, given back to `set`. */
    get generation(): number {
      return flushes;
    },
    set(identity: string, answer: AuthorizerAnswer, askedAt: number = flushes): void {
      if (ttlSeconds <= 0 || askedAt !== flushes) return;
      const now = clock.now().getTime();
      if (entries.size >= maxEntries) {
        for (const [key, entry] of entries) if (entry.expires <= now) entries.delete(key);
        // Still full: the oldest answers go first (insertion order).
        for (const key of entries.keys()) {
          if (entries.size < maxEntries * 0.9) break;
          entries.delete(key);
        }
      }
      const key = keyOf(identity);
      entries.delete(key);
      entries.set(key, { answer, expires: now + ttlSeconds * 1000 });
    },
    flush(): void {
      flushes += 1;
      entries.clear();
    },
    get size(): number {
      return entries.size;
    },
  };
};

export type AuthorizerCache = ReturnType<typeof makeAuthorizerCache>;
