import type { SampleRecord, SampleStore } from '../../../functions/domain/store.js';

export interface HolderCopy {
  readonly holderKey: string;
  readonly version: string;
  /** Undefined for a tombstone. */
  readonly record: SampleRecord | undefined;
}

/**
 * An in-memory results table with the same conditional semantics as the DynamoDB adapter: the sample
 * write is conditional on the expected version, holder items (copies and tombstones) on not going back to
 * an older version.
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
  };

  return {
    store,
    calls,
    sample: (labId: string, sampleId: string) => samples.get(sampleKey(labId, sampleId)),
    /** The results a checkpoint would see for the holder: copies, not tombstones. */
    copiesOf: (holderKey: string) =>
      [...copies.values()].filter((copy) => copy.holderKey === holderKey && copy.record !== undefined),
    allCopies: () => [...copies.values()].filter((copy) => copy.record !== undefined),
  };
};
