import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { marksOf, type SampleRecord, type SampleStore } from '../domain/store.js';
import { outcomes, testTypes } from '../schemas/common.js';
import { holderPartition } from './holder-results.js';

export { holderPartition } from './holder-results.js';

/**
 * The results table (see docs/data-model.md). The items of a sample:
 * - the sample item `SAMPLE#<labId>#<sampleId>` / `SAMPLE`: the authority on the current version;
 * - the holder copy `HOLDER#<holderKey>` / `RESULT#<labId>#<sampleId>`: what a checkpoint reads, all of a
 *   holder's results in one partition, so a verification is one Query;
 * - a tombstone `HOLDER#<earlierHolderKey>` / `RESULT#<labId>#<sampleId>` with `moved: true` where a
 *   correction of the ID took the result away from a holder; the checkpoint's read (holder-results.ts)
 *   leaves it out.
 * All expire with DynamoDB TTL on `expiresAt`. All carry the sample's `version`: every write is
 * conditional on it, so an older version never overwrites a newer one, whatever the order of arrival.
 */
export const sampleKey = (labId: string, sampleId: string) => ({
  pk: `SAMPLE#${labId}#${sampleId}`,
  sk: 'SAMPLE',
});
const holderItemKey = (holderKey: string, labId: string, sampleId: string) => ({
  pk: holderPartition(holderKey),
  sk: `RESULT#${labId}#${sampleId}`,
});

const holderResultSchema = z.object({
  labId: z.string(),
  labName: z.string(),
  sampleId: z.string(),
  testType: z.enum(testTypes),
  result: z.enum(outcomes),
  sampledAt: z.string(),
  resultedAt: z.string(),
  maskedName: z.string(),
  birthYear: z.number(),
  birthDateCheck: z.string(),
  expiresAt: z.number(),
});

const sampleRecordSchema = holderResultSchema.extend({
  holderKey: z.string(),
  keyVersion: z.number(),
  storedAt: z.string(),
  contentDigest: z.string(),
  version: z.string(),
  previousHolderKeys: z.array(z.string()).default([]),
  withdrawnAt: z.string().optional(),
  revokedAt: z.string().optional(),
  revocationId: z.string().optional(),
});

/** The holder copy: what a checkpoint reads, plus the version its writes are conditional on. */
const holderCopyOf = (record: SampleRecord) => ({
  labId: record.labId,
  labName: record.labName,
  sampleId: record.sampleId,
  testType: record.testType,
  result: record.result,
  sampledAt: record.sampledAt,
  resultedAt: record.resultedAt,
  maskedName: record.maskedName,
  birthYear: record.birthYear,
  birthDateCheck: record.birthDateCheck,
  expiresAt: record.expiresAt,
  keyVersion: record.keyVersion,
  version: record.version,
  ...marksOf(record),
});

/**
 * The conditions that keep a mark: an item marked where the record being written is not was marked by a
 * withdrawal or revocation the writer has not seen, so the write must lose (the store then decides again).
 */
const keepsMarks = (record: SampleRecord | undefined): string[] => [
  ...(record?.withdrawnAt === undefined ? ['attribute_not_exists(withdrawnAt)'] : []),
  ...(record?.revokedAt === undefined ? ['attribute_not_exists(revokedAt)'] : []),
];

/** The lab's samples sampled in [from, to) (UTC ISO), as `results revoke` finds them. */
export interface LabSampleQuery {
  readonly labId: string;
  readonly from: string;
  readonly to: string;
}

const ignoreConditionFailure = (error: unknown): void => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const makeResultsTable = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SampleStore & {
  /** A lab's stored sample; undefined until checkpoints can see it (its first holder copy is written). */
  getStoredSample(labId: string, sampleId: string): Promise<SampleRecord | undefined>;
  samplesOfLab(query: LabSampleQuery): Promise<{ labId: string; sampleId: string }[]>;
} => {
  const getSample = async (labId: string, sampleId: string, consistent: boolean) => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: sampleKey(labId, sampleId), ConsistentRead: consistent }),
    );
    return out.Item === undefined ? undefined : sampleRecordSchema.parse(out.Item);
  };

  return {
    getSample: (labId, sampleId) => getSample(labId, sampleId, true),
    async getStoredSample(labId, sampleId) {
      const record = await getSample(labId, sampleId, false);
      if (record === undefined) return undefined;
      // A sample filed under another holder before (an ID corrected) was stored long ago: answered at once.
      if (record.previousHolderKeys.length > 0) return record;
      // Stored means a checkpoint sees it. The first holder copy is written after the sample item (store.ts
      // syncHolder): until it is there the lab hears "not stored (yet)", as while queued. A correction
      // finds the earlier version's copy there, so a stored sample never turns "not stored" meanwhile.
      const copy = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: holderItemKey(record.holderKey, labId, sampleId),
          ProjectionExpression: 'pk',
        }),
      );
      return copy.Item === undefined ? undefined : record;
    },

    async putSample(record, expected) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...sampleKey(record.labId, record.sampleId), ...record },
            ...(expected === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: ['#version = :expected', ...keepsMarks(expected)].join(' AND '),
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expected.version },
                }),
          }),
        );
        return true;
      } catch (error) {
        ignoreConditionFailure(error);
        return false;
      }
    },

    async putHolderCopy(record) {
      await client
        .send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...holderItemKey(record.holderKey, record.labId, record.sampleId),
              ...holderCopyOf(record),
            },
            // Equal versions rewrite the same content: that is what makes a repeated step harmless.
            ConditionExpression: ['attribute_not_exists(pk) OR #version <= :version', ...keepsMarks(record)]
              .map((condition) => `(${condition})`)
              .join(' AND '),
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': record.version },
          }),
        )
        .catch(ignoreConditionFailure);
    },

    async putHolderTombstone(holderKey, record) {
      await client
        .send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...holderItemKey(holderKey, record.labId, record.sampleId),
              labId: record.labId,
              sampleId: record.sampleId,
              moved: true,
              version: record.version,
              expiresAt: record.expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': record.version },
          }),
        )
        .catch(ignoreConditionFailure);
    },

    async markSample(labId, sampleId, mark) {
      const [attribute, values] =
        mark.kind === 'WITHDRAWN'
          ? ['withdrawnAt = if_not_exists(withdrawnAt, :at)', { ':at': mark.at }]
          : [
              'revokedAt = if_not_exists(revokedAt, :at), revocationId = if_not_exists(revocationId, :rid)',
              { ':at': mark.at, ':rid': mark.revocationId },
            ];
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: sampleKey(labId, sampleId),
            UpdateExpression: `SET ${attribute}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes === undefined ? undefined : sampleRecordSchema.parse(out.Attributes);
      } catch (error) {
        ignoreConditionFailure(error);
        return undefined;
      }
    },

    /**
     * A Scan, filtered: the table has no index by lab, and adding one would cost a write on every stored
     * result (and cannot be added to an existing local table) for a command an operator runs rarely. A
     * revocation reads the whole table once; at one province's size (about 1.2 GB) that is a few cents.
     */
    async samplesOfLab({ labId, from, to }) {
      const found: { labId: string; sampleId: string }[] = [];
      const pages = paginateScan(
        { client },
        {
          TableName: tableName,
          FilterExpression: 'sk = :sample AND labId = :lab AND sampledAt >= :from AND sampledAt < :to',
          ExpressionAttributeValues: { ':sample': 'SAMPLE', ':lab': labId, ':from': from, ':to': to },
          ProjectionExpression: 'labId, sampleId',
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const key = z.object({ labId: z.string(), sampleId: z.string() }).parse(item);
          found.push(key);
        }
      }
      return found;
    },
  };
};
