import type { Clock } from '../../contract/clock.js';
import type { HolderIdentity } from '../../contract/identity.js';
import { evaluateRule, type RuleSet, referenceOf, ruleFor } from '../../contract/rules.js';
import type { VerifyResponse } from '../schemas/verify-response.js';
import type { HolderResult } from './holder-result.js';
import { checkPass, type PassFailureReason } from './pass-codec.js';
import type { PassKeyRing } from './pass-keys.js';
import { birthDateCheck, holderKey, type Pepper } from './pseudonym.js';

/** The port to a holder's stored results: one read, one round trip. */
export interface HolderResults {
  forHolder(holderKey: string): Promise<HolderResult[]>;
}

export interface VerifyDeps {
  readonly pepper: () => Promise<Pepper>;
  readonly holders: HolderResults;
  readonly clock: Clock;
}

/**
 * Which rule sets a request is judged by: the published ones, and the checkpoint's jurisdiction and mode.
 * `rules` may still be on its way (a cold start reads them while the holder's results are read).
 */
export interface RuleScope {
  readonly rules: readonly RuleSet[] | Promise<readonly RuleSet[]>;
  readonly jurisdiction: string;
  readonly mode: string;
}

export class NoRuleInForceError extends Error {
  override readonly name = 'NoRuleInForceError';
}

/** The rule in force for the scope at the checked instant (contract/rules.ts, ruleFor: with fallbacks). */
export const ruleAt = async (scope: RuleScope, checkedAt: Date): Promise<RuleSet> => {
  const rule = ruleFor(await scope.rules, scope.jurisdiction, scope.mode, checkedAt);
  // The default rule set (VN/ENTRY from 1970) is always there; only a hand-made gap can lead here.
  if (!rule) throw new NoRuleInForceError(`No rule in force for ${scope.jurisdiction}/${scope.mode}`);
  return rule;
};

/**
 * The answer for a holder's results at `checkedAt`, by `rule`. Every NOT_VALID answer for lack of a valid
 * result has the same fields and size for one rule, whatever the cause (no record, positive, expired,
 * birth date mismatch).
 */
export const answerFor = (
  results: readonly HolderResult[],
  checkedAt: Date,
  rule: RuleSet,
): VerifyResponse => {
  const verdict = evaluateRule(rule, results, checkedAt);
  if (verdict.verdict === 'NOT_VALID') {
    return {
      verdict: 'NOT_VALID',
      checkedAt: checkedAt.toISOString(),
      reason: 'NO_VALID_RESULT',
      rule: referenceOf(rule),
    };
  }
  const { basis } = verdict;
  return {
    verdict: 'VALID',
    checkedAt: checkedAt.toISOString(),
    validUntil: verdict.validUntil.toISOString(),
    testType: basis.testType,
    sampledAt: basis.sampledAt,
    facility: { id: basis.labId, name: basis.labName },
    holder: { maskedName: basis.maskedName, birthYear: basis.birthYear },
    rule: referenceOf(rule),
  };
};

/**
 * Manual entry: the results filed under the holder's pseudonym whose birth date matches the one typed
 * in. The date is checked against every result the same way, so a mismatch costs what a match costs.
 */
export const makeVerifyByIdentity = ({ pepper, holders, clock }: VerifyDeps) => {
  return async (identity: HolderIdentity, scope: RuleScope): Promise<VerifyResponse> => {
    const secret = await pepper();
    const key = holderKey(secret, identity.idType, identity.idNumber);
    const check = birthDateCheck(secret, key, identity.dateOfBirth);
    const results = await holders.forHolder(key);
    const checkedAt = clock.now();
    return answerFor(
      results.filter((r) => r.birthDateCheck === check),
      checkedAt,
      await ruleAt(scope, checkedAt),
    );
  };
};

export interface VerifyPassDeps {
  /** The public keys passes may be signed with: configuration, read at cold start. */
  readonly keyRing: PassKeyRing;
  readonly holders: HolderResults;
  readonly clock: Clock;
}

export interface PassVerification {
  readonly answer: VerifyResponse;
  /** Why the pass was refused, for logs and metrics only (the caller sees PASS_INVALID). */
  readonly refused?: PassFailureReason;
}

/**
 * A scanned pass: its signature and expiry are checked with the key ring, and the verdict comes from
 * the holder's live results whose birth-date check equals the pass's `bdc`, as manual entry filters
 * them, so a pass asked for with a wrong birth date answers like an unknown holder (the snapshot is for
 * offline checks only, so a newer positive result always wins). A pass without `bdc` (issued before
 * passes were bound to a birth date) is refused as PASS_INVALID: see isUnboundPass in contract/pass-format.ts. The read of
 * those results runs while the signature is being checked (see checkPass), so a scan costs the read,
 * not the read plus the check; its rows are used only when the signature holds. A pass
 * refused for its form, key or time costs no read; a well-formed forgery costs the one read a manual
 * entry costs, and gets PASS_INVALID.
 */
export const makeVerifyByPass = ({ keyRing, holders, clock }: VerifyPassDeps) => {
  return async (qr: string, scope: RuleScope): Promise<PassVerification> => {
    const checkedAt = clock.now();
    const checked = await checkPass(qr, keyRing, checkedAt, (claims) => holders.forHolder(claims.sub));
    const rule = await ruleAt(scope, checkedAt);
    if (!checked.ok) {
      return {
        answer: {
          verdict: 'NOT_VALID',
          checkedAt: checkedAt.toISOString(),
          reason: 'PASS_INVALID',
          rule: referenceOf(rule),
        },
        refused: checked.reason,
      };
    }
    const { bdc } = checked.claims;
    return {
      answer: answerFor(
        checked.value.filter((r) => r.birthDateCheck === bdc),
        checkedAt,
        rule,
      ),
    };
  };
};
