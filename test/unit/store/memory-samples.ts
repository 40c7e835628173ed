import { isVoided, type SampleRecord, type SampleStore } from '../../../functions/domain/store.js';

export interface HolderCopy {
  readonly holderKey: string;
  readonly version: string;
  /** Undefined for a tombstone. */
  readonly record: SampleRecord | undefined;
}

/**
 * An in-memory results table with the same conditional semantics as the DynamoDB adapter: the sample
 * write is conditional on the expected version and marks, holder items (copies and tombstones) on not going
 * back to an older version, and a marked copy on not being replaced by an unmarked one.
 */
export const memorySamples = () => {
  const samples = new Map<string, SampleRecord>();
  const copies = new Map<string, HolderCopy>();
  const sampleKey = (labId: string, sampleId: string) => `${labId}#${sampleId}`;
  const copyKey = (holderKey: string, labId: string, sampleId: string) => `${holderKey}#${labId}#${sampleId}`;
  const calls = { getSample: 0, putSample: 0, putHolderCopy: 0, putHolderTombstone: 0 };
  const putHolderItem = (item: HolderCopy, labId: string, sampleId: string) => {
    const key = copyKey(item.holderKey, labId, sampleId);
    const current = copies.get(key);
    const unmarks =
      current?.record !== undefined &&
      ((current.record.withdrawnAt !== undefined && item.record?.withdrawnAt === undefined) ||
        (current.record.revokedAt !== undefined && item.record?.revokedAt === undefined));
    if (item.record !== undefined && unmarks) return;
    if (current === undefined || current.version <= item.version) copies.set(key, item);
  };

  const store: SampleStore = {
    async getSample(labId, sampleId) {
      calls.getSample += 1;
      return samples.get(sampleKey(labId, sampleId));
    },
    async putSample(record, expected) {
      calls.putSample += 1;
      const key = sampleKey(record.labId, record.sampleId);
      const current = samples.get(key);
      if (current?.version !== expected?.version) return false;
      if (current?.withdrawnAt !== expected?.withdrawnAt || current?.revokedAt !== expected?.revokedAt)
        return false;
      samples.set(key, record);
      return true;
    },
    async putHolderCopy(record) {
      calls.putHolderCopy += 1;
      putHolderItem(
        { holderKey: record.holderKey, version: record.version, record },
        record.labId,
        record.sampleId,
      );
    },
    async putHolderTombstone(holderKey, record) {
      calls.putHolderTombstone += 1;
      putHolderItem({ holderKey, version: record.version, record: undefined }, record.labId, record.sampleId);
    },
    async markSample(labId, sampleId, mark) {
      const key = sampleKey(labId, sampleId);
      const current = samples.get(key);
      if (current === undefined) return undefined;
      const marked =
        mark.kind === 'WITHDRAWN'
          ? { ...current, withdrawnAt: current.withdrawnAt ?? mark.at }
          : {
              ...current,
              revokedAt: current.revokedAt ?? mark.at,
              revocationId: current.revocationId ?? mark.revocationId,
            };
      samples.set(key, marked);
      return marked;
    },
  };

  return {
    store,
    calls,
    sample: (labId: string, sampleId: string) => samples.get(sampleKey(labId, sampleId)),
    /** The results a checkpoint would count for the holder: copies, not tombstones nor marked ones. */
    countedOf: (holderKey: string) =>
      [...copies.values()].filter(
        (copy) => copy.holderKey === holderKey && copy.record !== undefined && !isVoided(copy.record),
      ),
    /** The results a checkpoint would see for the holder: copies, not tombstones. */
    copiesOf: (holderKey: string) =>
      [...copies.values()].filter((copy) => copy.holderKey === holderKey && copy.record !== undefined),
    allCopies: () => [...copies.values()].filter((copy) => copy.record !== undefined),
  };
};
