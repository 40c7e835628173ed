/**
 * `npm run submit -- --file results.csv`: uploads a lab's CSV export. Wiring only; the logic is in
 * cli/submit/. This is the one place that reads `process.env`.
 */
import { main } from '../cli/submit/run.js';

process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
