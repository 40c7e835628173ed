/**
 * `npm run bench`: how much the verify and ingest paths cost over the bare AWS SDK call they wrap.
 *
 * (a) verify latency: the verify handler in-process against dynalite vs a raw Query of the same partition
 *     on the same dynalite, interleaved, after a warm-up; p50 and p99 of both. The ratio is taken to the
 *     Query because that is verify's one round trip (a holder has several results, read together); a raw
 *     GetItem of one of them is measured alongside for reference.
 * (b) cold load: the verify handler bundled like the house construct vs a floor bundle (DynamoDB client
 *     and one GetItem), each started in fresh `node` processes: import + first request, median of N.
 * (c) ingest throughput: the submit-results handler vs raw SendMessageBatch of the same messages, both
 *     into the local stack's queue (fauxqs behind the journaling endpoint, which fsyncs every send before
 *     answering), batch by batch in turn; the ratio is the median of the per-batch ratios, which a busy
 *     machine disturbs less than the totals.
 * (d) verify over HTTP through the local gateway vs a health round trip plus a GetItem (gateway-verify.ts).
 *
 * What it does not cover: the bench runs the local configuration (PEPPER in the environment), so the
 * cloud's one cold-start read of the pepper from Secrets Manager (a network round trip) is not in (b); the
 * Secrets Manager client is still imported and constructed, as in the cloud. The signing public keys come
 * from SIGNING_PUBLIC_KEYS in both, as they do in the cloud.
 *
 * The emulators run in child processes (a real DynamoDB or SQS is remote too). Wall-clock figures suffer
 * when the machine is busy, so each part also reports CPU time of the measured process (client-side CPU
 * per request; CPU of a cold start), which is steadier. Prints a table and writes bench/results.json.
 * Not part of `npm test`: timings depend on the machine. BENCH_ITERATIONS, BENCH_WARMUP, BENCH_COLD_RUNS
 * and BENCH_INGEST_BATCHES shorten a run.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { defaultRuleSet } from '../contract/rules.js';
import { hours } from '../contract/verdict.js';
import {
  HOLDER_PROJECTION,
  HOLDER_PROJECTION_NAMES,
  makeHolderResults,
} from '../functions/adapters/holder-results.js';
import { buildJwks, publicKeyEntryFromPem } from '../functions/adapters/public-keys.js';
import { makeResultsTable } from '../functions/adapters/results-table.js';
import { generateSigningKeyPem, localSignerFromFile } from '../functions/adapters/signer.js';
import { makeSubmitResults } from '../functions/domain/ingest.js';
import { makeIssuePass } from '../functions/domain/passes.js';
import { holderKey, type Pepper } from '../functions/domain/pseudonym.js';
import { storeResult } from '../functions/domain/store.js';
import type { QueuedResult } from '../functions/schemas/queued-result.js';
import {
  ensureTables,
  LOCAL_AWS,
  LOCAL_NAMES,
  localDynamoClient,
  localSqsClient,
} from '../local/emulators.js';
import { bundleLikeHouse, heaviestPackages } from './bundle.js';
import { apiEvent, lambdaContext } from './events.js';
import { measureGatewayVerifyApart } from './gateway-verify.js';
import { type Check, median, met, percentile, printTable, round } from './stats.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const execFileAsync = promisify(execFile);

const settings = {
  warmup: Number(process.env.BENCH_WARMUP ?? 300),
  iterations: Number(process.env.BENCH_ITERATIONS ?? 2_000),
  coldRuns: Number(process.env.BENCH_COLD_RUNS ?? 15),
  ingestBatches: Number(process.env.BENCH_INGEST_BATCHES ?? 12),
  batchSize: 500,
};

const targets = { verifyRatio: 1.2, coldRatio: 1.3, bundleBytes: 300 * 1024 };

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const emulatorLine = z.object({ endpoint: z.string(), queueUrl: z.string().optional() });

/** Starts an emulator in a child process and waits for its address. */
const startEmulator = async (kind: 'dynalite' | 'fauxqs') => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(BENCH_DIR, 'emulator-child.ts'), kind],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  if (!child.stdout) throw new Error('emulator has no stdout');
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { ...emulatorLine.parse(JSON.parse(first)), stop: () => child.stdin?.end() };
};

const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/** Powertools writes a log line (and EMF) per request; swallow stdout while measuring, keep the cost. */
const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

const identity = { idType: 'CCCD', idNumber: '001190012345', dateOfBirth: '1990-05-17' } as const;
const checkpoint = { principalId: 'device-1', role: 'checkpoint', name: 'Chốt Km 18' };
const lab = { principalId: 'lab-1', role: 'lab', name: 'CDC Quảng Ninh', testTypes: 'RT_PCR,RAPID_ANTIGEN' };

const main = async () => {
  const work = await mkdtemp(join(tmpdir(), 'resultgate-bench-'));
  const db = await startEmulator('dynalite');
  const queues = await startEmulator('fauxqs');
  const pepperHex = randomBytes(32).toString('hex');
  const signingKeyFile = join(work, 'signing-key.pem');
  const signingKeyPem = generateSigningKeyPem();
  await writeFile(signingKeyFile, signingKeyPem, { mode: 0o600 });
  const environment = {
    STAGE: 'local',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: queues.endpoint,
    RESULTS_TABLE: LOCAL_NAMES.resultsTable,
    REGISTRY_TABLE: LOCAL_NAMES.registryTable,
    RESULTS_QUEUE_URL: queues.queueUrl ?? '',
    PEPPER: pepperHex,
    SIGNING_KEY_FILE: signingKeyFile,
    SIGNING_PUBLIC_KEYS: JSON.stringify(buildJwks([publicKeyEntryFromPem(signingKeyPem)])),
    POWERTOOLS_SERVICE_NAME: 'resultgate',
    POWERTOOLS_METRICS_NAMESPACE: 'ResultGate',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, environment);

  try {
    const dynamoClient = localDynamoClient(db.endpoint);
    await ensureTables(dynamoClient);

    // A holder with a valid negative and two older results: a typical partition.
    const pepper: Pepper = { secret: Buffer.from(pepperHex, 'hex'), version: 1 };
    const key = holderKey(pepper, identity.idType, identity.idNumber);
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const table = makeResultsTable(DynamoDBDocumentClient.from(dynamoClient), LOCAL_NAMES.resultsTable);
    const now = Date.now();
    const lab1 = { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] as const };
    const store = makeSubmitResults({
      rules: { clock: { now: () => new Date() }, retentionDays: 30 },
      pepper: async () => pepper,
      queue: {
        send: async (messages) => {
          for (const message of messages) {
            await storeResult(message, { samples: table, now: () => new Date(), retentionDays: 30 });
          }
        },
      },
    });
    await store(
      {
        results: (
          [
            ['NEGATIVE', 6],
            ['NEGATIVE', 200],
            ['POSITIVE', 400],
          ] as const
        ).map(([result, ageHours], i) => ({
          sampleId: `S-${i}`,
          citizen: { ...identity, fullName: 'Nguyễn Thị Ánh' },
          testType: 'RT_PCR',
          result,
          sampledAt: new Date(now - hours(ageHours)).toISOString(),
          resultedAt: new Date(now - hours(ageHours - 1)).toISOString(),
        })),
      },
      lab1,
    );
    const { qr } = await makeIssuePass({
      pepper: async () => pepper,
      holders: makeHolderResults(dynamoClient, LOCAL_NAMES.resultsTable),
      signer: () => localSignerFromFile(signingKeyFile),
      clock: { now: () => new Date() },
      rule: async () => defaultRuleSet({ RT_PCR: 72, RAPID_ANTIGEN: 48 }),
      lifetimeSeconds: 7 * 86_400,
    })(identity);

    // (a) verify latency
    const verifyModule: { handler: ApiHandler } = await import(
      pathToFileURL(join(ROOT, 'functions/handlers/verify-holder.ts')).href
    );
    const scanEvent = apiEvent('POST', '/v1/verify', { qr }, checkpoint);
    const manualEvent = apiEvent('POST', '/v1/verify', identity, checkpoint);
    // The raw side sends exactly the request the verify function sends (same projection), so both make
    // dynalite do the same work and move the same bytes; only the client-side work differs.
    const rawQuery = () =>
      dynamoClient.send(
        new QueryCommand({
          TableName: LOCAL_NAMES.resultsTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `HOLDER#${key}` } },
          ProjectionExpression: HOLDER_PROJECTION,
          ExpressionAttributeNames: HOLDER_PROJECTION_NAMES,
        }),
      );
    const rawGetItem = () =>
      dynamoClient.send(
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
    const verify = {
      scan: p(latency.scan, latency.cpu.scan),
      manual: p(latency.manual, latency.cpu.manual),
      raw: p(latency.raw, latency.cpu.raw),
      rawGetItem: p(latency.get, latency.cpu.get),
    };

    // (b) cold load
    const verifyBundle = await bundleLikeHouse(
      join(ROOT, 'functions/handlers/verify-holder.ts'),
      join(work, 'verify', 'index.mjs'),
    );
    const floorBundle = await bundleLikeHouse(
      join(BENCH_DIR, 'floor-handler.ts'),
      join(work, 'floor', 'index.mjs'),
    );
    const floorEvent = { table: LOCAL_NAMES.resultsTable, pk: `HOLDER#${key}`, sk: 'RESULT#lab-1#S-0' };
    const coldChild = z.object({
      boot: z.number(),
      import: z.number(),
      first: z.number(),
      cpuImport: z.number(),
      cpuTotal: z.number(),
      status: z.number(),
    });
    const coldRun = async (bundle: string, event: unknown) => {
      const { stdout } = await execFileAsync(
        process.execPath,
        [join(BENCH_DIR, 'cold-child.mjs'), bundle, JSON.stringify(event)],
        { env: { ...process.env, ...environment, POWERTOOLS_LOG_LEVEL: 'WARN' }, cwd: work },
      );
      const line = stdout.trim().split('\n').at(-1) ?? '';
      const parsed = coldChild.parse(JSON.parse(line));
      if (parsed.status !== 200) throw new Error(`cold run answered ${parsed.status}`);
      return parsed;
    };
    const coldVerify: z.infer<typeof coldChild>[] = [];
    const coldFloor: z.infer<typeof coldChild>[] = [];
    await coldRun(verifyBundle.file, scanEvent);
    await coldRun(floorBundle.file, floorEvent);
    for (let i = 0; i < settings.coldRuns; i += 1) {
      coldVerify.push(await coldRun(verifyBundle.file, scanEvent));
      coldFloor.push(await coldRun(floorBundle.file, floorEvent));
    }
    const summary = (runs: z.infer<typeof coldChild>[]) => ({
      importMs: round(median(runs.map((r) => r.import))),
      firstRequestMs: round(median(runs.map((r) => r.first))),
      importAndFirstMs: round(median(runs.map((r) => r.import + r.first))),
      sinceProcessStartMs: round(median(runs.map((r) => r.boot + r.import + r.first))),
      cpuImportMs: round(median(runs.map((r) => r.cpuImport))),
      cpuImportAndFirstMs: round(median(runs.map((r) => r.cpuTotal))),
    });
    const cold = {
      verify: { ...summary(coldVerify), bundleBytes: verifyBundle.bytes },
      floor: { ...summary(coldFloor), bundleBytes: floorBundle.bytes },
      /** What verify adds to the floor (the bundled DynamoDB client): its own code and libraries. */
      verifyAboveFloorBytes: verifyBundle.bytes - floorBundle.bytes,
      heaviest: heaviestPackages(verifyBundle.metafile, 12),
    };

    // (c) ingest throughput
    const submitModule: { handler: ApiHandler } = await import(
      pathToFileURL(join(ROOT, 'functions/handlers/submit-results.ts')).href
    );
    const batches = Array.from({ length: settings.ingestBatches + 2 }, (_, b) => ({
      results: Array.from({ length: settings.batchSize }, (_, i) => {
        const n = b * settings.batchSize + i;
        return {
          sampleId: `B${b}-S${i}`,
          citizen: {
            idType: 'PASSPORT',
            idNumber: `C${String(n).padStart(8, '0')}`,
            fullName: 'Nguyễn Thị Ánh',
            dateOfBirth: '1990-05-17',
          },
          testType: 'RT_PCR',
          result: 'NEGATIVE',
          sampledAt: new Date(now - hours(2)).toISOString(),
          resultedAt: new Date(now - hours(1)).toISOString(),
        };
      }),
    }));
    const captured: QueuedResult[][] = [];
    const capture = makeSubmitResults({
      rules: { clock: { now: () => new Date() }, retentionDays: 30 },
      pepper: async () => pepper,
      queue: { send: async (messages) => void captured.push([...messages]) },
    });
    for (const batch of batches) {
      await capture(batch, { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] });
    }
    const sqs = localSqsClient(queues.endpoint);
    const rawSend = (messages: readonly QueuedResult[]) =>
      Promise.all(
        Array.from({ length: Math.ceil(messages.length / 10) }, (_, c) =>
          sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queues.queueUrl,
              Entries: messages
                .slice(c * 10, c * 10 + 10)
                .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
            }),
          ),
        ),
      );
    const submit = async (batch: unknown) => {
      const response = await submitModule.handler(
        apiEvent('POST', '/v1/results', batch, lab),
        lambdaContext(),
      );
      if (response.statusCode !== 202) throw new Error(`submit answered ${response.statusCode}`);
    };
    const ingest = await quietly(async () => {
      await submit(batches[0]);
      await rawSend(captured[0] ?? []);
      await submit(batches[1]);
      await rawSend(captured[1] ?? []);
      let handlerMs = 0;
      let rawMs = 0;
      const ratios: number[] = [];
      for (let b = 2; b < batches.length; b += 1) {
        const handlerBatchMs = await timed(() => submit(batches[b]));
        const rawBatchMs = await timed(() => rawSend(captured[b] ?? []));
        handlerMs += handlerBatchMs;
        rawMs += rawBatchMs;
        ratios.push(rawBatchMs / handlerBatchMs);
      }
      const count = settings.ingestBatches * settings.batchSize;
      return {
        handlerPerSecond: round((count / handlerMs) * 1000, 0),
        rawPerSecond: round((count / rawMs) * 1000, 0),
        /** Handler throughput over raw, median of the batch pairs. */
        ratio: round(median(ratios)),
      };
    });

    // (d) last: the local stack sets its own environment in this process.
    // In a process of its own: the handler modules this process already loaded for (a) hold clients
    // pointed at the bench's own dynalite, and the local stack must load them fresh, as `npm start` does.
    const gatewayVerify = await measureGatewayVerifyApart(settings);

    // Report
    const verifyRatio = round(verify.scan.p50 / verify.raw.p50);
    const manualRatio = round(verify.manual.p50 / verify.raw.p50);
    const coldRatio = round(cold.verify.importAndFirstMs / cold.floor.importAndFirstMs);
    const coldCpuRatio = round(cold.verify.cpuImportAndFirstMs / cold.floor.cpuImportAndFirstMs);
    const checks: Check[] = [
      {
        name: 'verify (scan) p50 / raw Query p50',
        measured: verifyRatio,
        target: targets.verifyRatio,
        kind: 'max',
        unit: '×',
      },
      {
        name: 'verify (manual) p50 / raw Query p50',
        measured: manualRatio,
        target: targets.verifyRatio,
        kind: 'max',
        unit: '×',
      },
      {
        name: 'cold load verify / floor (wall)',
        measured: coldRatio,
        target: targets.coldRatio,
        kind: 'max',
        unit: '×',
      },
      {
        name: 'cold load verify / floor (CPU)',
        measured: coldCpuRatio,
        target: targets.coldRatio,
        kind: 'max',
        unit: '×',
      },
      {
        name: 'verify over the local gateway p50 / (health round trip + GetItem) p50',
        measured: gatewayVerify.ratio,
        target: 1.5,
        kind: 'max',
        unit: '×',
      },
      {
        name: `verify bundle (KB, minified; verify − floor: ${round(cold.verifyAboveFloorBytes / 1024, 1)} KB)`,
        measured: round(cold.verify.bundleBytes / 1024, 1),
        target: 300,
        kind: 'below',
        unit: 'KB',
      },
    ];

    printTable(
      `(a) verify latency, ms (${settings.iterations} interleaved iterations after ${settings.warmup} warm-up)`,
      ['path', 'p50', 'p99', 'p50 ratio to raw', 'client CPU per request'],
      (
        [
          ['verify handler, scanned pass', verify.scan, verifyRatio],
          ['verify handler, manual entry', verify.manual, manualRatio],
          ['raw Query (same partition)', verify.raw, 1],
          [
            'raw GetItem (one item, reference)',
            verify.rawGetItem,
            round(verify.rawGetItem.p50 / verify.raw.p50),
          ],
        ] as const
      ).map(([name, figures, ratio]) => [
        name,
        String(figures.p50),
        String(figures.p99),
        String(ratio),
        String(figures.cpuPerRequestMs),
      ]),
    );
    printTable(
      `(b) cold load, median of ${settings.coldRuns} fresh node processes, ms`,
      [
        'bundle',
        'KB',
        'import',
        'first request',
        'import + first',
        'since process start',
        'CPU import',
        'CPU import + first',
      ],
      (['verify', 'floor'] as const).map((name) => [
        name,
        String(round(cold[name].bundleBytes / 1024, 1)),
        String(cold[name].importMs),
        String(cold[name].firstRequestMs),
        String(cold[name].importAndFirstMs),
        String(cold[name].sinceProcessStartMs),
        String(cold[name].cpuImportMs),
        String(cold[name].cpuImportAndFirstMs),
      ]),
    );
    console.log(
      `verify − floor: ${round(cold.verifyAboveFloorBytes / 1024, 1)} KB ` +
        `(the floor alone is ${round(cold.floor.bundleBytes / 1024, 1)} KB: the AWS SDK is bundled)`,
    );
    printTable(
      'verify bundle: heaviest packages',
      ['package', 'KB'],
      cold.heaviest.map(({ name, bytes }) => [name, String(round(bytes / 1024, 1))]),
    );
    printTable(
      `(c) ingest throughput, ${settings.ingestBatches} batches of ${settings.batchSize}`,
      ['path', 'results/s'],
      [
        ['submit-results handler → journaled local queue', String(ingest.handlerPerSecond)],
        ['raw SendMessageBatch → journaled local queue', String(ingest.rawPerSecond)],
        ['handler / raw (median of batch pairs)', String(ingest.ratio)],
      ],
    );
    printTable(
      `(d) verify over HTTP through the local gateway, ms (${settings.iterations} interleaved iterations)`,
      ['path', 'p50', 'p99', 'p50 ratio to floor'],
      [
        [
          'POST /v1/verify (cached authorizer, limits off)',
          String(gatewayVerify.verify.p50),
          String(gatewayVerify.verify.p99),
          String(gatewayVerify.ratio),
        ],
        [
          'GET /v1/health + raw GetItem (floor)',
          String(gatewayVerify.floor.p50),
          String(gatewayVerify.floor.p99),
          '1',
        ],
      ],
    );
    printTable(
      'targets',
      ['check', 'measured', 'target', 'met'],
      checks.map((c) => [
        c.name,
        `${c.measured} ${c.unit}`,
        `${c.kind === 'max' ? '≤' : '<'} ${c.target} ${c.unit}`,
        met(c) ? 'yes' : 'NO',
      ]),
    );

    const { loadavg, cpus } = await import('node:os');
    const results = {
      measuredAt: new Date().toISOString(),
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        loadAverageAtEnd: loadavg().map((value) => round(value)),
      },
      settings,
      verify,
      cold,
      ingest,
      gatewayVerify,
      checks: checks.map((c) => ({ ...c, met: met(c) })),
    };
    await writeFile(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${join('bench', 'results.json')}`);
  } finally {
    db.stop();
    queues.stop();
    await rm(work, { recursive: true, force: true });
  }
};

await main();
