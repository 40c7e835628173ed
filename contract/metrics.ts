/**
 * The custom metrics the functions emit (namespace METRICS_NAMESPACE, dimension service = SERVICE, both in
 * vocabulary.ts) and the alarms and dashboard read (lib/constructs/monitoring.ts). One list, so the two
 * sides cannot drift apart.
 */
export const metricNames = {
  /** submit-results: every POST /v1/results, refused bodies included. */
  BatchesReceived: 'BatchesReceived',
  ResultsAccepted: 'ResultsAccepted',
  ResultsRejected: 'ResultsRejected',
  /** store-results: one per queue record, by its outcome. */
  ResultsStored: 'ResultsStored',
  ResultsCorrected: 'ResultsCorrected',
  ResultsDuplicate: 'ResultsDuplicate',
  ResultsStale: 'ResultsStale',
  ResultsExpired: 'ResultsExpired',
  /** verify-holder: one per answer, and one per pass refused before the lookup. */
  VerifiedValid: 'VerifiedValid',
  VerifiedNotValid: 'VerifiedNotValid',
  PassRefused: 'PassRefused',
  /** issue-pass; PassRequestsOverLimit: a pass asked for a holder past the day's limit (limits.ts). */
  PassesIssued: 'PassesIssued',
  PassRequestsOverLimit: 'PassRequestsOverLimit',
  /** check-freshness: emitted on every run, 0 included, so its alarm always has data. */
  StaleLabs: 'StaleLabs',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

/**
 * Log lines that alarms count per principal (Contributor Insights rules in lib/constructs/monitoring.ts):
 * the function writes the message with the principal's id and never a holder's data. One list, as above.
 */
export const watchedLogMessages = {
  /** verify-holder, with `deviceId` and `reason`: one per NOT_VALID answer (CheckpointGuessing). */
  NotValidAnswered: 'not valid answered',
  /**
   * issue-pass, with `appId`: a pass asked for a holder who has results, none of them for the birth date
   * given (PassBirthDateGuessing). A citizen types their own birth date; a guesser gets this almost always.
   */
  PassBirthDateNotMatching: 'pass birth date not matching',
} as const;
