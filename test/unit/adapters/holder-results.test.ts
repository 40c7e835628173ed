import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHolderResults, StoredItemError } from '../../../functions/adapters/holder-results.js';

const dynamoMock = mockClient(DynamoDBClient);
const now = new Date('2026-01-10T00:00:00Z');
const nowSeconds = now.getTime() / 1000;
const holders = () =>
  makeHolderResults(new DynamoDBClient({ region: 'ap-southeast-1' }), 'results', { now: () => now });

const storedItem = (overrides: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({
  labId: { S: 'lab-1' },
  labName: { S: 'CDC Quảng Ninh' },
  sampleId: { S: 'S-1' },
  testType: { S: 'RT_PCR' },
  result: { S: 'NEGATIVE' },
  sampledAt: { S: '2026-01-09T08:00:00.000Z' },
  resultedAt: { S: '2026-01-09T10:00:00.000Z' },
  maskedName: { S: 'N*** T** Á**' },
  birthYear: { N: '1990' },
  birthDateCheck: { S: 'abc' },
  expiresAt: { N: String(nowSeconds + 60) },
  ...overrides,
});

describe('the verify read of a holder results', () => {
  beforeEach(() => {
    dynamoMock.reset();
  });

  it('reads the holder partition in one projected Query and answers the verify fields', async () => {
    dynamoMock.on(QueryCommand).resolves({ Items: [storedItem()] });

    const results = await holders().forHolder('k'.repeat(64));

    expect(results).toEqual([
      {
        labId: 'lab-1',
        labName: 'CDC Quảng Ninh',
        sampleId: 'S-1',
        testType: 'RT_PCR',
        result: 'NEGATIVE',
        sampledAt: '2026-01-09T08:00:00.000Z',
        resultedAt: '2026-01-09T10:00:00.000Z',
        maskedName: 'N*** T** Á**',
        birthYear: 1990,
        birthDateCheck: 'abc',
      },
    ]);
    const calls = dynamoMock.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      TableName: 'results',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `HOLDER#${'k'.repeat(64)}` } },
    });
    expect(Object.values(calls[0]?.args[0].input.ExpressionAttributeNames ?? {}).sort()).toEqual(
      [...Object.keys(storedItem()), 'moved', 'withdrawnAt', 'revokedAt'].sort(),
    );
  });

  it('leaves out tombstones and results past their expiry that TTL has not deleted yet', async () => {
    dynamoMock.on(QueryCommand).resolves({
      Items: [
        { labId: { S: 'lab-1' }, sampleId: { S: 'S-2' }, moved: { BOOL: true } },
        storedItem({ sampleId: { S: 'S-3' }, expiresAt: { N: String(nowSeconds) } }),
        storedItem({ sampleId: { S: 'S-4' } }),
      ],
    });

    const results = await holders().forHolder('k'.repeat(64));

    expect(results.map((r) => r.sampleId)).toEqual(['S-4']);
  });

  it('leaves out results their lab withdrew or an operator revoked, positives included', async () => {
    dynamoMock.on(QueryCommand).resolves({
      Items: [
        storedItem({ sampleId: { S: 'S-5' }, withdrawnAt: { S: '2026-01-09T11:00:00.000Z' } }),
        storedItem({
          sampleId: { S: 'S-6' },
          result: { S: 'POSITIVE' },
          revokedAt: { S: '2026-01-09T11:00:00.000Z' },
        }),
        storedItem({ sampleId: { S: 'S-7' } }),
      ],
    });

    const results = await holders().forHolder('k'.repeat(64));

    expect(results.map((r) => r.sampleId)).toEqual(['S-7']);
  });

  it.each([
    ['a missing attribute', { labName: { NULL: true } }],
    ['a number stored as a string', { birthYear: { S: '1990' } }],
    ['an unknown test type', { testType: { S: 'PCR' } }],
    ['an unknown outcome', { result: { S: 'MAYBE' } }],
    ['a number that is not finite', { expiresAt: { N: 'NaN' } }],
  ] as const)('refuses an item with %s', async (_, overrides) => {
    dynamoMock.on(QueryCommand).resolves({ Items: [storedItem(overrides)] });

    await expect(holders().forHolder('k'.repeat(64))).rejects.toThrow(StoredItemError);
  });
});
