import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE } from '../contract/vocabulary.js';

/**
 * The one logger and metrics registry, built from the contract's service name. Logs are structured JSON
 * and never carry ID numbers, names, phone numbers, birth dates or results: log ids (lab, sample) and counts.
 */
export const logger = new Logger({ serviceName: SERVICE });

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });
