import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../contract/clock.js';
import { metricNames } from '../../contract/metrics.js';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { checkFreshness, type FreshnessReport } from '../domain/freshness.js';
import { lambdaHandler } from '../lambda-handler.js';
import { logger, MetricUnit, metrics } from '../observability.js';

const config = loadConfig(['REGISTRY_TABLE', 'STALE_LAB_HOURS']);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);

/**
 * Hourly (EventBridge schedule): reports the active labs that have sent nothing for STALE_LAB_HOURS.
 * The metric is emitted on every run, 0 included, so the alarm always has data. Logs carry lab ids only.
 */
export const handler = lambdaHandler<ScheduledEvent, FreshnessReport>({ metrics: true }).handler(async () => {
  const report = await checkFreshness({
    registry,
    clock: systemClock,
    staleAfterHours: config.STALE_LAB_HOURS,
  });
  metrics.addMetric(metricNames.StaleLabs, MetricUnit.Count, report.stale.length);
  const summary = {
    activeLabs: report.activeLabs,
    staleLabs: report.stale.length,
    staleAfterHours: config.STALE_LAB_HOURS,
  };
  if (report.stale.length === 0) logger.info('labs fresh', summary);
  else logger.warn('stale labs', { ...summary, staleLabIds: report.stale.map((lab) => lab.id) });
  return report;
});
