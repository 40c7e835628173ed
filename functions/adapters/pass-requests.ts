import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { PassRequestCounter } from '../domain/issue-pass.js';

const DAY_SECONDS = 86_400;

/**
 * A holder's pass requests per UTC day, in the results table (docs/data-model.md, "Pass requests"):
 * `pk = PASSREQ#<holderKey>`, `sk = DAY#<YYYY-MM-DD>`, `count`, and `expiresAt` the end of the next day
 * (TTL). One atomic `UpdateItem ADD` per request answers the day's count with this request included, so
 * concurrent requests each get their own number and no burst can slip past the limit.
 */
export const makePassRequestCounter = (client: DynamoDBClient, tableName: string): PassRequestCounter => ({
  async count(holderKey, at) {
    const day = at.toISOString().slice(0, 10);
    const dayStart = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);
    const out = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: `PASSREQ#${holderKey}` }, sk: { S: `DAY#${day}` } },
        UpdateExpression: 'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':expiresAt': { N: String(dayStart + 2 * DAY_SECONDS) },
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = Number(out.Attributes?.count?.N);
    if (!Number.isSafeInteger(count) || count < 1) throw new Error('The pass request count was not returned');
    return count;
  },
});
