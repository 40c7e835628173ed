/**
 * (d) verify over HTTP on the local stack (gateway, cached authorizer, limits off) against the floor of
 * any HTTP API backed by DynamoDB: one HTTP round trip to `/v1/health` plus one raw GetItem on the same
 * dynalite, measured interleaved in one run. Verify's own work (a Query of the holder's partition) is
 * inside the ratio, as is the gateway's per-request cost; the authorizer's registry read is not, after
 * the first request, because the gateway caches it as API Gateway does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { makeRegistryTable } from '../functions/adapters/registry-table.js';
import { makeRegistryCommands } from '../functions/domain/registry.js';
import { LOCAL_AWS, LOCAL_NAMES, localDynamoClient } from '../local/emulators.js';
import { startLocalStack } from '../local/stack.js';
import { percentile, round } from './stats.js';

export interface GatewayVerifyFigures {
  readonly verify: { readonly p50: number; readonly p99: number };
  readonly floor: { readonly p50: number; readonly p99: number };
  readonly ratio: number;
}

export const measureGatewayVerify = async (settings: {
  iterations: number;
  warmup: number;
}): Promise<GatewayVerifyFigures> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'resultgate-bench-gateway-'));
  const stack = await startLocalStack({ port: 0, dataDir, rateLimits: 'off', logLevel: 'ERROR' });
  const client = localDynamoClient(stack.dynamodbEndpoint);
  // The floor's GetItem with a client made as verify's is (cacheMiddleware; the DocumentClient above refuses it).
  const rawClient = new DynamoDBClient({
    ...LOCAL_AWS,
    endpoint: stack.dynamodbEndpoint,
    cacheMiddleware: true,
  });
  try {
    const registry = makeRegistryTable(DynamoDBDocumentClient.from(client), LOCAL_NAMES.registryTable);
    const device = await makeRegistryCommands(registry).addDevice('Chốt bench');
    const body = JSON.stringify({ idType: 'CCCD', idNumber: '022085000123', dateOfBirth: '1985-01-02' });
    const verify = async () => {
      const response = await fetch(`${stack.url}/v1/verify`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${device.credential}`, 'Content-Type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`verify answered ${response.status}`);
    };
    const getItem = new GetItemCommand({
      TableName: LOCAL_NAMES.registryTable,
      Key: { pk: { S: 'ROLE#checkpoint' }, sk: { S: device.id } },
    });
    const floor = async () => {
      const response = await fetch(`${stack.url}/v1/health`);
      await response.arrayBuffer();
      await rawClient.send(getItem);
    };
    const samples = { verify: [] as number[], floor: [] as number[] };
    for (let i = 0; i < settings.warmup + settings.iterations; i += 1) {
      for (const [name, fn] of [
        ['verify', verify],
        ['floor', floor],
      ] as const) {
        const start = performance.now();
        await fn();
        if (i >= settings.warmup) samples[name].push(performance.now() - start);
      }
    }
    const figures = (values: number[]) => ({
      p50: round(percentile(values, 50), 3),
      p99: round(percentile(values, 99), 3),
    });
    const v = figures(samples.verify);
    const f = figures(samples.floor);
    return { verify: v, floor: f, ratio: round(v.p50 / f.p50) };
  } finally {
    client.destroy();
    rawClient.destroy();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

const figuresSchema = z.object({
  verify: z.object({ p50: z.number(), p99: z.number() }),
  floor: z.object({ p50: z.number(), p99: z.number() }),
  ratio: z.number(),
});

/** The same measurement in a fresh `tsx` process, which loads the handler modules as `npm start` does. */
export const measureGatewayVerifyApart = async (settings: {
  iterations: number;
  warmup: number;
}): Promise<GatewayVerifyFigures> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      env: {
        ...process.env,
        BENCH_ITERATIONS: String(settings.iterations),
        BENCH_WARMUP: String(settings.warmup),
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return figuresSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
};

/** `tsx bench/gateway-verify.ts`: this measurement alone; the figures as one JSON line. */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await measureGatewayVerify({
    iterations: Number(process.env.BENCH_ITERATIONS ?? 1_000),
    warmup: Number(process.env.BENCH_WARMUP ?? 200),
  });
  console.log(JSON.stringify(figures));
}
