/**
 * (a) verify latency: the verify handler in-process against dynalite vs a raw Query of the same partition
 * on the same dynalite, interleaved, after a warm-up; p50 and p99 of both. The ratio is taken to the
 * Query because that is verify's one round trip (a holder has several results, read together); a raw
 * GetItem of one of them is measured alongside for reference.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HOLDER_PROJECTION, HOLDER_PROJECTION_NAMES } from '../functions/adapters/holder-results.js';
import { projectRoot } from '../lib/paths.js';
import { LOCAL_NAMES } from '../local/emulators.js';
import { type ApiHandler, apiEvent, lambdaContext } from './events.js';
import { percentile, round } from './stats.js';
import { quietly, timed } from './timing.js';
import { type BenchWorld, checkpoint, identity } from './world.js';

export const measureVerifyLatency = async (
  { rawClient, key, scanEvent }: BenchWorld,
  settings: { readonly warmup: number; readonly iterations: number },
) => {
  const verifyModule: { handler: ApiHandler } = await import(
    pathToFileURL(join(projectRoot, 'functions/handlers/verify-holder.ts')).href
  );
  const manualEvent = apiEvent('POST', '/v1/verify', identity, checkpoint);
  // The raw side sends exactly the request the verify function sends (same projection), so both make
  // dynalite do the same work and move the same bytes, with a client made as verify's is; only the
  // client-side work differs.
  const rawQuery = () =>
    rawClient.send(
      new QueryCommand({
        TableName: LOCAL_NAMES.resultsTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `HOLDER#${key}` } },
        ProjectionExpression: HOLDER_PROJECTION,
        ExpressionAttributeNames: HOLDER_PROJECTION_NAMES,
      }),
    );
  const rawGetItem = () =>
    rawClient.send(
      new GetItemCommand({
        TableName: LOCAL_NAMES.resultsTable,
        Key: { pk: { S: `HOLDER#${key}` }, sk: { S: 'RESULT#lab-1#S-0' } },
      }),
    );
  const check = async (event: APIGatewayProxyEvent) => {
    const response = await verifyModule.handler(event, lambdaContext());
    if (response.statusCode !== 200 || !response.body.includes('"VALID"')) {
      throw new Error(`verify answered ${response.statusCode} ${response.body}`);
    }
  };
  const latency = await quietly(async () => {
    for (let i = 0; i < settings.warmup; i += 1) {
      await check(scanEvent);
      await check(manualEvent);
      await rawQuery();
      await rawGetItem();
    }
    const scan: number[] = [];
    const manual: number[] = [];
    const raw: number[] = [];
    const get: number[] = [];
    const cpu = { scan: 0, manual: 0, raw: 0, get: 0 };
    const cpuOf = async (path: keyof typeof cpu, samples: number[], fn: () => Promise<unknown>) => {
      const before = process.cpuUsage();
      samples.push(await timed(fn));
      const used = process.cpuUsage(before);
      cpu[path] += (used.user + used.system) / 1000;
    };
    const paths = [
      () => cpuOf('scan', scan, () => check(scanEvent)),
      () => cpuOf('raw', raw, rawQuery),
      () => cpuOf('manual', manual, () => check(manualEvent)),
      () => cpuOf('get', get, rawGetItem),
    ];
    // The order rotates each iteration, so no path always runs right after the same other one (and
    // inherits its garbage or its warm caches).
    for (let i = 0; i < settings.iterations; i += 1) {
      for (let j = 0; j < paths.length; j += 1) await paths[(i + j) % paths.length]?.();
    }
    return { scan, manual, raw, get, cpu };
  });
  const p = (samples: number[], cpuMs: number) => ({
    p50: round(percentile(samples, 50), 3),
    p99: round(percentile(samples, 99), 3),
    /** Client-side CPU per request in this process (dynalite runs in its own process). */
    cpuPerRequestMs: round(cpuMs / settings.iterations, 3),
  });
  return {
    scan: p(latency.scan, latency.cpu.scan),
    manual: p(latency.manual, latency.cpu.manual),
    raw: p(latency.raw, latency.cpu.raw),
    rawGetItem: p(latency.get, latency.cpu.get),
  };
};
