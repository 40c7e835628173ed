import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one DynamoDB client of a function instance, made at module scope so warm invocations reuse its
 * connections. Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads itself.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
