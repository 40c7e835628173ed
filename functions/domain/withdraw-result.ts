import type { Clock } from '../../contract/clock.js';
import { type SampleStore, voidSample } from './store.js';

export interface WithdrawDeps {
  readonly samples: SampleStore;
  readonly clock: Clock;
}

/**
 * A lab withdraws one of its own stored samples: from the next verify or pass request on, it counts for
 * no verdict (docs/data-model.md, "Withdrawn and revoked results"). Idempotent: withdrawing again keeps
 * the first time and answers true. False when the lab has no such stored sample: not sent, another lab's,
 * or still queued (a withdrawal is not remembered ahead of its result: the lab retries).
 */
export const withdrawResult = async (
  labId: string,
  sampleId: string,
  { samples, clock }: WithdrawDeps,
): Promise<boolean> => {
  const record = await voidSample(
    labId,
    sampleId,
    { kind: 'WITHDRAWN', at: clock.now().toISOString() },
    { samples },
  );
  return record !== undefined;
};
