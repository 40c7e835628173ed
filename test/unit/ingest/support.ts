import type { Clock } from '../../../contract/clock.js';
import { makeSubmitResults, type SubmittingLab } from '../../../functions/domain/ingest.js';
import type { Pepper } from '../../../functions/domain/pseudonym.js';
import type { QueuedResult } from '../../../functions/schemas/queued-result.js';

/** The fixed "now" of the rule tests. */
export const NOW = new Date('2024-06-01T00:00:00.000Z');
export const RETENTION_DAYS = 30;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export const fixedClock = (at: Date = NOW): Clock => ({ now: () => at });

export const iso = (ms: number): string => new Date(ms).toISOString();

export const pepper: Pepper = { secret: Buffer.alloc(32, 9), version: 1 };

export const lab: SubmittingLab = {
  id: 'lab_1',
  name: 'CDC Quảng Ninh',
  testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
};

/** The queue port over an array: what was "durably queued". */
export const memoryQueue = () => {
  const sent: QueuedResult[] = [];
  return {
    sent,
    port: {
      send: async (messages: readonly QueuedResult[]) => {
        sent.push(...messages);
      },
    },
  };
};

/** The domain's submit function with a fake clock, a fixed pepper and an in-memory queue. */
export const ingestion = (clock: Clock = fixedClock()) => {
  const queue = memoryQueue();
  const submit = makeSubmitResults({
    rules: { clock, retentionDays: RETENTION_DAYS },
    pepper: async () => pepper,
    queue: queue.port,
  });
  return { submit, queued: queue.sent };
};
