import type { Clock } from '../../contract/clock.js';
import type { HolderIdentity } from '../../contract/identity.js';
import { PASS_SNAPSHOTS_PER_HOLDER_PER_DAY } from '../../contract/limits.js';
import type { PassSnapshot } from '../../contract/pass-format.js';
import { evaluateRule, type RuleSet } from '../../contract/rules.js';
import type { HolderResult } from './holder-result.js';
import { encodePass, type PassSigner, passClaims } from './pass-codec.js';
import { birthDateCheck, holderKey, type Pepper } from './pseudonym.js';
import { renderQrSvg } from './qr-svg.js';
import type { HolderResults } from './verify-holder.js';

/** The answer to POST /v1/passes. */
export interface IssuedPass {
  readonly qr: string;
  readonly expiresAt: string;
  readonly svg: string;
}

/** Counts pass requests per holder and day (adapters/pass-requests.ts). */
export interface PassRequestCounter {
  /** Counts one more request for the holder on `at`'s UTC day; answers the day's count, this one included. */
  count(holderKey: string, at: Date): Promise<number>;
}

export interface IssuePassDeps {
  readonly pepper: () => Promise<Pepper>;
  readonly holders: HolderResults;
  /** Every request counts, whatever its birth date: past the day's limit, no snapshot (contract/limits.ts). */
  readonly requests: PassRequestCounter;
  readonly signer: () => Promise<PassSigner>;
  readonly clock: Clock;
  /**
   * The rule that decides whether a pass carries a snapshot, at an instant: the country's ENTRY rule in
   * force (`VN`/`ENTRY`, the default rule set unless one was published), as the app serves no checkpoint.
   */
  readonly rule: (at: Date) => Promise<RuleSet>;
  readonly lifetimeSeconds: number;
}

/** The snapshot for offline checks, only when the holder is VALID now on the results that match. */
const snapshotOf = (results: readonly HolderResult[], now: Date, rule: RuleSet): PassSnapshot | undefined => {
  const verdict = evaluateRule(rule, results, now);
  if (verdict.verdict !== 'VALID') return undefined;
  const { basis } = verdict;
  return {
    testType: basis.testType,
    sampledAt: new Date(basis.sampledAt).toISOString(),
    validUntil: verdict.validUntil.toISOString(),
    maskedName: basis.maskedName,
    birthYear: basis.birthYear,
    // So that an offline checkpoint can refuse it when the lab's results are revoked (GET /v1/rules).
    labId: basis.labId,
  };
};

/**
 * Issues a pass for a holder named by document and birth date. The pass is always issued (results may
 * arrive after it) and is bound to the birth date given (its `bdc` claim), so a scan counts only results
 * for that date. It carries a snapshot only when those results make the holder VALID now and the holder
 * has not had more than PASS_SNAPSHOTS_PER_HOLDER_PER_DAY passes asked today: a wrong birth date, or one
 * request too many, yields a pass without one, shaped exactly like one for no record. The request is
 * counted for every holder, known or not, in parallel with the read, so neither the answer nor its time
 * tells whether the holder has results.
 */
export const makeIssuePass = ({
  pepper,
  holders,
  requests,
  signer,
  clock,
  rule,
  lifetimeSeconds,
}: IssuePassDeps) => {
  /**
   * `onOverLimit` is told of a request past the day's limit, with the holder's count of the day;
   * `onBirthDateNotMatching` of a request for a holder who has results, none for the birth date given
   * (a mistyped date, or a guess). Neither changes the answer.
   */
  return async (
    identity: HolderIdentity,
    onOverLimit?: (requestsToday: number) => void,
    onBirthDateNotMatching?: () => void,
  ): Promise<IssuedPass> => {
    const secret = await pepper();
    const key = holderKey(secret, identity.idType, identity.idNumber);
    const check = birthDateCheck(secret, key, identity.dateOfBirth);
    const [results, passSigner, requestsToday] = await Promise.all([
      holders.forHolder(key),
      signer(),
      requests.count(key, clock.now()),
    ]);
    const now = clock.now();
    const withinLimit = requestsToday <= PASS_SNAPSHOTS_PER_HOLDER_PER_DAY;
    if (!withinLimit) onOverLimit?.(requestsToday);
    const matching = results.filter((r) => r.birthDateCheck === check);
    if (results.length > 0 && matching.length === 0) onBirthDateNotMatching?.();
    const snapshot = withinLimit ? snapshotOf(matching, now, await rule(now)) : undefined;
    const claims = passClaims({
      citizenKey: key,
      birthDateCheck: check,
      keyVersion: secret.version,
      now,
      lifetimeSeconds,
      snapshot,
    });
    const qr = await encodePass(claims, passSigner);
    return { qr, expiresAt: new Date(claims.exp * 1000).toISOString(), svg: await renderQrSvg(qr) };
  };
};
