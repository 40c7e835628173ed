import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { facilityListSchema } from '../../../functions/schemas/facilities.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';
import { aLab } from './labs.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const request = () => apiEvent({ method: 'GET', path: '/v1/facilities' });

describe('GET /v1/facilities (handler)', () => {
  let handler: typeof import('../../../functions/handlers/list-facilities.js').handler;

  beforeAll(async () => {
    vi.stubEnv('REGISTRY_TABLE', 'registry-under-test');
    vi.stubEnv('AWS_REGION', 'ap-southeast-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    ({ handler } = await import('../../../functions/handlers/list-facilities.js'));
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    dynamo.reset();
  });

  it('reads the labs with one paginated Query on the lab partition, never devices or apps', async () => {
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'REVOCATION' } }).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ROLE#lab' } })
      .resolvesOnce({
        Items: [{ pk: 'ROLE#lab', sk: 'lab_a', ...aLab({ id: 'lab_a', name: 'B' }) }],
        LastEvaluatedKey: { pk: 'ROLE#lab', sk: 'lab_a' },
      })
      .resolvesOnce({ Items: [{ pk: 'ROLE#lab', sk: 'lab_b', ...aLab({ id: 'lab_b', name: 'A' }) }] });

    const response = await handler(request(), lambdaContext());

    const list = facilityListSchema.parse(JSON.parse(response.body));
    expect(list.facilities.map((f) => f.id)).toEqual(['lab_b', 'lab_a']);
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    // Besides the labs, one Query of the revocation records (a lab with one shows REVOKED).
    const queries = inputs.filter((input) => input.ExpressionAttributeValues?.[':pk'] !== 'REVOCATION');
    expect(inputs).toHaveLength(3);
    expect(queries).toHaveLength(2);
    for (const query of queries) {
      expect(query).toMatchObject({
        TableName: 'registry-under-test',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ROLE#lab' },
      });
    }
  });

  it('answers 200 as JSON, cacheable by anyone for 60 seconds', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await handler(request(), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=60',
    });
  });

  it('shows a lab with a published window revocation as REVOKED', async () => {
    const now = Date.now();
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ROLE#lab' } }).resolves({
      Items: [
        { pk: 'ROLE#lab', sk: 'lab_a', ...aLab({ id: 'lab_a', name: 'A' }) },
        { pk: 'ROLE#lab', sk: 'lab_b', ...aLab({ id: 'lab_b', name: 'B' }) },
      ],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'REVOCATION' } }).resolves({
      Items: [
        {
          pk: 'REVOCATION',
          sk: 'lab_a#w',
          id: 'lab_a#w',
          scope: 'WINDOW',
          labId: 'lab_a',
          from: new Date(now - 86_400_000).toISOString(),
          to: new Date(now).toISOString(),
          reason: 'fraud',
          revokedBy: 'ops',
          revokedAt: new Date(now).toISOString(),
          samples: 3,
        },
      ],
    });

    const response = await handler(request(), lambdaContext());

    const list = facilityListSchema.parse(JSON.parse(response.body));
    expect(list.facilities.map((f) => [f.id, f.status])).toEqual([
      ['lab_a', 'REVOKED'],
      ['lab_b', 'ACTIVE'],
    ]);
    expect(response.body).not.toContain('fraud');
  });

  it('answers a registry failure with the contract 500, not cacheable and without internals', async () => {
    dynamo.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceeded at table registry-under-test'));

    const response = await handler(request(), lambdaContext());

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(response.body).not.toContain('registry-under-test');
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store' });
  });
});
