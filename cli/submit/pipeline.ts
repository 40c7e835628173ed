import { BatchBuilder, type BatchLimits, type Entry, toEntry } from './batching.js';
import type { CsvRow } from './csv.js';
import type { EntryOutcome } from './deliver.js';
import type { ReportBuilder } from './report.js';

export interface PipelineDeps {
  readonly limits: BatchLimits;
  /** Delivers one batch, calling `record` with each row's outcome; resolves when all have one. */
  readonly deliver: (entries: readonly Entry[], record: (outcome: EntryOutcome) => void) => Promise<void>;
  readonly report: ReportBuilder;
  /** Called after each batch delivered. */
  readonly onProgress?: () => void;
}

/**
 * Reads rows, groups them into batches and delivers each batch before pulling the next rows. Because the
 * delivery is awaited inside the loop, the parser (and the file under it) is paused meanwhile: memory holds
 * one batch and the report, whatever the size of the file.
 */
export const submitRows = async (rows: AsyncIterable<CsvRow>, deps: PipelineDeps): Promise<void> => {
  const { report } = deps;
  const builder = new BatchBuilder(deps.limits);
  const send = async (batch: readonly Entry[]): Promise<void> => {
    report.sending(batch);
    await deps.deliver(batch, (outcome) => report.record(outcome));
    deps.onProgress?.();
  };

  for await (const row of rows) {
    report.rowRead(row.bytesRead);
    if (row.kind === 'unusable') {
      report.rejectUnsent(row.line, row.sampleId, row.errors);
      continue;
    }
    report.queued(row.line);
    const batch = builder.add(toEntry(row.line, row.result));
    if (batch !== undefined) await send(batch);
  }
  const last = builder.flush();
  if (last !== undefined) await send(last);
};
