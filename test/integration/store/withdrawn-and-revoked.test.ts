import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../contract/clock.js';
import { makeHolderResults } from '../../../functions/adapters/holder-results.js';
import { makeRegistryTable } from '../../../functions/adapters/registry-table.js';
import { makeResultsTable } from '../../../functions/adapters/results-table.js';
import { makeRevocationsTable } from '../../../functions/adapters/revocations-table.js';
import { makeRegistryCommands } from '../../../functions/domain/registry.js';
import { revokeResults } from '../../../functions/domain/revocations.js';
import { storeResult } from '../../../functions/domain/store.js';
import { withdrawResult } from '../../../functions/domain/withdraw-result.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { aSubmission, holderOf, later, plusMinutes, queued, type Submission } from './support/messages.js';

/**
 * The withdrawn and revoked marks against dynalite: the real adapters' conditions keep a mark through
 * corrections and late writes, the checkpoint's one Query leaves marked results out, and `results revoke`
 * finds a lab's samples by sampling time. Each test uses its own lab.
 */
let emulators: TestEmulators;
let labCounter = 0;
let lab = '';

beforeAll(async () => {
  emulators = await startTestEmulators();
});
afterAll(async () => {
  await emulators.stop();
});
beforeEach(() => {
  labCounter += 1;
  lab = `lab-marks-${labCounter}`;
});

const NOW = new Date();
const samples = () => makeResultsTable(emulators.dynamo, emulators.names.resultsTable);
const holders = () => makeHolderResults(emulators.dynamoClient, emulators.names.resultsTable);
const submission = (overrides: Partial<Submission> = {}) => aSubmission({ labId: lab, ...overrides }, NOW);
const store = (s: Submission) =>
  storeResult(queued(s), { samples: samples(), clock: systemClock, retentionDays: 30 });

describe('withdrawn and revoked results in the results table', () => {
  it('leaves a withdrawn result out of the holder read, and keeps it out after a later correction', async () => {
    const result = submission();
    await store(result);
    expect(await holders().forHolder(holderOf(result))).toHaveLength(1);

    expect(await withdrawResult(lab, 'S-1', { samples: samples(), clock: systemClock })).toBe(true);
    const afterWithdrawal = await holders().forHolder(holderOf(result));
    const corrected = await store(
      later(result, 10, { result: 'POSITIVE', resultedAt: plusMinutes(result.resultedAt, 5) }),
    );

    expect(afterWithdrawal).toEqual([]);
    expect(corrected.outcome).toBe('CORRECTED');
    expect(corrected.record?.withdrawnAt).toEqual(expect.any(String));
    expect(await holders().forHolder(holderOf(result))).toEqual([]);
    expect(await samples().getStoredSample(lab, 'S-1')).toMatchObject({ result: 'POSITIVE' });
  });

  it('refuses a sample write and a holder-copy write decided on the unmarked record', async () => {
    const result = submission();
    const { record } = await store(result);
    if (record === undefined) throw new Error('not stored');
    await withdrawResult(lab, 'S-1', { samples: samples(), clock: systemClock });

    const sampleWritten = await samples().putSample({ ...record, version: `${record.version}x` }, record);
    await samples().putHolderCopy({ ...record, version: `${record.version}x` });

    expect(sampleWritten).toBe(false);
    expect(await holders().forHolder(holderOf(result))).toEqual([]);
  });

  it('answers false for a sample that is not stored, and writes nothing', async () => {
    expect(await withdrawResult(lab, 'NEVER', { samples: samples(), clock: systemClock })).toBe(false);
    expect(await samples().getStoredSample(lab, 'NEVER')).toBeUndefined();
  });

  it('revokes every result of a lab sampled in the window, and keeps the record', async () => {
    const registry = makeRegistryTable(emulators.dynamo, emulators.names.registryTable);
    const revocations = makeRevocationsTable(emulators.dynamo, emulators.names.registryTable);
    const { id: labId } = await makeRegistryCommands(registry).addLab({
      name: 'CDC Quảng Ninh',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    lab = labId;
    const hour = 3_600_000;
    const early = submission({ sampleId: 'E', sampledAt: new Date(NOW.getTime() - 5 * hour).toISOString() });
    const late = submission({
      sampleId: 'L',
      idNumber: '022090009999',
      sampledAt: new Date(NOW.getTime() - hour).toISOString(),
    });
    await store(early);
    await store(late);

    const outcome = await revokeResults(
      {
        labId,
        reason: 'Giấy xét nghiệm giả',
        revokedBy: 'ops',
        from: new Date(NOW.getTime() - 6 * hour),
        to: new Date(NOW.getTime() - 2 * hour),
      },
      { registry, samples: samples(), revocations, clock: systemClock },
    );

    expect(outcome).toMatchObject({ created: true, found: 1 });
    expect(await holders().forHolder(holderOf(early))).toEqual([]);
    expect(await holders().forHolder(holderOf(late))).toHaveLength(1);
    expect(await revocations.list()).toEqual([
      expect.objectContaining({
        labId,
        scope: 'WINDOW',
        reason: 'Giấy xét nghiệm giả',
        revokedBy: 'ops',
        samples: 1,
      }),
    ]);
  });
});
