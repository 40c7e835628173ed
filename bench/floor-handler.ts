import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The cold-load floor: the least a DynamoDB-reading function can be. Only the DynamoDB client, made at
 * module scope, and one GetItem per request. Bundled like a house function by bench/cold-load.ts.
 */
// Made as verify's client is (functions/clients/dynamodb-client.ts), so the two differ in what they do.
const client = new DynamoDBClient({ cacheMiddleware: true });

export const handler = async (event: {
  readonly table: string;
  readonly pk: string;
  readonly sk: string;
}) => {
  const out = await client.send(
    new GetItemCommand({ TableName: event.table, Key: { pk: { S: event.pk }, sk: { S: event.sk } } }),
  );
  return { statusCode: 200, body: JSON.stringify({ found: out.Item !== undefined }) };
};
