/**
 * Offline judgement with the signed rules: the rules document of GET /v1/rules is checked against the
 * rules key of GET /v1/keys (and only that key), and the rule in force for the device's jurisdiction and
 * mode at the instant of the scan is applied to the pass snapshot's facts with the same code as the API
 * (contract/rules.ts). Without usable rules the page does not judge: CANNOT CHECK, with the reason.
 */
import { isLowS } from '../../contract/low-s.js';
import {
  evaluateRule,
  type RuleReference,
  type RuleSet,
  referenceOf,
  ruleFor,
} from '../../contract/rules.js';
import {
  isRevoked,
  isRulesDocumentHeader,
  MAX_RULES_DOCUMENT_LENGTH,
  type RulesDocumentClaims,
  readRulesDocumentClaims,
} from '../../contract/rules-document.js';
import {
  base64UrlDecode,
  decodeJsonPart,
  type PassCheck,
  type PublicJwk,
  rulesKeys,
  type Snapshot,
  verifiesEs256,
} from './jws.js';

export interface DeviceProfile {
  readonly jurisdiction: string;
  readonly mode: string;
}

/**
 * Why the page does not judge offline. CLOCK_WRONG: the phone's date and time disagree with what it knows
 * has happened (rules signed later than its "now", a fetch when its clock was far from the server's, an
 * instant before one it already saw), so neither the rules' age nor the rule in force can be told.
 * NO_PROFILE: the rules are there but not the device's province and mode (asked when online).
 */
export type CannotCheckReason =
  | 'NO_RULES'
  | 'NO_PROFILE'
  | 'RULES_TOO_OLD'
  | 'NO_RULE_IN_FORCE'
  | 'CLOCK_WRONG';

/**
 * How far the phone's clock may be from the server's before the page stops trusting it: a fetched
 * document is at most a minute old (GET /v1/rules is cacheable for 60 s), and phones keep network time.
 */
export const CLOCK_TOLERANCE_MS = 10 * 60_000;

export type OfflineVerdict =
  | {
      readonly verdict: 'VALID';
      readonly snapshot: Snapshot;
      /** From the rule in force at the scan, not from the snapshot. */
      readonly validUntil: string;
      readonly rule: RuleReference;
    }
  | {
      readonly verdict: 'NOT_VALID';
      /** REVOKED: the snapshot's result is of a lab and time the authority revoked (the document's `revoked`). */
      readonly reason: 'NO_VALID_RESULT' | 'NO_SNAPSHOT' | 'REVOKED' | 'PASS_INVALID';
      readonly rule: RuleReference;
    }
  | { readonly verdict: 'NOT_VALID'; readonly reason: 'PASS_INVALID' | 'NO_SNAPSHOT' }
  | { readonly verdict: 'UNKNOWN_KEY' }
  | { readonly verdict: 'CANNOT_CHECK'; readonly reason: CannotCheckReason };

/** The claims of a rules document signed by a rules key, or undefined. Never throws on bad input. */
export async function verifyRulesDocument(
  jws: string | undefined,
  keys: readonly PublicJwk[],
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<RulesDocumentClaims | undefined> {
  if (jws === undefined || jws.length > MAX_RULES_DOCUMENT_LENGTH) return undefined;
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeJsonPart(headerPart);
  const signature = base64UrlDecode(signaturePart);
  // A pass (typ JWT) is never a rules document, and only the low-S signature counts.
  if (!isRulesDocumentHeader(header) || !signature || !isLowS(signature)) return undefined;
  const jwk = rulesKeys(keys).find((key) => key.kid === header.kid);
  if (!jwk) return undefined;
  try {
    if (!(await verifiesEs256(jwk, `${headerPart}.${payloadPart}`, signature, subtle))) return undefined;
  } catch {
    return undefined;
  }
  return readRulesDocumentClaims(decodeJsonPart(payloadPart));
}

export interface OfflineRules {
  /** The verified document, or undefined when the phone holds none (or none it can verify). */
  readonly document: RulesDocumentClaims | undefined;
  readonly device: DeviceProfile | undefined;
  /** The stage's `offlineRulesMaxAgeHours`: how long after signing a document may be used. */
  readonly maxAgeHours: number;
  /** The phone's clock was more than CLOCK_TOLERANCE_MS off the server's at the last fetch. */
  readonly clockOff?: boolean;
  /** The latest instant the page has judged at with a clock it trusted: time does not run backwards. */
  readonly clockMark?: Date | undefined;
}

/**
 * Whether the phone's clock can be trusted for this document: not behind its signature, not far from the
 * server's at the last fetch (GET /v1/rules `servedAt`), not before an instant already seen. A clock set back would otherwise
 * bring old rules back (and versions since replaced); a clock ahead would call fresh rules too old.
 */
export function clockTrusted(rules: OfflineRules, document: RulesDocumentClaims, now: Date): boolean {
  const signedAt = document.iat * 1000;
  const at = now.getTime();
  if (at < signedAt - CLOCK_TOLERANCE_MS) return false;
  if (rules.clockOff === true) return false;
  return rules.clockMark === undefined || at >= rules.clockMark.getTime() - CLOCK_TOLERANCE_MS;
}

/**
 * The rule the device applies at `now` (contract/rules.ts `ruleFor`, as the API: its jurisdiction's rule
 * for its mode, else the country's for that mode, else the country's default), or why there is none the
 * page may use.
 */
function ruleAt(rules: OfflineRules, now: Date): RuleSet | CannotCheckReason {
  const { document, device, maxAgeHours } = rules;
  if (document === undefined) return 'NO_RULES';
  if (!clockTrusted(rules, document, now)) return 'CLOCK_WRONG';
  if (device === undefined) return 'NO_PROFILE';
  if (now.getTime() - document.iat * 1000 > maxAgeHours * 3_600_000) return 'RULES_TOO_OLD';
  return ruleFor(document.ruleSets, device.jurisdiction, device.mode, now) ?? 'NO_RULE_IN_FORCE';
}

/**
 * The offline answer for a pass check at `now`. A pass that is not genuine, or signed by a key the phone
 * lacks, says so whatever the rules; otherwise the rule in force decides, and without one (no rules,
 * rules older than the stage allows, no rule for this jurisdiction and mode at `now`) the page does not
 * judge. The snapshot's facts are a negative result of its test type sampled at its sampling time.
 */
export function judgeOffline(check: PassCheck, rules: OfflineRules, now: Date): OfflineVerdict {
  if (check.verdict === 'UNKNOWN_KEY') return check;
  const found = ruleAt(rules, now);
  // A wrong clock decides nothing, a pass's validity period included (a pass issued today looks issued
  // in the future to a phone a day behind).
  if (found === 'CLOCK_WRONG') return { verdict: 'CANNOT_CHECK', reason: found };
  if (check.verdict === 'NOT_VALID' && check.reason === 'PASS_INVALID')
    return typeof found === 'string'
      ? { verdict: 'NOT_VALID', reason: 'PASS_INVALID' }
      : { verdict: 'NOT_VALID', reason: 'PASS_INVALID', rule: referenceOf(found) };
  // A pass without a snapshot can be VALID under no rule: that answer needs no rules (it names the rule
  // in force when the phone has one).
  if (check.verdict === 'NOT_VALID')
    return typeof found === 'string'
      ? { verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT' }
      : { verdict: 'NOT_VALID', reason: 'NO_SNAPSHOT', rule: referenceOf(found) };
  if (typeof found === 'string') return { verdict: 'CANNOT_CHECK', reason: found };
  const rule = found;
  const reference = referenceOf(rule);
  const { testType, sampledAt, labId } = check.snapshot;
  // A pass issued before snapshots named their lab cannot be matched against revocations; it lives at
  // most 7 days.
  if (labId !== undefined && isRevoked(rules.document?.revoked, labId, sampledAt))
    return { verdict: 'NOT_VALID', reason: 'REVOKED', rule: reference };
  // The snapshot's lab counts as the API counts the stored result's: under a rule that lists labs, a
  // negative of a listed lab is accepted, and one from a pass that names no lab is not (NOT VALID, as the
  // API answers a result it cannot place).
  const verdict = evaluateRule(
    rule,
    [{ testType, result: 'NEGATIVE', sampledAt, ...(labId === undefined ? {} : { labId }) }],
    now,
  );
  return verdict.verdict === 'VALID'
    ? {
        verdict: 'VALID',
        snapshot: check.snapshot,
        validUntil: verdict.validUntil.toISOString(),
        rule: reference,
      }
    : { verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT', rule: reference };
}
