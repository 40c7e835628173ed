import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE } from '../contract/vocabulary.js';

/**
 * The one logger and metrics registry, built from the contract's service name. Logs are structured JSON
 * and never carry ID numbers, names, phone numbers, birth dates or results: log ids (lab, sample) and counts.
 */
export const logger = new Logger({ serviceName: SERVICE });

/**
 * Powertools warns "No application metrics to publish…" on every publish without a metric, which is most
 * invocations here (a metric is added only when something is counted). Publishing nothing is normal, so
 * such a publish only clears the invocation's dimensions and metadata, as a publish would, and says nothing.
 */
class QuietMetrics extends Metrics {
  override publishStoredMetrics(): this {
    if (this.hasStoredMetrics()) return super.publishStoredMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

export const metrics: Metrics = new QuietMetrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });
