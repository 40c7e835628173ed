import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The one low-level DynamoDB client of a function instance, made at module scope so warm invocations reuse
 * its connections. Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads itself.
 * The verify function uses it directly (see adapters/holder-results.ts); the others use the DocumentClient
 * over it, from clients/dynamodb.ts.
 */
export const dynamoDb = new DynamoDBClient({});
