import type { QueuedResult } from '../schemas/queued-result.js';

/**
 * The stored state of one lab sample: the authority on which version of a result is current. Its
 * holder-side copy (HolderResult) is what a checkpoint reads.
 */
export interface SampleRecord {
  readonly labId: string;
  readonly labName: string;
  readonly sampleId: string;
  readonly holderKey: string;
  readonly keyVersion: number;
  readonly maskedName: string;
  readonly birthYear: number;
  readonly birthDateCheck: string;
  readonly testType: QueuedResult['testType'];
  readonly result: QueuedResult['result'];
  readonly sampledAt: string;
  readonly resultedAt: string;
  readonly storedAt: string;
  readonly contentDigest: string;
  /**
   * Holders this sample was filed under before a correction changed the ID (a mistyped number). Their
   * copies are deleted on every write of the sample, so a crash between two steps cannot leave one behind.
   */
  readonly previousHolderKeys: readonly string[];
  /** Unix seconds after which the item is deleted (DynamoDB TTL): sampledAt plus the retention period. */
  readonly expiresAt: number;
}

/** The port to the results table. Writes are conditional; none of them needs a transaction. */
export interface SampleStore {
  /** A strongly consistent read of the sample's current record. */
  getSample(labId: string, sampleId: string): Promise<SampleRecord | undefined>;
  /**
   * Writes the record if the stored one is still `expected` (undefined: no record yet). Resolves false
   * when another writer changed it first.
   */
  putSample(record: SampleRecord, expected: SampleRecord | undefined): Promise<boolean>;
  /** Writes the holder's copy unless the holder already has a copy with a later resultedAt. */
  putHolderCopy(record: SampleRecord): Promise<void>;
  /** Deletes a holder's copy of the sample unless it has a later resultedAt than `resultedAt`. */
  deleteHolderCopy(holderKey: string, labId: string, sampleId: string, resultedAt: string): Promise<void>;
}

export type StoreOutcome = 'STORED' | 'DUPLICATE' | 'STALE';

export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

export interface StoreDeps {
  readonly samples: SampleStore;
  readonly now: () => Date;
  readonly retentionDays: number;
}

const MAX_ATTEMPTS = 3;

const expiresAt = (sampledAt: string, retentionDays: number): number =>
  Math.floor(Date.parse(sampledAt) / 1000) + retentionDays * 86_400;

/** Makes the holder side agree with the sample record; safe to repeat. */
const syncHolder = async (samples: SampleStore, record: SampleRecord): Promise<void> => {
  await samples.putHolderCopy(record);
  for (const previous of record.previousHolderKeys) {
    await samples.deleteHolderCopy(previous, record.labId, record.sampleId, record.resultedAt);
  }
};

/**
 * Stores one result with the contract's semantics under at-least-once delivery:
 * - an identical resend changes nothing (but repairs the holder copy if an earlier attempt crashed);
 * - a different content is a correction, applied when its resultedAt is not earlier than the stored one;
 * - an older correction is ignored.
 * Every step is idempotent, so a crash anywhere is healed by the redelivery.
 */
export const storeResult = async (message: QueuedResult, deps: StoreDeps): Promise<StoreOutcome> => {
  const { samples } = deps;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const existing = await samples.getSample(message.labId, message.sampleId);
    if (existing && existing.resultedAt > message.resultedAt) return 'STALE';
    if (existing && existing.contentDigest === message.contentDigest) {
      await syncHolder(samples, existing);
      return 'DUPLICATE';
    }
    const previousHolderKeys = existing
      ? [...new Set([...existing.previousHolderKeys, existing.holderKey])].filter(
          (key) => key !== message.holderKey,
        )
      : [];
    const record: SampleRecord = {
      labId: message.labId,
      labName: message.labName,
      sampleId: message.sampleId,
      holderKey: message.holderKey,
      keyVersion: message.keyVersion,
      maskedName: message.maskedName,
      birthYear: message.birthYear,
      birthDateCheck: message.birthDateCheck,
      testType: message.testType,
      result: message.result,
      sampledAt: message.sampledAt,
      resultedAt: message.resultedAt,
      storedAt: deps.now().toISOString(),
      contentDigest: message.contentDigest,
      previousHolderKeys,
      expiresAt: expiresAt(message.sampledAt, deps.retentionDays),
    };
    if (await samples.putSample(record, existing)) {
      await syncHolder(samples, record);
      return 'STORED';
    }
  }
  throw new ConcurrentUpdateError('The sample kept changing while it was being stored; it will be retried.');
};
