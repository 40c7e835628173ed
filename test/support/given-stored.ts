import { systemClock } from '../../contract/clock.js';
import { makeResultsTable } from '../../functions/adapters/results-table.js';
import { makeSubmitResults } from '../../functions/domain/ingest.js';
import { storeResult } from '../../functions/domain/store.js';
import { TEST_PEPPER, type TestEmulators } from './emulators.js';
import { aResult, type ResultInput } from './fixtures.js';

/** A lab as the ingest domain takes it. */
export interface TestLab {
  readonly id: string;
  readonly name: string;
  readonly testTypes: readonly ('RT_PCR' | 'RAPID_ANTIGEN')[];
}

/**
 * A lab's results normalised by the ingest domain and stored by the store domain, as the queue and the
 * store function would, on the emulators' results table with the test pepper. Answers the submit outcome.
 */
export const storeThroughDomains = (
  emulators: TestEmulators,
  lab: TestLab,
  results: readonly ResultInput[],
) => {
  const samples = makeResultsTable(emulators.dynamo, emulators.names.resultsTable);
  const pepper = { secret: Buffer.from(TEST_PEPPER, 'hex'), version: 1 };
  const submit = makeSubmitResults({
    rules: { clock: systemClock, retentionDays: 30 },
    pepper: async () => pepper,
    queue: {
      send: async (messages) => {
        for (const message of messages)
          await storeResult(message, { samples, clock: systemClock, retentionDays: 30 });
      },
    },
  });
  return submit({ results: results.map((r) => aResult(r)) }, lab);
};
