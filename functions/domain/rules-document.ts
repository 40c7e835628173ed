import type { Clock } from '../../contract/clock.js';
import { isLowS } from '../../contract/low-s.js';
import { liveVersions, type RuleSet } from '../../contract/rules.js';
import {
  type RevokedWindow,
  RULES_DOCUMENT_MAX_AGE_SECONDS,
  RULES_JWS_TYP,
  type RulesDocumentClaims,
  type RulesDocumentHeader,
} from '../../contract/rules-document.js';
import type { PassSigner } from './pass-codec.js';

/** Signs like the pass signer: raw r||s ES256, low-S, named by the key's thumbprint. */
export type RulesSigner = PassSigner;

/** Where the published rule sets come from (adapters/rule-sets-table.ts: the versions in force or scheduled). */
export interface RuleSetSource {
  listLive(): Promise<readonly RuleSet[]>;
}

export class RulesSignatureFormatError extends Error {
  override readonly name = 'RulesSignatureFormatError';
}

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** The compact JWS of a rules document. */
export const signRulesDocument = async (
  claims: RulesDocumentClaims,
  signer: RulesSigner,
): Promise<string> => {
  const header: RulesDocumentHeader = { alg: 'ES256', kid: signer.kid, typ: RULES_JWS_TYP };
  const input = `${base64url(encoder.encode(JSON.stringify(header)))}.${base64url(
    encoder.encode(JSON.stringify(claims)),
  )}`;
  const signature = await signer.sign(encoder.encode(input));
  // Every verifier refuses high-S: a signer that does not normalise must fail here, not at a checkpoint.
  if (signature.length !== 64 || !isLowS(signature)) {
    throw new RulesSignatureFormatError('The rules signer did not answer a low-S raw ES256 signature');
  }
  return `${input}.${base64url(signature)}`;
};

export interface SignedRules {
  readonly jws: string;
  readonly claims: RulesDocumentClaims;
}

export interface RulesDocumentDeps {
  readonly ruleSets: RuleSetSource;
  readonly signer: () => Promise<RulesSigner>;
  readonly clock: Clock;
  /** How long the listed rule sets and the signed document are reused; default 60 s, the page's max age. */
  readonly maxAgeSeconds?: number;
  /** The revoked windows to publish at an instant (revocations.ts, publishedWindows); none if left out. */
  readonly revokedWindows?: (now: Date) => Promise<readonly RevokedWindow[]>;
  /** Told when the last good document is served because a refresh failed (for a log line). */
  readonly onStale?: (error: unknown) => void;
}

/** What decides whether a signed document still says the right thing: its rule versions, in order. */
const versionsKey = (rules: readonly RuleSet[]): string => rules.map((r) => `${r.id}#${r.version}`).join(',');

/**
 * The current signed document, signed at most once per change: the rule sets are listed (one Query) at
 * most once per max age and the document is signed (one Sign) only when that is over or when the versions
 * it must hold changed (a version reached its validFrom or validTo). Concurrent callers share one load, so
 * a burst of phones costs one Query and one Sign. A published rule reaches the document within the max age.
 */
/** How long a failed refresh of the document rests before the next try (the last good one is served). */
export const RETRY_AFTER_FAILURE_MS = 10_000;

export const makeRulesDocument = (deps: RulesDocumentDeps): (() => Promise<SignedRules>) => {
  const maxAgeMs = (deps.maxAgeSeconds ?? RULES_DOCUMENT_MAX_AGE_SECONDS) * 1000;
  let listed:
    | { readonly at: number; readonly rules: readonly RuleSet[]; readonly revoked: readonly RevokedWindow[] }
    | undefined;
  let signed: { readonly at: number; readonly key: string; readonly value: SignedRules } | undefined;
  let loading: Promise<SignedRules> | undefined;
  /** Until when a failed read or signature is not tried again: the last good document is served meanwhile. */
  let restUntil = 0;

  const load = async (): Promise<SignedRules> => {
    const now = deps.clock.now();
    if (signed !== undefined && now.getTime() < restUntil) return signed.value;
    try {
      return await refresh(now);
    } catch (error) {
      // The key service or the table failing: the last document signed is still genuine, and its `iat`
      // tells every phone how old it is (they stop using it after the stage's offline limit), so it is
      // served rather than a 500, and the failing call is not tried again for RETRY_AFTER_FAILURE_MS.
      if (signed === undefined) throw error;
      restUntil = now.getTime() + RETRY_AFTER_FAILURE_MS;
      deps.onStale?.(error);
      return signed.value;
    }
  };

  const refresh = async (now: Date): Promise<SignedRules> => {
    if (listed === undefined || now.getTime() - listed.at >= maxAgeMs) {
      const [published, revoked] = await Promise.all([
        deps.ruleSets.listLive(),
        deps.revokedWindows?.(now) ?? [],
      ]);
      listed = { at: now.getTime(), rules: published, revoked };
    }
    const rules = liveVersions(listed.rules, now);
    const { revoked } = listed;
    const key = `${versionsKey(rules)}|${JSON.stringify(revoked)}`;
    if (signed !== undefined && signed.key === key && now.getTime() - signed.at < maxAgeMs)
      return signed.value;
    const iat = Math.floor(now.getTime() / 1000);
    const claims: RulesDocumentClaims = {
      v: 1,
      iat,
      exp: iat + (deps.maxAgeSeconds ?? RULES_DOCUMENT_MAX_AGE_SECONDS),
      ruleSets: rules,
      // Only when there is one: see RulesDocumentClaims.revoked.
      ...(revoked.length > 0 ? { revoked } : {}),
    };
    const value = { jws: await signRulesDocument(claims, await deps.signer()), claims };
    signed = { at: now.getTime(), key, value };
    return value;
  };

  return () => {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  };
};
