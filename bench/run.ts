/**
 * `npm run bench`: how much the verify and ingest paths cost over the bare AWS SDK call they wrap.
 *
 * One file per measurement, each exporting its measure function; this file runs them and reports:
 * (a) verify latency, handler vs raw Query (verify-latency.ts); (b) cold load, verify bundle vs a floor
 * bundle (cold-load.ts); (c) ingest throughput, handler vs raw SendMessageBatch (ingest-throughput.ts);
 * (d) verify over HTTP through the local gateway vs a health round trip plus a GetItem (gateway-verify.ts).
 * The in-process ones share the emulators and a seeded holder (world.ts).
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

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureColdLoad } from './cold-load.js';
import { measureGatewayVerifyApart } from './gateway-verify.js';
import { measureIngestThroughput } from './ingest-throughput.js';
import { type Check, met, printTable, round } from './stats.js';
import { measureVerifyLatency } from './verify-latency.js';
import { BENCH_DIR, startBenchWorld } from './world.js';

const settings = {
  warmup: Number(process.env.BENCH_WARMUP ?? 300),
  iterations: Number(process.env.BENCH_ITERATIONS ?? 2_000),
  coldRuns: Number(process.env.BENCH_COLD_RUNS ?? 31),
  ingestBatches: Number(process.env.BENCH_INGEST_BATCHES ?? 30),
  batchSize: 500,
};

const targets = { verifyRatio: 1.2, coldRatio: 1.3, bundleBytes: 300 * 1024 };

interface Figures {
  readonly verify: Awaited<ReturnType<typeof measureVerifyLatency>>;
  readonly cold: Awaited<ReturnType<typeof measureColdLoad>>;
  readonly ingest: Awaited<ReturnType<typeof measureIngestThroughput>>;
  readonly gatewayVerify: Awaited<ReturnType<typeof measureGatewayVerifyApart>>;
}

/** Prints the tables and the targets, and writes bench/results.json. */
const report = async ({ verify, cold, ingest, gatewayVerify }: Figures) => {
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
  const { wall, cpu } = cold.pairedRatios;
  console.log(
    `paired runs, verify / floor: wall ${wall.median}× (middle half ${wall.p25}–${wall.p75}), ` +
      `CPU ${cpu.median}× (${cpu.p25}–${cpu.p75})`,
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
};

const main = async () => {
  const world = await startBenchWorld();
  try {
    const verify = await measureVerifyLatency(world, settings);
    const cold = await measureColdLoad(world, settings);
    const ingest = await measureIngestThroughput(world, settings);
    // (d) last: the local stack sets its own environment in this process.
    // In a process of its own: the handler modules this process already loaded for (a) hold clients
    // pointed at the bench's own dynalite, and the local stack must load them fresh, as `npm start` does.
    const gatewayVerify = await measureGatewayVerifyApart(settings);
    await report({ verify, cold, ingest, gatewayVerify });
  } finally {
    await world.stop();
  }
};

await main();
