import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { leftoverTempDirs } from './temp.js';

/**
 * vitest globalSetup: tags this run's temporary folders with an id (the workers inherit the variable)
 * and, once every worker has finished, fails the run if any of them is still there.
 */
export default function setup() {
  const run = randomBytes(4).toString('hex');
  process.env.RESULTGATE_TEST_RUN = run;
  const prefix = `resultgate-${run}-`;
  return () => {
    const left = leftoverTempDirs(prefix);
    if (left.length > 0) {
      // A throw here is only printed ("error during close"); the exit code is what fails CI.
      process.exitCode = 1;
      console.error(
        `\nFAIL: tests left ${left.length} temporary folder(s) in ${tmpdir()}: ${left.join(', ')}. ` +
          'Make them with makeTempDir (test/support/temp.ts), which removes them after the file.\n',
      );
    }
  };
}
