import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDurableQueues } from '../local/durable-queues.js';
import { startDynalite } from '../local/emulators.js';

/**
 * Runs one emulator in its own process, so its CPU work does not share the event loop with the code
 * being measured (a real DynamoDB or SQS is remote too). Prints one JSON line with its address, then
 * serves until the parent closes stdin. The queue is the local stack's: fauxqs behind the journaling
 * endpoint (every send fsynced before it is answered), so ingest is measured as `npm start` runs it.
 */
const kind = process.argv[2];
let cleanup: () => Promise<void> = async () => undefined;

if (kind === 'dynalite') {
  const db = await startDynalite();
  process.stdout.write(`${JSON.stringify({ endpoint: db.endpoint })}\n`);
} else if (kind === 'fauxqs') {
  const dir = await mkdtemp(join(tmpdir(), 'resultgate-bench-queues-'));
  const queues = await startDurableQueues({
    journalPath: join(dir, 'queue-journal.ndjson'),
    visibilityTimeoutSeconds: 300,
  });
  cleanup = async () => {
    await queues.stop();
    await rm(dir, { recursive: true, force: true });
  };
  process.stdout.write(
    `${JSON.stringify({ endpoint: queues.endpoint, queueUrl: queues.resultsQueueUrl })}\n`,
  );
} else {
  throw new Error(`unknown emulator ${kind ?? '(none)'}`);
}
process.stdin.resume();
process.stdin.on('end', () => {
  cleanup().finally(() => process.exit(0));
});
