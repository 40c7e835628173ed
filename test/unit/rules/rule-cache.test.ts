import { describe, expect, it } from 'vitest';
import { defaultRuleSet, type RuleSet } from '../../../contract/rules.js';
import {
  makeRuleCache,
  RULES_MAX_AGE_MS,
  RULES_REFRESH_AFTER_MS,
} from '../../../functions/domain/rule-cache.js';

/** A loader whose reads the test counts and settles by hand, and a clock the test moves. */
const setup = () => {
  let now = 0;
  const pending: Array<{ resolve: (rules: RuleSet[]) => void; reject: (error: Error) => void }> = [];
  const errors: unknown[] = [];
  const cache = makeRuleCache({
    load: () => new Promise<RuleSet[]>((resolve, reject) => pending.push({ resolve, reject })),
    clock: { now: () => new Date(now) },
    onError: (error) => errors.push(error),
  });
  const version = (n: number) => [{ ...defaultRuleSet({ RT_PCR: 72, RAPID_ANTIGEN: 48 }), version: n }];
  const settle = async (n: number) => {
    pending.shift()?.resolve(version(n));
    await Promise.resolve();
  };
  return { cache, pending, errors, settle, advance: (ms: number) => (now += ms), version };
};

const versionOf = async (rules: Promise<readonly RuleSet[]>) => (await rules)[0]?.version;

describe('the rule sets held by a verify function', () => {
  it('reads them once at cold start, however many requests wait for them', async () => {
    const { cache, pending, settle } = setup();
    const first = cache.current();
    const second = cache.current();
    expect(pending).toHaveLength(1);
    await settle(1);
    expect([await versionOf(first), await versionOf(second)]).toEqual([1, 1]);
  });

  it('answers from the copy in hand, and refreshes in the background only once it is over 30 s old', async () => {
    const { cache, pending, settle, advance } = setup();
    const cold = cache.current();
    await settle(1);
    await cold;

    advance(RULES_REFRESH_AFTER_MS);
    cache.afterAnswer();
    expect(pending).toHaveLength(0);

    advance(1);
    expect(await versionOf(cache.current())).toBe(1);
    cache.afterAnswer();
    cache.afterAnswer();
    expect(pending).toHaveLength(1);
    // Not awaited: the next answer still uses the copy in hand until the read comes back.
    expect(await versionOf(cache.current())).toBe(1);
    await settle(2);
    expect(await versionOf(cache.current())).toBe(2);
  });

  it('waits for a fresh read before answering once the copy is over 60 s old (a thawed function)', async () => {
    const { cache, pending, settle, advance } = setup();
    const cold = cache.current();
    await settle(1);
    await cold;

    advance(RULES_MAX_AGE_MS);
    expect(await versionOf(cache.current())).toBe(1);
    advance(1);
    const answer = cache.current();
    expect(pending).toHaveLength(1);
    await settle(2);
    expect(await versionOf(answer)).toBe(2);
  });

  it('keeps the copy in hand when a refresh fails, and fails when there is none', async () => {
    const { cache, pending, errors, settle, advance } = setup();
    const cold = cache.current();
    pending.shift()?.reject(new Error('throttled'));
    await expect(cold).rejects.toThrow('throttled');

    const retry = cache.current();
    await settle(1);
    await retry;
    advance(RULES_MAX_AGE_MS + 1);
    const stale = cache.current();
    pending.shift()?.reject(new Error('throttled'));
    expect(await versionOf(stale)).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
