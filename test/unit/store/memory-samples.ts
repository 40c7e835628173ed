import type { SampleRecord, SampleStore } from '../../../functions/domain/store.js';

export interface HolderCopy {
  readonly holderKey: string;
  readonly record: SampleRecord;
}

/**
 * An in-memory results table with the same conditional semantics as the DynamoDB adapter: the sample
 * write is conditional on the expected version, holder copies on not going back to an older version.
 */
export const memorySamples = () => {
  const samples = new Map<string, SampleRecord>();
  const copies = new Map<string, HolderCopy>();
  const sampleKey = (labId: string, sampleId: string) => `${labId}#${sampleId}`;
  const copyKey = (holderKey: string, labId: string, sampleId: string) => `${holderKey}#${labId}#${sampleId}`;
  const calls = { getSample: 0, putSample: 0, putHolderCopy: 0, deleteHolderCopy: 0 };

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
      const key = copyKey(record.holderKey, record.labId, record.sampleId);
      const current = copies.get(key);
      if (current === undefined || current.record.version <= record.version) {
        copies.set(key, { holderKey: record.holderKey, record });
      }
    },
    async deleteHolderCopy(holderKey, labId, sampleId, version) {
      calls.deleteHolderCopy += 1;
      const key = copyKey(holderKey, labId, sampleId);
      const current = copies.get(key);
      if (current === undefined || current.record.version <= version) copies.delete(key);
    },
  };

  return {
    store,
    calls,
    sample: (labId: string, sampleId: string) => samples.get(sampleKey(labId, sampleId)),
    copiesOf: (holderKey: string) => [...copies.values()].filter((copy) => copy.holderKey === holderKey),
    allCopies: () => [...copies.values()],
  };
};
