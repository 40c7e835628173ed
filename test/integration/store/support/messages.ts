import { maskName } from '../../../../contract/identity.js';
import {
  birthDateCheck,
  contentDigest,
  holderKey,
  type Pepper,
} from '../../../../functions/domain/pseudonym.js';
import type { IdType, Outcome, TestType } from '../../../../functions/schemas/common.js';
import { type QueuedResult, queuedResultSchema } from '../../../../functions/schemas/queued-result.js';
import { cccdFor } from '../../../support/fixtures.js';

export const PEPPER: Pepper = { secret: Buffer.from('ab'.repeat(32), 'hex'), version: 1 };

const HOUR = 3_600_000;

/** What a lab submitted for one sample, as the ingest function would see it once validated. */
export interface Submission {
  readonly labId: string;
  readonly labName: string;
  readonly sampleId: string;
  readonly idType: IdType;
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly testType: TestType;
  readonly result: Outcome;
  readonly sampledAt: string;
  readonly resultedAt: string;
  /** When the ingest function accepted it. */
  readonly receivedAt: string;
}

export const aSubmission = (overrides: Partial<Submission> = {}, now = new Date()): Submission => {
  const sampledAt = overrides.sampledAt ?? new Date(now.getTime() - 2 * HOUR).toISOString();
  const dateOfBirth = overrides.dateOfBirth ?? '1990-05-01';
  return {
    labId: 'lab-1',
    labName: 'CDC Quảng Ninh',
    sampleId: 'S-1',
    idType: 'CCCD',
    idNumber: cccdFor(dateOfBirth),
    fullName: 'Nguyễn Văn An',
    dateOfBirth,
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt,
    resultedAt: new Date(Date.parse(sampledAt) + HOUR).toISOString(),
    receivedAt: new Date(Date.parse(sampledAt) + 2 * HOUR).toISOString(),
    ...overrides,
  };
};

export const holderOf = (s: Pick<Submission, 'idType' | 'idNumber'>, pepper = PEPPER): string =>
  holderKey(pepper, s.idType, s.idNumber);

/** The queue message the ingest function makes of a submission (the same derivations as domain/ingest.ts). */
export const queued = (s: Submission, pepper = PEPPER): QueuedResult => {
  const key = holderOf(s, pepper);
  return queuedResultSchema.parse({
    v: 1,
    labId: s.labId,
    labName: s.labName,
    sampleId: s.sampleId,
    holderKey: key,
    keyVersion: pepper.version,
    maskedName: maskName(s.fullName),
    birthYear: Number(s.dateOfBirth.slice(0, 4)),
    birthDateCheck: birthDateCheck(pepper, key, s.dateOfBirth),
    testType: s.testType,
    result: s.result,
    sampledAt: s.sampledAt,
    resultedAt: s.resultedAt,
    receivedAt: s.receivedAt,
    contentDigest: contentDigest(pepper, [
      s.sampleId,
      s.idType,
      s.idNumber,
      s.fullName,
      s.dateOfBirth,
      null,
      s.testType,
      s.result,
      s.sampledAt,
      s.resultedAt,
    ]),
  });
};

/** A later submission of the same sample: `minutes` after the original's receipt. */
export const later = (s: Submission, minutes: number, changes: Partial<Submission> = {}): Submission => ({
  ...s,
  receivedAt: new Date(Date.parse(s.receivedAt) + minutes * 60_000).toISOString(),
  ...changes,
});

export const plusMinutes = (timestamp: string, minutes: number): string =>
  new Date(Date.parse(timestamp) + minutes * 60_000).toISOString();
