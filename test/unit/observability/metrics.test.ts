import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricNames } from '../../../contract/metrics.js';
import { apiHandler } from '../../../functions/http/api-handler.js';
import { MAX_VALUES_PER_METRIC, Metrics, MetricUnit, metrics } from '../../../functions/observability.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

/** Everything an invocation writes to stdout and stderr (EMF and logs). */
const captureOutput = () => {
  let text = '';
  const collect = (chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(collect);
  vi.spyOn(process.stderr, 'write').mockImplementation(collect);
  return () => text;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('metrics publishing', () => {
  it('an invocation that counted nothing writes nothing (no "No application metrics to publish" warning)', async () => {
    const handler = apiHandler(async () => ({ status: 200, body: { ok: true } }), { metrics: true });
    const output = captureOutput();
    const result = await handler(apiEvent({ method: 'GET', path: '/v1/ping' }), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(output()).toBe('');
  });

  it('an invocation that counted something still publishes it as EMF, and only once', async () => {
    const handler = apiHandler(
      async () => {
        metrics.addMetric(metricNames.VerifiedValid, MetricUnit.Count, 1);
        return { status: 200, body: { ok: true } };
      },
      { metrics: true },
    );
    const output = captureOutput();
    await handler(apiEvent({ method: 'GET', path: '/v1/ping' }), lambdaContext());
    await handler(apiEvent({ method: 'GET', path: '/v1/ping' }), lambdaContext());
    const emf = output()
      .split('\n')
      .filter((line) => line.includes('"_aws"'));
    expect(emf).toHaveLength(2);
    expect(emf[0]).toContain('"VerifiedValid":1');
    expect(output()).not.toContain('No application metrics');
  });

  it('an invocation that fails still publishes what it counted, and its error line names the request', async () => {
    const handler = apiHandler(
      async () => {
        metrics.addMetric(metricNames.PassRefused, MetricUnit.Count, 1);
        throw new Error('table gone');
      },
      { metrics: true },
    );
    const output = captureOutput();
    const context = { ...lambdaContext(), awsRequestId: 'req-failing' };

    const result = await handler(apiEvent({ method: 'GET', path: '/v1/ping' }), context);

    expect(result.statusCode).toBe(500);
    const lines = output()
      .split('\n')
      .filter((line) => line !== '')
      .map((line): Record<string, unknown> => JSON.parse(line));
    expect(lines.filter((line) => '_aws' in line)).toMatchObject([{ PassRefused: 1 }]);
    expect(lines.find((line) => line.level === 'ERROR')).toMatchObject({
      message: 'request failed',
      function_request_id: 'req-failing',
      error: { name: 'Error', message: 'table gone' },
    });
  });
});

describe('the EMF line', () => {
  const aRegistry = (disabled = false) => {
    const lines: string[] = [];
    const registry = new Metrics({
      namespace: 'ResultGate',
      service: 'resultgate',
      write: (line) => lines.push(line),
      disabled,
      now: () => 1_764_644_645_678,
    });
    return { registry, lines, parsed: () => lines.map((line): unknown => JSON.parse(line)) };
  };

  it('is the line Powertools Metrics writes: one dimension, service, each metric with its unit and value', () => {
    const { registry, parsed } = aRegistry();

    registry.addMetric(metricNames.VerifiedNotValid, MetricUnit.Count, 1);
    registry.addMetric(metricNames.PassRefused, MetricUnit.Count, 1);
    registry.publishStoredMetrics();

    expect(parsed()).toEqual([
      {
        _aws: {
          Timestamp: 1_764_644_645_678,
          CloudWatchMetrics: [
            {
              Namespace: 'ResultGate',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'VerifiedNotValid', Unit: 'Count' },
                { Name: 'PassRefused', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'resultgate',
        VerifiedNotValid: 1,
        PassRefused: 1,
      },
    ]);
  });

  it('holds every value of a metric counted more than once (a batch of queue records)', () => {
    const { registry, parsed } = aRegistry();

    for (const value of [1, 1, 0]) registry.addMetric(metricNames.ResultsStored, MetricUnit.Count, value);
    registry.publishStoredMetrics();

    expect(parsed()).toMatchObject([{ ResultsStored: [1, 1, 0] }]);
  });

  it('is written at 100 values of one metric, the most one line may carry, and the count goes on', () => {
    const { registry, parsed } = aRegistry();

    for (let i = 0; i < MAX_VALUES_PER_METRIC + 1; i += 1) {
      registry.addMetric(metricNames.ResultsStored, MetricUnit.Count, 1);
    }
    registry.publishStoredMetrics();

    const values = parsed().map((line) => (line as { ResultsStored: number | number[] }).ResultsStored);
    expect(values).toEqual([Array.from({ length: MAX_VALUES_PER_METRIC }, () => 1), 1]);
  });

  it('is written once: a second publish with nothing new counted writes nothing', () => {
    const { registry, lines } = aRegistry();

    registry.addMetric(metricNames.PassesIssued, MetricUnit.Count, 1);
    registry.publishStoredMetrics();
    registry.publishStoredMetrics();

    expect(lines).toHaveLength(1);
    expect(registry.hasStoredMetrics()).toBe(false);
  });

  it('is never written when metrics are off (the local stack), and nothing is kept', () => {
    const { registry, lines } = aRegistry(true);

    registry.addMetric(metricNames.PassesIssued, MetricUnit.Count, 1);
    registry.publishStoredMetrics();

    expect(lines).toEqual([]);
    expect(registry.hasStoredMetrics()).toBe(false);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    'drops %s, which JSON would write as null, says so, and counts on',
    (value) => {
      const dropped: string[] = [];
      const lines: string[] = [];
      const registry = new Metrics({
        namespace: 'ResultGate',
        service: 'resultgate',
        write: (line) => lines.push(line),
        onDropped: (name) => dropped.push(name),
      });

      expect(() => registry.addMetric(metricNames.StaleLabs, MetricUnit.Count, value)).not.toThrow();
      registry.addMetric(metricNames.PassesIssued, MetricUnit.Count, 1);
      registry.publishStoredMetrics();

      expect(dropped).toEqual(['StaleLabs']);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('StaleLabs');
      expect(lines[0]).toContain('"PassesIssued":1');
    },
  );
});
