/**
 * (b) cold load: the verify handler bundled like the house construct vs a floor bundle (DynamoDB client
 * and one GetItem), each started in fresh `node` processes: import + first request, median of N. Both run
 * with prod's runtime options (lib/stages.ts `sourceMapsAtRuntime`: no source maps decoded at load).
 */
const PROD_NODE_OPTIONS = stages.prod.sourceMapsAtRuntime ? '--enable-source-maps' : '';

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as z from 'zod';
import { projectRoot } from '../lib/paths.js';
import { stages } from '../lib/stages.js';
import { LOCAL_NAMES } from '../local/emulators.js';
import { bundleLikeHouse, heaviestPackages } from './bundle.js';
import { median, percentile, round } from './stats.js';
import { BENCH_DIR, type BenchWorld } from './world.js';

const execFileAsync = promisify(execFile);

export const measureColdLoad = async (
  { work, environment, key, scanEvent }: BenchWorld,
  settings: { readonly coldRuns: number },
) => {
  const verifyBundle = await bundleLikeHouse(
    join(projectRoot, 'functions/handlers/verify-holder.ts'),
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
      {
        env: {
          ...process.env,
          ...environment,
          POWERTOOLS_LOG_LEVEL: 'WARN',
          NODE_OPTIONS: PROD_NODE_OPTIONS,
        },
        cwd: work,
      },
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
  // Each verify run with the floor run after it: how far apart the pairs spread says how much the
  // machine moved during the measurement (the check itself is the ratio of the medians).
  const pairs = (of: (run: z.infer<typeof coldChild>) => number) => {
    const ratios = coldVerify.map((run, i) => of(run) / of(coldFloor[i] ?? run));
    return {
      p25: round(percentile(ratios, 25)),
      median: round(median(ratios)),
      p75: round(percentile(ratios, 75)),
    };
  };
  return {
    /** Ratios of paired runs (import + first request), wall and CPU: their middle half. */
    pairedRatios: { wall: pairs((r) => r.import + r.first), cpu: pairs((r) => r.cpuTotal) },
    verify: { ...summary(coldVerify), bundleBytes: verifyBundle.bytes },
    floor: { ...summary(coldFloor), bundleBytes: floorBundle.bytes },
    /** What verify adds to the floor (the bundled DynamoDB client): its own code and libraries. */
    verifyAboveFloorBytes: verifyBundle.bytes - floorBundle.bytes,
    heaviest: heaviestPackages(verifyBundle.metafile, 12),
  };
};
