import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type Clock, systemClock } from '../../contract/clock.js';
import type { HolderResult } from '../domain/holder-result.js';
import type { HolderResults } from '../domain/verify-holder.js';
import { outcomes, testTypes } from '../schemas/common.js';

/**
 * The checkpoint's read of a holder's results (the holder copies of docs/data-model.md): one Query of the
 * holder's partition, projected to the verify fields. It uses the low-level DynamoDB client and reads the
 * few projected attributes by hand, because the verify function is on the latency path: the
 * DocumentClient (lib-dynamodb) costs an import at cold start and a generic marshal/unmarshal pass per
 * request. Each item is still checked before use: an attribute of the wrong type fails the request.
 */

export const holderPartition = (holderKey: string) => `HOLDER#${holderKey}`;

/**
 * The projected attributes: the verify fields and `expiresAt`. (`moved` marks a tombstone; `withdrawnAt`
 * and `revokedAt` a result the lab withdrew or an operator revoked.)
 */
const STRING_ATTRIBUTES = [
  'labId',
  'labName',
  'sampleId',
  'sampledAt',
  'resultedAt',
  'maskedName',
  'birthDateCheck',
] as const;
export const HOLDER_ATTRIBUTES = [
  ...STRING_ATTRIBUTES,
  'testType',
  'result',
  'birthYear',
  'expiresAt',
] as const;

// Attribute names go through placeholders: some (such as `result`) are DynamoDB reserved words.
export const HOLDER_PROJECTION = `${HOLDER_ATTRIBUTES.map((_, i) => `#a${i}`).join(', ')}, #moved, #withdrawn, #revoked`;
export const HOLDER_PROJECTION_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(HOLDER_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
  '#moved': 'moved',
  '#withdrawn': 'withdrawnAt',
  '#revoked': 'revokedAt',
};

/** A stored item that is not a holder copy: the table holds something this code did not write. */
export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
}

type Item = Record<string, AttributeValue>;

const stringOf = (item: Item, name: string): string => {
  const value = item[name]?.S;
  if (value === undefined) throw new StoredItemError(`A holder result has no string ${name}`);
  return value;
};

const numberOf = (item: Item, name: string): number => {
  const text = item[name]?.N;
  const value = text === undefined ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new StoredItemError(`A holder result has no number ${name}`);
  return value;
};

const oneOf = <T extends string>(item: Item, name: string, allowed: readonly T[]): T => {
  const value = stringOf(item, name);
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new StoredItemError(`A holder result has an unknown ${name}`);
  return found;
};

/** One projected holder copy, checked attribute by attribute; `expiresAt` kept for the expiry filter. */
export const holderResultOf = (item: Item): HolderResult & { readonly expiresAt: number } => ({
  labId: stringOf(item, 'labId'),
  labName: stringOf(item, 'labName'),
  sampleId: stringOf(item, 'sampleId'),
  testType: oneOf(item, 'testType', testTypes),
  result: oneOf(item, 'result', outcomes),
  sampledAt: stringOf(item, 'sampledAt'),
  resultedAt: stringOf(item, 'resultedAt'),
  maskedName: stringOf(item, 'maskedName'),
  birthYear: numberOf(item, 'birthYear'),
  birthDateCheck: stringOf(item, 'birthDateCheck'),
  expiresAt: numberOf(item, 'expiresAt'),
});

export const makeHolderResults = (
  client: Pick<DynamoDBClient, 'send'>,
  tableName: string,
  clock: Clock = systemClock,
): HolderResults => ({
  async forHolder(holderKey) {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: holderPartition(holderKey) } },
        ProjectionExpression: HOLDER_PROJECTION,
        ExpressionAttributeNames: HOLDER_PROJECTION_NAMES,
      }),
    );
    // TTL deletion can lag behind expiry, so expired items are left out here, at no extra read cost.
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    const results: HolderResult[] = [];
    for (const item of out.Items ?? []) {
      // Tombstones (a result moved to another holder by a correction) are not results.
      if (item.moved?.BOOL === true) continue;
      // Withdrawn by its lab or revoked by an operator: it counts for no verdict, a positive included
      // (a revoked positive no longer overrides a negative), for verify and pass issuance alike.
      if (item.withdrawnAt !== undefined || item.revokedAt !== undefined) continue;
      const { expiresAt, ...result } = holderResultOf(item);
      if (expiresAt > nowSeconds) results.push(result);
    }
    return results;
  },
});
