import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { SampleRecord, SampleStore } from '../domain/store.js';
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
});

const ignoreConditionFailure = (error: unknown): void => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const makeResultsTable = (
  client: DynamoDBDocumentClient,
  tableName: string,
): SampleStore & { getStoredSample(labId: string, sampleId: string): Promise<SampleRecord | undefined> } => {
  const getSample = async (labId: string, sampleId: string, consistent: boolean) => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: sampleKey(labId, sampleId), ConsistentRead: consistent }),
    );
    return out.Item === undefined ? undefined : sampleRecordSchema.parse(out.Item);
  };

  return {
    getSample: (labId, sampleId) => getSample(labId, sampleId, true),
    getStoredSample: (labId, sampleId) => getSample(labId, sampleId, false),

    async putSample(record, expected) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...sampleKey(record.labId, record.sampleId), ...record },
            ...(expected === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
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
            ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
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
  };
};
