import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiHandler } from '../../../functions/http/api-handler.js';
import { metrics } from '../../../functions/observability.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

/** Everything an invocation writes to stdout and stderr (EMF, logs, Powertools' own warnings). */
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
        metrics.addMetric('PingCount', MetricUnit.Count, 1);
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
    expect(emf[0]).toContain('"PingCount":1');
    expect(output()).not.toContain('No application metrics');
  });
});
