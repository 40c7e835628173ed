import { startDynalite, startQueues } from '../local/emulators.js';

/**
 * Runs one emulator in its own process, so its CPU work does not share the event loop with the code
 * being measured (a real DynamoDB or SQS is remote too). Prints one JSON line with its address, then
 * serves until the parent closes stdin.
 */
const kind = process.argv[2];

if (kind === 'dynalite') {
  const db = await startDynalite();
  process.stdout.write(`${JSON.stringify({ endpoint: db.endpoint })}\n`);
} else if (kind === 'fauxqs') {
  const queues = await startQueues({ visibilityTimeoutSeconds: 300 });
  process.stdout.write(
    `${JSON.stringify({ endpoint: queues.server.address, queueUrl: queues.resultsQueueUrl })}\n`,
  );
} else {
  throw new Error(`unknown emulator ${kind ?? '(none)'}`);
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
