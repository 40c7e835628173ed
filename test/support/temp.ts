import { mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders for tests. Each is named `resultgate-<run>-<name>-…`, where <run> is this `vitest run`
 * (set by test/support/temp-check.ts), and is removed after the test file that made it by
 * test/support/temp-cleanup.ts. The global teardown then fails the run if any folder of this run is left,
 * which cannot be confused with a folder of another run on the same machine.
 */
export const RUN_PREFIX = `resultgate-${process.env.RESULTGATE_TEST_RUN ?? 'adhoc'}-`;

const made = new Set<string>();

export const makeTempDirSync = (name = 'tmp'): string => {
  const dir = mkdtempSync(join(tmpdir(), `${RUN_PREFIX}${name}-`));
  made.add(dir);
  return dir;
};

export const makeTempDir = async (name = 'tmp'): Promise<string> => makeTempDirSync(name);

/** Removes every folder this test file made (registered for every file in vitest.config.ts). */
export const removeTempDirs = async (): Promise<void> => {
  for (const dir of made) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  made.clear();
};

/** This run's folders still in the temp dir. */
export const leftoverTempDirs = (runPrefix: string): string[] =>
  readdirSync(tmpdir()).filter((name) => name.startsWith(runPrefix));
