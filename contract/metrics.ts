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
