/**
 * The signed rules document of GET /v1/rules, shared by the API (which signs it) and the checkpoint page
 * (which checks it and applies its rules offline). Dependency-free.
 *
 * A compact JWS (RFC 7515), ES256 with a low-S raw r||s signature, header `{alg: "ES256", kid, typ:
 * "rg-rules+jwt"}`. The `typ` is not a pass's (`JWT`) and each reader checks it, so a rules document can
 * never be taken for a pass, nor a pass for rules. It is signed with a key of its own, published in
 * GET /v1/keys with the member `"signs": "rules"` (pass keys carry no `signs` member): a verifier accepts
 * only that key for rules, and never that key for passes.
 */
import { isJsonObject } from './identity.js';
import { type RuleSet, readRuleSet } from './rules.js';

export const RULES_JWS_TYP = 'rg-rules+jwt';
/** The JWK member `signs` of the key that signs rules documents in GET /v1/keys. */
export const RULES_KEY_SIGNS = 'rules';
/** How long a CDN, a phone or the signing function may keep one document before asking again. */
export const RULES_DOCUMENT_MAX_AGE_SECONDS = 60;
/** Longest document a page accepts (a few hundred rule versions). */
export const MAX_RULES_DOCUMENT_LENGTH = 2_000_000;

export interface RulesDocumentHeader {
  readonly alg: 'ES256';
  readonly kid: string;
  readonly typ: typeof RULES_JWS_TYP;
}

export interface RulesDocumentClaims {
  readonly v: 1;
  /** Unix seconds when it was signed: how old the rules a checkpoint holds are. */
  readonly iat: number;
  /**
   * iat + RULES_DOCUMENT_MAX_AGE_SECONDS: after it a newer document may exist, so ask again when online.
   * A checkpoint without network keeps applying it until iat + its stage's `offlineRulesMaxAgeHours`.
   */
  readonly exp: number;
  /** Every rule set in force or scheduled, whole (with its worked examples), ordered by id then version. */
  readonly ruleSets: readonly RuleSet[];
  /**
   * The labs whose results an operator revoked, sampled in [from, to) (UTC), while such results may still
   * be retained. A pass whose snapshot names one of these labs and a sampling time in the window is NOT
   * VALID offline. Present only when not empty, so a page too old to read it refuses exactly the documents
   * it would misapply (it then cannot check offline) and reads every other one as before.
   */
  readonly revoked?: readonly RevokedWindow[];
}

export interface RevokedWindow {
  readonly labId: string;
  /** UTC ISO timestamps: from inclusive, to exclusive. */
  readonly from: string;
  readonly to: string;
}

const isInstant = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) &&
  !Number.isNaN(Date.parse(value));

const readRevokedWindow = (value: unknown): RevokedWindow | undefined => {
  if (!isJsonObject(value) || typeof value.labId !== 'string' || value.labId.length === 0) return undefined;
  if (!isInstant(value.from) || !isInstant(value.to)) return undefined;
  if (Object.keys(value).some((key) => !['labId', 'from', 'to'].includes(key))) return undefined;
  return { labId: value.labId, from: value.from, to: value.to };
};

/** Whether a result of `labId` sampled at `sampledAt` falls in a revoked window. */
export const isRevoked = (
  windows: readonly RevokedWindow[] | undefined,
  labId: string,
  sampledAt: string,
): boolean => {
  const at = Date.parse(sampledAt);
  return (windows ?? []).some((w) => w.labId === labId && Date.parse(w.from) <= at && at < Date.parse(w.to));
};

const KID = /^[A-Za-z0-9_-]{43}$/;
const isWhole = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Whether a JWS header is a rules document's (never a pass's). */
export const isRulesDocumentHeader = (value: unknown): value is RulesDocumentHeader =>
  isJsonObject(value) &&
  value.alg === 'ES256' &&
  value.typ === RULES_JWS_TYP &&
  typeof value.kid === 'string' &&
  KID.test(value.kid) &&
  Object.keys(value).every((key) => key === 'alg' || key === 'kid' || key === 'typ');

/**
 * The claims, when the payload is a rules document. One rule set that is not one refuses the whole
 * document: a checkpoint that cannot read every rule does not guess which it may apply (it says it
 * cannot check instead).
 */
export const readRulesDocumentClaims = (value: unknown): RulesDocumentClaims | undefined => {
  if (!isJsonObject(value) || value.v !== 1 || !isWhole(value.iat) || !isWhole(value.exp)) return undefined;
  if (value.exp <= value.iat || !Array.isArray(value.ruleSets)) return undefined;
  if (Object.keys(value).some((key) => !['v', 'iat', 'exp', 'ruleSets', 'revoked'].includes(key)))
    return undefined;
  const ruleSets: RuleSet[] = [];
  for (const entry of value.ruleSets) {
    const rule = readRuleSet(entry);
    if (!rule) return undefined;
    ruleSets.push(rule);
  }
  if (!('revoked' in value)) return { v: 1, iat: value.iat, exp: value.exp, ruleSets };
  // Like the rule sets: one window the page cannot read refuses the whole document.
  if (!Array.isArray(value.revoked) || value.revoked.length === 0) return undefined;
  const revoked: RevokedWindow[] = [];
  for (const entry of value.revoked) {
    const window = readRevokedWindow(entry);
    if (!window) return undefined;
    revoked.push(window);
  }
  return { v: 1, iat: value.iat, exp: value.exp, ruleSets, revoked };
};
