import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Revocation, Revocations } from '../domain/revocations.js';

/**
 * Revocation records in the registry table (docs/data-model.md): `REVOCATION` / `<id>`, so the facilities
 * list and the rules document read them all with one Query. Kept until removed by hand: they are the
 * record of who revoked what, when and why.
 */
const PARTITION = 'REVOCATION';
const keyOf = (id: string) => ({ pk: PARTITION, sk: id });

const common = {
  id: z.string(),
  labId: z.string(),
  reason: z.string(),
  revokedBy: z.string(),
  revokedAt: z.string(),
  samples: z.number(),
};
const revocationSchema = z.discriminatedUnion('scope', [
  z.object({ ...common, scope: z.literal('WINDOW'), from: z.string(), to: z.string() }),
  z.object({ ...common, scope: z.literal('SAMPLE'), sampleId: z.string() }),
]);

export const makeRevocationsTable = (client: DynamoDBDocumentClient, tableName: string): Revocations => ({
  async record(revocation) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keyOf(revocation.id), ...revocation },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: revocation, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: keyOf(revocation.id), ConsistentRead: true }),
    );
    return { stored: revocationSchema.parse(out.Item), created: false };
  },

  async setSamples(id, samples) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(id),
        UpdateExpression: 'SET samples = :samples',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':samples': samples },
      }),
    );
  },

  async list() {
    const found: Revocation[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PARTITION },
      },
    );
    for await (const page of pages)
      found.push(...(page.Items ?? []).map((item) => revocationSchema.parse(item)));
    return found;
  },
});
