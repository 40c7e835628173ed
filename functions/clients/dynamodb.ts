import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from './dynamodb-client.js';

/** The DocumentClient over the function instance's one DynamoDB client (clients/dynamodb-client.ts). */
export const dynamo = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
