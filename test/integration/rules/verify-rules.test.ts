import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { RuleSet } from '../../../contract/rules.js';
import { makeRuleSetsTable } from '../../../functions/adapters/rule-sets-table.js';
import { dynamoDb } from '../../../functions/clients/dynamodb-client.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, cccdFor, lambdaContext, type ResultInput } from '../../support/fixtures.js';
import { storeThroughDomains } from '../../support/given-stored.js';

/**
 * The verify handler, in-process against dynalite, with the clock (Date) set by the test: which rule set
 * decides, and when a scheduled version starts to.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const handlerModule = z.object({ handler: z.custom<Handler>((value) => typeof value === 'function') });

const lab = { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] as const };
const quangNinh = {
  principalId: 'dev_00000000000000a1',
  role: 'checkpoint',
  jurisdiction: 'VN-13',
  mode: 'ENTRY',
} as const;
const hanoi = {
  principalId: 'dev_00000000000000a2',
  role: 'checkpoint',
  jurisdiction: 'VN-HN',
  mode: 'ENTRY',
} as const;
const legacy = { principalId: 'dev_00000000000000a3', role: 'checkpoint' } as const;

/** 00:00 on 11 Sep 2021 in Vietnam (UTC+7). */
const MIDNIGHT_VN = '2021-09-11T00:00:00+07:00';
const rule = (
  version: number,
  validFrom: string,
  accept: RuleSet['accept'],
  legalBasis: string,
): RuleSet => ({
  id: 'QN-ENTRY',
  version,
  jurisdiction: 'VN-13',
  mode: 'ENTRY',
  validFrom,
  legalBasis,
  description: { vi: 'Quy tắc thử', en: 'A test rule' },
  accept,
  tests: [
    {
      name: 'an RT-PCR negative sampled an hour before is valid',
      checkedAt: validFrom,
      results: [
        {
          testType: 'RT_PCR',
          result: 'NEGATIVE',
          sampledAt: new Date(Date.parse(validFrom) - 3_600_000).toISOString(),
        },
      ],
      expect: {
        verdict: 'VALID',
        validUntil: new Date(Date.parse(validFrom) - 3_600_000 + 48 * 3_600_000).toISOString(),
      },
    },
  ],
});
const before = rule(
  1,
  '2021-09-01T00:00:00+07:00',
  [
    { testType: 'RAPID_ANTIGEN', hours: 24 },
    { testType: 'RT_PCR', hours: 48 },
  ],
  '100/UBND',
);
const after = rule(2, MIDNIGHT_VN, [{ testType: 'RT_PCR', hours: 48 }], '200/UBND');
const freight: RuleSet = {
  ...before,
  id: 'QN-FREIGHT',
  mode: 'FREIGHT',
  legalBasis: '300/UBND',
  accept: [
    { testType: 'RAPID_ANTIGEN', hours: 72 },
    { testType: 'RT_PCR', hours: 48 },
  ],
};

let emulators: TestEmulators;
let verifyHolder: Handler;

const givenStored = async (...results: ResultInput[]) => {
  const outcome = await storeThroughDomains(emulators, lab, results);
  expect(outcome.accepted).toBe(results.length);
};

const ask = async (
  caller: { principalId: string; role: 'checkpoint'; jurisdiction?: string; mode?: string },
  idNumber: string,
  dateOfBirth: string,
  more: Record<string, unknown> = {},
) => {
  const response = await verifyHolder(
    apiEvent({ path: '/v1/verify', body: { idType: 'CCCD', idNumber, dateOfBirth, ...more }, caller }),
    lambdaContext(),
  );
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
};

const at = (instant: string) => vi.setSystemTime(new Date(instant));

beforeAll(async () => {
  emulators = await startTestEmulators();
  emulators.applyEnv();
  vi.useFakeTimers({ toFake: ['Date'] });
  at('2021-09-10T12:00:00+07:00');
  const published = makeRuleSetsTable(emulators.dynamo, emulators.names.registryTable);
  for (const ruleSet of [before, after, freight])
    await published.publish({ ruleSet, publishedAt: new Date().toISOString(), publishedBy: 'os:test' });
  const module = await import('../../../functions/handlers/verify-holder.js');
  verifyHolder = handlerModule.parse(module).handler;
});

afterAll(async () => {
  vi.useRealTimers();
  await emulators?.stop();
});

const dob = '1992-03-04';
const rapid = cccdFor(dob, '700001');

describe('a rule switching at midnight Vietnam time', () => {
  it('judges by version 1 until 23:59:59 and by version 2 from 00:00:00, with no refresh between', async () => {
    at('2021-09-10T20:00:00+07:00');
    await givenStored({
      sampleId: 'R-1',
      idNumber: rapid,
      dateOfBirth: dob,
      testType: 'RAPID_ANTIGEN',
      sampledAt: '2021-09-10T19:00:00+07:00',
    });
    at('2021-09-10T23:59:59+07:00');
    const beforeMidnight = await ask(quangNinh, rapid, dob);
    const reads = vi.spyOn(dynamoDb, 'send');
    at(MIDNIGHT_VN);
    const atMidnight = await ask(quangNinh, rapid, dob);
    const readsAtMidnight = reads.mock.calls.map(([command]) => command.constructor.name);
    reads.mockRestore();

    expect(beforeMidnight.body).toMatchObject({
      verdict: 'VALID',
      validUntil: '2021-09-11T12:00:00.000Z',
      rule: { id: 'QN-ENTRY', version: 1, legalBasis: '100/UBND' },
    });
    expect(atMidnight.body).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: '2021-09-10T17:00:00.000Z',
      reason: 'NO_VALID_RESULT',
      rule: { id: 'QN-ENTRY', version: 2, legalBasis: '200/UBND' },
    });
    // The rules in hand already held version 2: the one read is the holder's.
    expect(readsAtMidnight).toEqual(['QueryCommand']);
  });

  it('lets a province without a rule of its own, and a device from before rules, use the default rule', async () => {
    at('2021-09-11T01:00:00+07:00');
    const elsewhere = await ask(hanoi, rapid, dob);
    const old = await ask(legacy, rapid, dob);

    expect(elsewhere.body).toMatchObject({ verdict: 'VALID', rule: { id: 'DEFAULT', version: 1 } });
    expect(old.body).toEqual(elsewhere.body);
  });

  it('applies another mode of the jurisdiction when the request names it, and refuses an unknown mode', async () => {
    at('2021-09-11T01:00:00+07:00');
    const asFreight = await ask(quangNinh, rapid, dob, { mode: 'FREIGHT' });
    const unknown = await ask(quangNinh, rapid, dob, { mode: 'BOAT' });
    const malformed = await ask(quangNinh, rapid, dob, { mode: 'freight!' });

    expect(asFreight.body).toMatchObject({ verdict: 'VALID', rule: { id: 'QN-FREIGHT', version: 1 } });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'mode' }] } },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'mode' }] } },
    });
  });
});

describe('NOT_VALID answers under one rule', () => {
  it('are the same in shape and size for no record, positive, expired and a wrong birth date', async () => {
    at('2021-09-12T10:00:00+07:00');
    const positive = cccdFor(dob, '700002');
    const expired = cccdFor(dob, '700003');
    const valid = cccdFor(dob, '700004');
    await givenStored(
      { sampleId: 'N-1', idNumber: positive, dateOfBirth: dob, result: 'POSITIVE' },
      { sampleId: 'N-2', idNumber: expired, dateOfBirth: dob, sampledAt: '2021-09-10T09:00:00+07:00' },
      { sampleId: 'N-3', idNumber: valid, dateOfBirth: dob },
    );

    const answers = [
      await ask(quangNinh, cccdFor(dob, '700005'), dob),
      await ask(quangNinh, positive, dob),
      await ask(quangNinh, expired, dob),
      await ask(quangNinh, valid, '1992-03-05'),
    ];

    for (const answer of answers)
      expect(answer.body).toEqual({
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-12T03:00:00.000Z',
        reason: 'NO_VALID_RESULT',
        rule: { id: 'QN-ENTRY', version: 2, legalBasis: '200/UBND' },
      });
    expect(new Set(answers.map((a) => JSON.stringify(a.body).length)).size).toBe(1);
    expect((await ask(quangNinh, valid, dob)).body).toMatchObject({ verdict: 'VALID' });
  });
});
