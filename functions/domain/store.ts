import type { Clock } from '../../contract/clock.js';
import type { QueuedResult } from '../schemas/queued-result.js';

/**
 * The stored state of one lab sample: the authority on which version of a result is current. Its
 * holder-side copy (HolderResult plus `version`) is what a checkpoint reads. docs/data-model.md
 * describes every attribute.
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
  /** When the current content was first stored; an identical resend leaves it, a correction sets it. */
  readonly storedAt: string;
  readonly contentDigest: string;
  /**
   * The order of versions of one sample: `resultedAt|receivedAt|contentDigest`, all fixed-width, so text
   * order is version order. A later resultedAt wins; on an equal resultedAt the later submission wins
   * (the contract's "not earlier"), so a late redelivery of an earlier submission cannot undo it.
   */
  readonly version: string;
  /**
   * Holders this sample was filed under before a correction changed the ID (a mistyped number). Their
   * copies are replaced by tombstones on every sync of the sample, so a crash between two steps, or a late
   * writer of an older version, cannot leave one behind.
   */
  readonly previousHolderKeys: readonly string[];
  /** Unix seconds after which the item is deleted (DynamoDB TTL): sampledAt plus the retention period. */
  readonly expiresAt: number;
  /** Set when the lab withdrew the sample (DELETE /v1/results/{sampleId}); never cleared. */
  readonly withdrawnAt?: string;
  /** Set when an operator revoked it (`results revoke`), with the revocation record's id; never cleared. */
  readonly revokedAt?: string;
  readonly revocationId?: string;
}

/**
 * What takes a sample out of every verdict: the lab's withdrawal or an operator's revocation. A mark is
 * set once (a repeat keeps the first time) and survives every later version of the sample.
 */
export type VoidMark =
  | { readonly kind: 'WITHDRAWN'; readonly at: string }
  | { readonly kind: 'REVOKED'; readonly at: string; readonly revocationId: string };

/** The marks of a record, to carry over to its next version: a correction never clears them. */
export const marksOf = (
  record: SampleRecord | undefined,
): Pick<SampleRecord, 'withdrawnAt' | 'revokedAt' | 'revocationId'> => ({
  ...(record?.withdrawnAt === undefined ? {} : { withdrawnAt: record.withdrawnAt }),
  ...(record?.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
  ...(record?.revocationId === undefined ? {} : { revocationId: record.revocationId }),
});

/** Whether a sample no longer counts for any verdict. */
export const isVoided = (record: Pick<SampleRecord, 'withdrawnAt' | 'revokedAt'>): boolean =>
  record.withdrawnAt !== undefined || record.revokedAt !== undefined;

/**
 * The port to the results table. Writes are conditional; none of them needs a transaction. Every item of a
 * sample (the sample item, the holder copy, the tombstones under earlier holders) carries a version and is
 * only ever replaced by a later or equal version, so each one ends at the latest version written to it,
 * whatever the order and number of the writes.
 */
export interface SampleStore {
  /** A strongly consistent read of the sample's current record. */
  getSample(labId: string, sampleId: string): Promise<SampleRecord | undefined>;
  /**
   * Writes the record if the stored one is still `expected` (same version and the same marks; undefined:
   * no record yet). Resolves false when another writer changed it first, a withdrawal or revocation
   * included, so a correction decided on an unmarked record is decided again and keeps the mark.
   */
  putSample(record: SampleRecord, expected: SampleRecord | undefined): Promise<boolean>;
  /**
   * Writes the holder's copy unless the holder's item for the sample is of a later version, or is marked
   * (withdrawn, revoked) where the record is not: a copy written from an unmarked record that lost the
   * race with a withdrawal never clears the mark.
   */
  putHolderCopy(record: SampleRecord): Promise<void>;
  /**
   * Replaces the copy under an earlier holder (`holderKey`) with a tombstone of the record's version,
   * unless that item is of a later version. A tombstone is not a result (verify never sees it); it stays
   * so that a late write of an older version to that holder is refused instead of bringing the copy back.
   */
  putHolderTombstone(holderKey: string, record: SampleRecord): Promise<void>;
  /**
   * Sets the mark on the sample item (a mark already there is kept: the first time stays) and answers the
   * record as it now stands; undefined when no such sample is stored.
   */
  markSample(labId: string, sampleId: string, mark: VoidMark): Promise<SampleRecord | undefined>;
}

/**
 * - STORED: first version of the sample; CORRECTED: a correction replaced the stored version;
 * - DUPLICATE: the same content is already stored (nothing visible changes);
 * - STALE: a later version is stored, this one is ignored;
 * - EXPIRED: sampled longer ago than the retention period (a late redelivery), not stored.
 */
export type StoreOutcome = 'STORED' | 'CORRECTED' | 'DUPLICATE' | 'STALE' | 'EXPIRED';

export interface Stored {
  readonly outcome: StoreOutcome;
  /** The sample's record as this message left it (or found it); undefined only when EXPIRED. */
  readonly record: SampleRecord | undefined;
}

export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

export interface StoreDeps {
  readonly samples: SampleStore;
  readonly clock: Clock;
  readonly retentionDays: number;
}

/** Optimistic attempts before the message is given back to the queue (each loss means another writer won). */
const MAX_ATTEMPTS = 5;
const utc = (timestamp: string): string => new Date(timestamp).toISOString();

export const expiresAtFor = (sampledAt: string, retentionDays: number): number =>
  Math.floor(Date.parse(sampledAt) / 1000) + retentionDays * 86_400;

export const versionOf = (resultedAt: string, receivedAt: string, contentDigest: string): string =>
  `${utc(resultedAt)}|${utc(receivedAt)}|${contentDigest}`;

/**
 * Makes the holder side agree with `record`: its copy under its holder, tombstones under earlier holders.
 * Safe to repeat, and safe against a late writer of an older version: its writes lose to these.
 */
export const syncHolder = async (samples: SampleStore, record: SampleRecord): Promise<void> => {
  await samples.putHolderCopy(record);
  for (const previous of record.previousHolderKeys) await samples.putHolderTombstone(previous, record);
};

type Decision =
  | { readonly outcome: 'STORED' | 'CORRECTED'; readonly write: SampleRecord }
  | { readonly outcome: 'DUPLICATE'; readonly write: SampleRecord | undefined }
  | { readonly outcome: 'STALE'; readonly write: undefined };

/** What the contract says about `incoming` given the stored record. Pure. */
export const decide = (
  existing: SampleRecord | undefined,
  message: QueuedResult,
  storedAt: string,
  retentionDays: number,
): Decision => {
  const sampledAt = utc(message.sampledAt);
  const resultedAt = utc(message.resultedAt);
  const version = versionOf(resultedAt, message.receivedAt, message.contentDigest);
  if (existing?.contentDigest === message.contentDigest) {
    // An identical resend changes nothing visible. A later resend of it still moves the version on, so
    // that an equal-resultedAt correction submitted in between cannot win when it is delivered late.
    return { outcome: 'DUPLICATE', write: version > existing.version ? { ...existing, version } : undefined };
  }
  if (existing !== undefined && version < existing.version) return { outcome: 'STALE', write: undefined };
  const previousHolderKeys = existing
    ? [...new Set([...existing.previousHolderKeys, existing.holderKey])].filter(
        (key) => key !== message.holderKey,
      )
    : [];
  return {
    outcome: existing ? 'CORRECTED' : 'STORED',
    write: {
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
      sampledAt,
      resultedAt,
      storedAt,
      contentDigest: message.contentDigest,
      version,
      previousHolderKeys,
      expiresAt: expiresAtFor(sampledAt, retentionDays),
      // A withdrawn or revoked sample stays so: a lab re-sends under a new sampleId instead.
      ...marksOf(existing),
    },
  };
};

export interface VoidDeps {
  readonly samples: SampleStore;
}

/**
 * Takes one stored sample out of every verdict: marks the sample item, then writes its holder copy with
 * the mark (and re-tombstones earlier holders), before answering, so the next verify or pass request no
 * longer counts it. Idempotent: a repeat finds the mark and writes the same items again. Undefined when
 * the lab has no such stored sample.
 */
export const voidSample = async (
  labId: string,
  sampleId: string,
  mark: VoidMark,
  { samples }: VoidDeps,
): Promise<SampleRecord | undefined> => {
  const record = await samples.markSample(labId, sampleId, mark);
  if (record !== undefined) await syncHolder(samples, record);
  return record;
};

/**
 * Stores one result with the contract's semantics under at-least-once delivery:
 * - an identical resend changes nothing (storedAt stays that of the first store);
 * - a different content is a correction, applied when its resultedAt is not earlier than the stored one
 *   (on an equal resultedAt, the later submission wins); it sets storedAt to now;
 * - an older correction is ignored.
 * The holder side is synced after the sample write and again on a DUPLICATE, so the redelivery of a
 * message whose processing crashed between any two writes heals it. A STALE message needs no sync: the
 * writer of the later version syncs it (or is redelivered until it has).
 */
export const storeResult = async (message: QueuedResult, deps: StoreDeps): Promise<Stored> => {
  const { samples, clock, retentionDays } = deps;
  if (expiresAtFor(message.sampledAt, retentionDays) <= Math.floor(clock.now().getTime() / 1000)) {
    return { outcome: 'EXPIRED', record: undefined };
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const existing = await samples.getSample(message.labId, message.sampleId);
    const decision = decide(existing, message, clock.now().toISOString(), retentionDays);
    const { write } = decision;
    if (write !== undefined && !(await samples.putSample(write, existing))) continue;
    const record = write ?? existing;
    if (decision.outcome !== 'STALE' && record !== undefined) await syncHolder(samples, record);
    return { outcome: decision.outcome, record };
  }
  throw new ConcurrentUpdateError('The sample kept changing while it was being stored; it will be retried.');
};

/** The earliest and latest storedAt of one lab's results in a batch. */
export interface StoredSpan {
  readonly first: string;
  readonly last: string;
}

/**
 * Collects, per lab, the span of storedAt a batch settled, so the registry's freshness moves once per lab
 * per batch. Every settled record counts, not only STORED ones: a result stored by an attempt that then
 * failed is a DUPLICATE on redelivery, and its lab's freshness must still move on.
 */
export const storedSpans = () => {
  const spans = new Map<string, StoredSpan>();
  return {
    add(labId: string, storedAt: string): void {
      const seen = spans.get(labId);
      spans.set(labId, {
        first: seen === undefined || storedAt < seen.first ? storedAt : seen.first,
        last: seen === undefined || storedAt > seen.last ? storedAt : seen.last,
      });
    },
    byLab: (): [string, StoredSpan][] => [...spans],
  };
};
