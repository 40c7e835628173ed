import { type CredentialLimit, credentialLimits } from '../contract/limits.js';
import type { Role } from '../contract/vocabulary.js';
import type { StageName } from './stage-names.js';

export type RoleLimits = Readonly<Record<Role, CredentialLimit>>;

/**
 * Each stage's per-credential rate and burst by role (lib/stages.ts `credentialLimits`), in a module
 * without the CDK so the local stack, which runs as `dev`, reads the very numbers `dev` deploys: the
 * usage plans, the throttled answer's `Retry-After` and the local gateway's token buckets all come from
 * here. Change a stage's numbers here. Default: contract/limits.ts.
 */
export const stageCredentialLimits: Readonly<Record<StageName, RoleLimits>> = {
  dev: credentialLimits,
  prod: credentialLimits,
};

/** The stage the local stack mirrors. */
export const LOCAL_STAGE: StageName = 'dev';

/**
 * `Retry-After` of a throttled (429) answer from API Gateway. A gateway response is a static template and
 * cannot compute the wait, so it carries the slowest role's refill time: with the default checkpoint
 * budget (0.2/s), ceil(1 / 0.2) = 5 s; faster roles are told to wait a little longer than needed.
 */
export const retryAfterSecondsFor = (limits: RoleLimits): number =>
  Math.ceil(1 / Math.min(...Object.values(limits).map((limit) => limit.ratePerSecond)));
