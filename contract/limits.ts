import type { Role } from './vocabulary.js';

/**
 * Per-credential request limits, read by the CDK stack (one API Gateway usage-plan key per credential)
 * and by the local gateway (a token bucket per credential), so both enforce the same numbers.
 * Dependency-free: no AWS, Node or DOM imports.
 *
 * A limit is a token bucket: `burst` requests at once, refilled at `ratePerSecond`. Over it, the caller
 * gets `429 RATE_LIMITED` with `Retry-After`.
 */
export interface CredentialLimit {
  /** Sustained requests per second for one credential. */
  readonly ratePerSecond: number;
  /** Requests one credential may make at once before the sustained rate applies. */
  readonly burst: number;
}

/**
 * Numbers from how people work:
 * - checkpoint: an officer checks one traveller at a time, comparing the masked name and birth year with
 *   the ID card: a few seconds each at best. 12 a minute sustained, 20 at once (a queue at a shift change,
 *   a re-scan). Guessing a CCCD holder's birth date (at most 366 tries, 183 expected) then takes about
 *   14 minutes expected and 29 at worst per credential; so for a 12-digit CMND, which has the CCCD's
 *   layout. A 9-digit CMND and a passport number carry no year: about 45,000 dates, days.
 * - lab: batches of up to 500 results plus a check per sample: 20 requests a second, 50 at once.
 * - app: a citizen-app backend asks a pass for each of its signed-in users: 50 a second, 100 at once.
 */
export const credentialLimits: Readonly<Record<Role, CredentialLimit>> = {
  checkpoint: { ratePerSecond: 0.2, burst: 20 },
  lab: { ratePerSecond: 20, burst: 50 },
  app: { ratePerSecond: 50, burst: 100 },
};

/** Seconds API Gateway (and the local gateway) keep an authorizer answer for one credential. */
export const AUTHORIZER_CACHE_TTL_SECONDS = 300;

/**
 * Passes a holder may be issued with a snapshot per UTC day (POST /v1/passes; the day starts at 07:00 in
 * Vietnam). A pass carries a snapshot only when the birth date given is the holder's and they are VALID,
 * so with an app credential a pass was an oracle for a VALID holder's birth date: 366 tries, seconds at
 * the app's rate. Every pass request for a holder now counts, whatever the birth date; from the eleventh
 * of the day, passes for that holder are issued without a snapshot (they still scan VALID online: the
 * checkpoint judges live results), so guessing yields at most 10 tries per holder per day, about 2.7% of
 * a CCCD holder's dates. Across many holders an app credential still learns a date now and then (10
 * tries each), so it is watched: passes past the limit (PassRequestsOverLimit metric, PassGuessing alarm),
 * and passes asked with a birth date none of the holder's results has, per app (PassBirthDateGuessing). A citizen app
 * keeps its pass for its 7 days and asks again after a new result; 10 leaves room for an app that asks
 * again after a failed download or a reinstall.
 */
export const PASS_SNAPSHOTS_PER_HOLDER_PER_DAY = 10;
