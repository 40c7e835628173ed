/**
 * (c) ingest throughput: the submit-results handler vs raw SendMessageBatch of the same messages, both
 * into the local stack's queue (fauxqs behind the journaling endpoint, which fsyncs every send before
 * answering), batch by batch in turn; the ratio is the median of the per-batch ratios, which a busy
 * machine disturbs less than the totals.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { hours } from '../contract/verdict.js';
import { makeSubmitResults } from '../functions/domain/ingest.js';
import type { QueuedResult } from '../functions/schemas/queued-result.js';
import { projectRoot } from '../lib/paths.js';
import { localSqsClient } from '../local/emulators.js';
import { type ApiHandler, apiEvent, lambdaContext } from './events.js';
import { median, round } from './stats.js';
import { quietly, timed } from './timing.js';
import { type BenchWorld, lab } from './world.js';

export const measureIngestThroughput = async (
  { pepper, now, sqsEndpoint, queueUrl }: BenchWorld,
  settings: { readonly ingestBatches: number; readonly batchSize: number },
) => {
  const submitModule: { handler: ApiHandler } = await import(
    pathToFileURL(join(projectRoot, 'functions/handlers/submit-results.ts')).href
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
  const sqs = localSqsClient(sqsEndpoint);
  const rawSend = (messages: readonly QueuedResult[]) =>
    Promise.all(
      Array.from({ length: Math.ceil(messages.length / 10) }, (_, c) =>
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages
              .slice(c * 10, c * 10 + 10)
              .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
          }),
        ),
      ),
    );
  const submit = async (batch: unknown) => {
    const response = await submitModule.handler(apiEvent('POST', '/v1/results', batch, lab), lambdaContext());
    if (response.statusCode !== 202) throw new Error(`submit answered ${response.statusCode}`);
  };
  return quietly(async () => {
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
};
