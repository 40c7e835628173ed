import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The one low-level DynamoDB client of a function instance, made at module scope so warm invocations reuse
 * its connections. Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads itself.
 * The verify and pass functions use it directly (see adapters/holder-results.ts), with low-level commands
 * only; so it keeps each command class's middleware chain once resolved (`cacheMiddleware`) instead of
 * building it again on every request, the rules read and the holder's read at a cold start included.
 * The DocumentClient cannot share that (its commands add their own marshalling): clients/dynamodb.ts
 * makes its own client. Mind what the cache means: middleware added to this client after its first
 * request of a command class is not used for that class, and a `send(command, options)` turns the cache
 * off for the whole client.
 */
export const dynamoDb = new DynamoDBClient({ cacheMiddleware: true });
