import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The one logger and metrics registry, built from one service name. Logs are structured JSON and never
 * carry ID numbers, names, phone numbers, birth dates or results: log ids (lab, sample) and counts.
 */
export const SERVICE = 'resultgate';

export const logger = new Logger({ serviceName: SERVICE });

export const metrics = new Metrics({ namespace: 'ResultGate', serviceName: SERVICE });
