import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashCredential } from '../../../functions/domain/registry.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const CREDENTIAL = 'rg_dev_0123456789abcdef0123456789abcdef';

const event = (): APIGatewayRequestAuthorizerEvent => ({
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:ap-southeast-1:123456789012:abc/dev/POST/v1/verify',
  resource: '/v1/verify',
  path: '/v1/verify',
  httpMethod: 'POST',
  headers: { Authorization: `Bearer ${CREDENTIAL}` },
  multiValueHeaders: {},
  pathParameters: {},
  queryStringParameters: {},
  multiValueQueryStringParameters: {},
  stageVariables: {},
  // The handler reads only the header and methodArn, as local/gateway.ts also assumes.
  requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
});

let handler: (e: APIGatewayRequestAuthorizerEvent) => Promise<{ principalId: string }>;

beforeAll(async () => {
  vi.stubEnv('REGISTRY_TABLE', 'registry');
  vi.stubEnv('STAGE', 'dev');
  ({ handler } = await import('../../../functions/handlers/authorize-request.js'));
});

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({
    Item: {
      pk: `CREDENTIAL#${hashCredential(CREDENTIAL)}`,
      sk: 'CREDENTIAL',
      principalId: 'dev_0000000000000001',
      role: 'checkpoint',
      name: 'Chốt Km 5',
      status: 'ACTIVE',
      createdAt: '2021-09-10T00:00:00Z',
    },
  });
});

describe("the authorizer's one registry read", () => {
  it('is one strongly consistent GetItem of the credential, so a revoke just made is seen', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await handler(event());

    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'registry',
        Key: { pk: `CREDENTIAL#${hashCredential(CREDENTIAL)}`, sk: 'CREDENTIAL' },
        ConsistentRead: true,
      },
    ]);
  });
});

describe("the authorizer records a credential's last use", () => {
  it('sets lastUsedAt on the principal item, only if it exists', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const answer = await handler(event());

    expect(answer.principalId).toBe('dev_0000000000000001');
    const [update] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(update).toMatchObject({
      Key: { pk: 'ROLE#checkpoint', sk: 'dev_0000000000000001' },
      UpdateExpression: 'SET lastUsedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('still allows the request when the write fails', async () => {
    dynamo.on(UpdateCommand).rejects(new Error('throttled'));

    await expect(handler(event())).resolves.toMatchObject({ principalId: 'dev_0000000000000001' });
  });

  it('does not hold the answer for a slow write', async () => {
    dynamo.on(UpdateCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({}), 5_000)));
    const started = Date.now();

    await handler(event());

    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
