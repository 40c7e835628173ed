import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { PASS_SNAPSHOTS_PER_HOLDER_PER_DAY } from '../../../contract/limits.js';
import { watchedLogMessages } from '../../../contract/metrics.js';
import { defaultRuleSet } from '../../../contract/rules.js';
import { hours } from '../../../contract/verdict.js';
import { makeHolderResults } from '../../../functions/adapters/holder-results.js';
import { makePassRequestCounter } from '../../../functions/adapters/pass-requests.js';
import { buildJwks, publicKeyEntryFromPem } from '../../../functions/adapters/public-keys.js';
import {
  createLocalSigner,
  generateSigningKeyPem,
  type PassSigner,
} from '../../../functions/adapters/signer.js';
import { dynamoDb } from '../../../functions/clients/dynamodb-client.js';
import { makeIssuePass } from '../../../functions/domain/issue-pass.js';
import { jwksResponseSchema } from '../../../functions/openapi/schemas.js';
import { issuedPassSchema } from '../../../functions/schemas/passes.js';
import { startTestEmulators, TEST_PEPPER, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, cccdFor, lambdaContext, type ResultInput } from '../../support/fixtures.js';
import { storeThroughDomains } from '../../support/given-stored.js';
import { makeTempDir } from '../../support/temp.js';
import { highSTwinOf } from '../../unit/pass/fixtures.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const handlerModule = z.object({ handler: z.custom<Handler>((value) => typeof value === 'function') });

const app = { principalId: 'app-1', role: 'app' } as const;
const checkpoint = { principalId: 'device-1', role: 'checkpoint' } as const;
/** No rule set published in this table: verify judges by the deployment's windows as the default rule. */
const defaultRule = {
  id: 'DEFAULT',
  version: 1,
  legalBasis: 'Cấu hình triển khai / deployment configuration',
};
const lab = { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] as const };
const pepper = { secret: Buffer.from(TEST_PEPPER, 'hex'), version: 1 };

const currentPem = generateSigningKeyPem();
const previousPem = generateSigningKeyPem();
const retiredPem = generateSigningKeyPem();

let emulators: TestEmulators;
let keyDir: string;
let issuePass: Handler;
let verifyHolder: Handler;
let getKeys: Handler;

/** Handler modules read their configuration when imported, so they are imported after the env is set. */
const loadHandlers = async (): Promise<[Handler, Handler, Handler]> => {
  const modules = await Promise.all([
    import('../../../functions/handlers/issue-pass.js'),
    import('../../../functions/handlers/verify-holder.js'),
    import('../../../functions/handlers/get-keys.js'),
  ]);
  const [issue, verify, keys] = modules.map((module) => handlerModule.parse(module).handler);
  if (!issue || !verify || !keys) throw new Error('a handler module did not load');
  return [issue, verify, keys];
};

beforeAll(async () => {
  emulators = await startTestEmulators();
  keyDir = await makeTempDir('keys');
  await writeFile(join(keyDir, 'current.pem'), currentPem, { mode: 0o600 });
  emulators.applyEnv();
  // Passes are signed with the current key's PEM; verify and keys read the current and previous public
  // keys from configuration, as deployed during a rotation.
  Object.assign(process.env, {
    SIGNING_KEY_FILE: join(keyDir, 'current.pem'),
    SIGNING_PUBLIC_KEYS: JSON.stringify(
      buildJwks([publicKeyEntryFromPem(currentPem), publicKeyEntryFromPem(previousPem)]),
    ),
  });
  [issuePass, verifyHolder, getKeys] = await loadHandlers();
});

afterAll(async () => {
  await emulators?.stop();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

/** Given: a lab's results, normalised by the ingest domain and stored by the store domain. */
const givenStored = async (...results: ResultInput[]) => {
  const outcome = await storeThroughDomains(emulators, lab, results);
  expect(outcome.accepted).toBe(results.length);
};

const call = async (handler: Handler, event: APIGatewayProxyEvent) => {
  const response = await handler(event, lambdaContext());
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: JSON.parse(response.body) as unknown,
  };
};

const whenTheAppAsksForAPass = async (holder: { idType?: string; idNumber: string; dateOfBirth: string }) => {
  const { status, body } = await call(
    issuePass,
    apiEvent({ path: '/v1/passes', body: { idType: 'CCCD', ...holder }, caller: app }),
  );
  expect(status).toBe(201);
  return issuedPassSchema.parse(body);
};

const whenTheCheckpointScans = async (qr: string) => {
  const { status, body } = await call(
    verifyHolder,
    apiEvent({ path: '/v1/verify', body: { qr }, caller: checkpoint }),
  );
  expect(status).toBe(200);
  return body;
};

/** The checkpoint's answer as sent, with its one moving part (the time of the check) blanked. */
const rawAnswerTo = async (body: Record<string, string>) => {
  const response = await verifyHolder(
    apiEvent({ path: '/v1/verify', body, caller: checkpoint }),
    lambdaContext(),
  );
  expect(response.statusCode).toBe(200);
  return response.body.replace(/"checkedAt":"[^"]+"/, '"checkedAt":"<time>"');
};

const hoursAgo = (n: number) => new Date(Date.now() - hours(n)).toISOString();

const payloadOf = (qr: string): unknown =>
  JSON.parse(Buffer.from(qr.split('.')[1] ?? '', 'base64url').toString('utf8'));

/** A pass signed outside the handlers (by the previous or a retired key), for the same holder. */
const passSignedBy = async (signer: PassSigner, idNumber: string, dateOfBirth: string) =>
  makeIssuePass({
    pepper: async () => pepper,
    holders: makeHolderResults(emulators.dynamoClient, emulators.names.resultsTable),
    requests: makePassRequestCounter(emulators.dynamoClient, emulators.names.resultsTable),
    signer: async () => signer,
    clock: { now: () => new Date() },
    rule: async () => defaultRuleSet({ RT_PCR: 72, RAPID_ANTIGEN: 48 }),
    lifetimeSeconds: 7 * 86_400,
  })({ idType: 'CCCD', idNumber, dateOfBirth });

describe('a signed pass from the app to the checkpoint', () => {
  it('given a negative, when the app gets a pass and the checkpoint scans it, then the holder is VALID', async () => {
    const idNumber = cccdFor('1990-05-01', '100001');
    await givenStored({ sampleId: 'P-1', idNumber, fullName: 'Nguyễn Văn An' });

    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1990-05-01' });
    const answer = await whenTheCheckpointScans(pass.qr);

    expect(answer).toMatchObject({
      verdict: 'VALID',
      facility: { id: 'lab-1', name: 'CDC Quảng Ninh' },
      holder: { maskedName: 'N***** V** A*', birthYear: 1990 },
    });
    expect(pass.svg).toMatch(/^<svg /);
    expect(Date.parse(pass.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it('gives the pass a snapshot of the valid negative', async () => {
    const idNumber = cccdFor('1991-02-03', '100002');
    await givenStored({ sampleId: 'P-2', idNumber, dateOfBirth: '1991-02-03', fullName: 'Trần Thị Bích' });

    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1991-02-03' });

    expect(payloadOf(pass.qr)).toMatchObject({
      v: 1,
      kv: 1,
      snap: { testType: 'RT_PCR', maskedName: 'T*** T** B***', birthYear: 1991 },
    });
  });

  it('gives no snapshot when the only negative has expired', async () => {
    const idNumber = cccdFor('1991-02-03', '100012');
    await givenStored({ sampleId: 'P-12', idNumber, dateOfBirth: '1991-02-03', sampledAt: hoursAgo(73) });

    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1991-02-03' });

    expect(payloadOf(pass.qr)).not.toHaveProperty('snap');
  });

  it('accepts the ID number with spaces and lower case, as manual entry does', async () => {
    const idNumber = cccdFor('1992-03-04', '100003');
    await givenStored({ sampleId: 'P-3', idNumber, dateOfBirth: '1992-03-04' });

    const pass = await whenTheAppAsksForAPass({
      idNumber: `${idNumber.slice(0, 6)} ${idNumber.slice(6)}`,
      dateOfBirth: '1992-03-04',
    });

    expect(payloadOf(pass.qr)).toHaveProperty('snap.testType', 'RT_PCR');
  });

  it('issues a pass without a snapshot when the birth date does not match the records', async () => {
    const idNumber = cccdFor('1993-04-05', '100004');
    await givenStored({ sampleId: 'P-4', idNumber, dateOfBirth: '1993-04-05' });

    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1993-04-06' });

    expect(payloadOf(pass.qr)).not.toHaveProperty('snap');
  });

  it('tells no more for a wrong birth date than for the right one without a valid result', async () => {
    const withNegative = cccdFor('1993-04-05', '100014');
    const withPositive = cccdFor('1993-04-05', '100015');
    await givenStored(
      { sampleId: 'P-14', idNumber: withNegative, dateOfBirth: '1993-04-05' },
      { sampleId: 'P-15', idNumber: withPositive, dateOfBirth: '1993-04-05', result: 'POSITIVE' },
    );

    const wrongDate = await whenTheAppAsksForAPass({ idNumber: withNegative, dateOfBirth: '1993-04-06' });
    const rightDate = await whenTheAppAsksForAPass({ idNumber: withPositive, dateOfBirth: '1993-04-05' });

    expect(Object.keys(payloadOf(wrongDate.qr) as object)).toEqual(
      Object.keys(payloadOf(rightDate.qr) as object),
    );
    expect(wrongDate.qr.length).toBe(rightDate.qr.length);
  });

  it('given a negative, a pass asked for with a wrong birth date scans exactly like an unknown holder', async () => {
    const idNumber = cccdFor('1993-08-09', '100016');
    await givenStored({ sampleId: 'P-16', idNumber, dateOfBirth: '1993-08-09' });
    const wrongDate = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1993-08-10' });
    const unknown = await whenTheAppAsksForAPass({
      idNumber: cccdFor('1993-08-10', '100017'),
      dateOfBirth: '1993-08-10',
    });
    const rightDate = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1993-08-09' });

    const wrongAnswer = await rawAnswerTo({ qr: wrongDate.qr });
    const unknownAnswer = await rawAnswerTo({ qr: unknown.qr });
    const manualAnswer = await rawAnswerTo({ idType: 'CCCD', idNumber, dateOfBirth: '1993-08-10' });

    expect(JSON.parse(wrongAnswer)).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: '<time>',
      reason: 'NO_VALID_RESULT',
      rule: defaultRule,
    });
    expect(wrongAnswer).toBe(unknownAnswer);
    expect(wrongAnswer).toBe(manualAnswer);
    expect(await whenTheCheckpointScans(rightDate.qr)).toMatchObject({ verdict: 'VALID' });
  });

  it('lets a positive stored after the pass was issued override its snapshot', async () => {
    const idNumber = cccdFor('1994-05-06', '100005');
    await givenStored({ sampleId: 'P-5', idNumber, dateOfBirth: '1994-05-06', sampledAt: hoursAgo(5) });
    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1994-05-06' });
    expect(payloadOf(pass.qr)).toHaveProperty('snap');

    await givenStored({
      sampleId: 'P-6',
      idNumber,
      dateOfBirth: '1994-05-06',
      result: 'POSITIVE',
      sampledAt: hoursAgo(2),
    });
    const answer = await whenTheCheckpointScans(pass.qr);

    expect(answer).toMatchObject({ verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT' });
  });

  it('turns VALID once a negative arrives after the pass was issued', async () => {
    const idNumber = cccdFor('1995-06-07', '100006');
    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1995-06-07' });
    expect(await whenTheCheckpointScans(pass.qr)).toMatchObject({
      verdict: 'NOT_VALID',
      reason: 'NO_VALID_RESULT',
      rule: defaultRule,
    });

    await givenStored({ sampleId: 'P-7', idNumber, dateOfBirth: '1995-06-07' });

    expect(await whenTheCheckpointScans(pass.qr)).toMatchObject({ verdict: 'VALID' });
  });

  it('refuses an app request with an unknown field or a malformed ID number', async () => {
    const { status, body } = await call(
      issuePass,
      apiEvent({
        path: '/v1/passes',
        body: { idType: 'CCCD', idNumber: '12345', dateOfBirth: '1990-05-01', fullName: 'x' },
        caller: app,
      }),
    );

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(body)).not.toContain('12345');
  });

  it('refuses a pass request from a checkpoint credential', async () => {
    const { status } = await call(
      issuePass,
      apiEvent({
        path: '/v1/passes',
        body: { idType: 'CCCD', idNumber: cccdFor('1990-05-01'), dateOfBirth: '1990-05-01' },
        caller: checkpoint,
      }),
    );

    expect(status).toBe(403);
  });
});

describe('a scanned pass that must not be trusted', () => {
  let serial = 200_100;
  const validPass = async (serial: string) => {
    const idNumber = cccdFor('1996-07-08', serial);
    await givenStored({ sampleId: `T-${serial}`, idNumber, dateOfBirth: '1996-07-08' });
    return whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1996-07-08' });
  };

  it.each([
    [
      'a payload swapped for another holder',
      (qr: string) => qr.replace(/\.[^.]+\./, `.${Buffer.from('{"v":1}').toString('base64url')}.`),
    ],
    [
      'a flipped signature character',
      (qr: string) => `${qr.slice(0, -2)}${qr.at(-2) === 'A' ? 'B' : 'A'}${qr.at(-1)}`,
    ],
    [
      'alg none',
      (qr: string) =>
        `RG1:${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${qr.split('.')[1]}.`,
    ],
    ['a bare ID number', () => cccdFor('1996-07-08', '200001')],
    ['an empty prefix', () => 'RG1:'],
  ])('answers PASS_INVALID for %s', async (_case, tamper) => {
    serial += 1;
    const pass = await validPass(String(serial));

    const answer = await whenTheCheckpointScans(tamper(pass.qr));

    expect(answer).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: expect.any(String),
      reason: 'PASS_INVALID',
      rule: defaultRule,
    });
  });

  it('answers PASS_INVALID for the high-S twin of a genuine pass', async () => {
    const pass = await validPass('300003');
    expect(await whenTheCheckpointScans(pass.qr)).toMatchObject({ verdict: 'VALID' });

    const answer = await whenTheCheckpointScans(highSTwinOf(pass.qr));

    expect(answer).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: expect.any(String),
      reason: 'PASS_INVALID',
      rule: defaultRule,
    });
  });

  it('answers PASS_INVALID for a pass issued before passes carried bdc, signed with the current key', async () => {
    const pass = await validPass('300004');
    const [header = '', payload = ''] = pass.qr.slice('RG1:'.length).split('.');
    const { bdc: _, ...unbound } = z.looseObject({ bdc: z.string() }).parse(payloadOf(pass.qr));
    const unboundPayload = Buffer.from(JSON.stringify(unbound)).toString('base64url');
    const signature = await createLocalSigner(currentPem).sign(
      new TextEncoder().encode(`${header}.${unboundPayload}`),
    );
    expect(unboundPayload).not.toBe(payload);

    const answer = await whenTheCheckpointScans(
      `RG1:${header}.${unboundPayload}.${Buffer.from(signature).toString('base64url')}`,
    );

    expect(answer).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: expect.any(String),
      reason: 'PASS_INVALID',
      rule: defaultRule,
    });
  });

  it('answers PASS_INVALID for an expired pass', async () => {
    const pass = await validPass('300001');
    vi.useFakeTimers({ now: Date.now() + 7 * 86_400_000, toFake: ['Date'] });

    const answer = await whenTheCheckpointScans(pass.qr).finally(() => vi.useRealTimers());

    expect(answer).toMatchObject({ verdict: 'NOT_VALID', reason: 'PASS_INVALID', rule: defaultRule });
  });

  it('refuses a scan body with an unknown field', async () => {
    const pass = await validPass('300002');

    const { status } = await call(
      verifyHolder,
      apiEvent({ path: '/v1/verify', body: { qr: pass.qr, idNumber: 'x' }, caller: checkpoint }),
    );

    expect(status).toBe(400);
  });
});

describe('key rotation', () => {
  it('publishes the current and the previous key as a cacheable JWKS', async () => {
    const { status, headers, body } = await call(getKeys, apiEvent({ method: 'GET', path: '/v1/keys' }));

    expect(status).toBe(200);
    expect(headers['Cache-Control']).toBe('public, max-age=300');
    expect(jwksResponseSchema.safeParse(body).success).toBe(true);
    expect(body).toEqual({
      keys: [
        expect.objectContaining({
          kid: publicKeyEntryFromPem(currentPem).kid,
          kty: 'EC',
          crv: 'P-256',
          alg: 'ES256',
          use: 'sig',
        }),
        expect.objectContaining({
          kid: publicKeyEntryFromPem(previousPem).kid,
          kty: 'EC',
          crv: 'P-256',
          alg: 'ES256',
          use: 'sig',
        }),
      ],
    });
  });

  it('signs new passes with the current key', async () => {
    const pass = await whenTheAppAsksForAPass({
      idNumber: cccdFor('1990-05-01', '400001'),
      dateOfBirth: '1990-05-01',
    });

    const header = JSON.parse(
      Buffer.from(pass.qr.slice(4).split('.')[0] ?? '', 'base64url').toString('utf8'),
    );

    expect(header).toEqual({ alg: 'ES256', kid: publicKeyEntryFromPem(currentPem).kid, typ: 'JWT' });
  });

  it('still accepts a pass signed by the previous key', async () => {
    const idNumber = cccdFor('1997-08-09', '400002');
    await givenStored({ sampleId: 'R-1', idNumber, dateOfBirth: '1997-08-09' });
    const pass = await passSignedBy(createLocalSigner(previousPem), idNumber, '1997-08-09');

    expect(await whenTheCheckpointScans(pass.qr)).toMatchObject({ verdict: 'VALID' });
  });

  it('refuses a pass signed by a key that is no longer published', async () => {
    const idNumber = cccdFor('1997-08-09', '400003');
    await givenStored({ sampleId: 'R-2', idNumber, dateOfBirth: '1997-08-09' });
    const pass = await passSignedBy(createLocalSigner(retiredPem), idNumber, '1997-08-09');

    expect(await whenTheCheckpointScans(pass.qr)).toMatchObject({
      verdict: 'NOT_VALID',
      reason: 'PASS_INVALID',
      rule: defaultRule,
    });
  });
});

describe('manual entry answers', () => {
  const ask = (idNumber: string, dateOfBirth: string) =>
    call(
      verifyHolder,
      apiEvent({ path: '/v1/verify', body: { idType: 'CCCD', idNumber, dateOfBirth }, caller: checkpoint }),
    );

  it('are the same in shape, size and DynamoDB reads for no record, positive, expired and a wrong birth date', async () => {
    const positive = cccdFor('1998-01-02', '500001');
    const expired = cccdFor('1998-01-02', '500002');
    const valid = cccdFor('1998-01-02', '500003');
    const nobody = cccdFor('1998-01-02', '500004');
    await givenStored(
      { sampleId: 'M-1', idNumber: positive, dateOfBirth: '1998-01-02', result: 'POSITIVE' },
      { sampleId: 'M-2', idNumber: expired, dateOfBirth: '1998-01-02', sampledAt: hoursAgo(73) },
      { sampleId: 'M-3', idNumber: valid, dateOfBirth: '1998-01-02' },
    );
    const reads = vi.spyOn(dynamoDb, 'send');

    const answers = [];
    const readsPerAnswer = [];
    for (const [idNumber, dateOfBirth] of [
      [nobody, '1998-01-02'],
      [positive, '1998-01-02'],
      [expired, '1998-01-02'],
      [valid, '1998-01-03'],
    ] as const) {
      reads.mockClear();
      answers.push(await ask(idNumber, dateOfBirth));
      readsPerAnswer.push(reads.mock.calls.map(([command]) => command.constructor.name));
    }
    reads.mockRestore();

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        verdict: 'NOT_VALID',
        checkedAt: expect.any(String),
        reason: 'NO_VALID_RESULT',
        rule: defaultRule,
      });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a.body).length)).size).toBe(1);
    expect(readsPerAnswer).toEqual([['QueryCommand'], ['QueryCommand'], ['QueryCommand'], ['QueryCommand']]);
  });

  it('reads DynamoDB once for a scanned pass, forged or not, and not at all for an unreadable one', async () => {
    const idNumber = cccdFor('1998-01-02', '500005');
    await givenStored({ sampleId: 'M-5', idNumber, dateOfBirth: '1998-01-02' });
    const pass = await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1998-01-02' });
    const signed = pass.qr.slice(0, pass.qr.lastIndexOf('.') + 1);
    const signature = Buffer.from(pass.qr.slice(signed.length), 'base64url');
    signature.writeUInt8(signature.readUInt8(10) ^ 1, 10);
    const forged = `${signed}${signature.toString('base64url')}`;
    const reads = vi.spyOn(dynamoDb, 'send');
    const readsFor = async (qr: string) => {
      reads.mockClear();
      const answer = await whenTheCheckpointScans(qr);
      return { answer, reads: reads.mock.calls.length };
    };

    const valid = await readsFor(pass.qr);
    // The read starts while the signature is checked (domain/pass-codec.ts, checkPass); its rows are dropped.
    const refused = await readsFor(forged);
    const unreadable = await readsFor(pass.qr.slice(0, 40));
    reads.mockRestore();

    expect(valid).toMatchObject({ reads: 1, answer: { verdict: 'VALID' } });
    expect(refused).toMatchObject({ reads: 1, answer: { verdict: 'NOT_VALID', reason: 'PASS_INVALID' } });
    expect(unreadable).toMatchObject({ reads: 0, answer: { verdict: 'NOT_VALID', reason: 'PASS_INVALID' } });
  });
});

describe("a holder's daily pass limit, through the handler and DynamoDB", () => {
  it('leaves an app guessing a VALID holder’s birth date with no pass that has a snapshot, and says so', async () => {
    const idNumber = cccdFor('1994-07-08', '600001');
    await givenStored({ sampleId: 'G-1', idNumber, dateOfBirth: '1994-07-08' });
    const { logger, metrics } = await import('../../../functions/observability.js');
    const warn = vi.spyOn(logger, 'warn');
    const counted = vi.spyOn(metrics, 'addMetric');
    // The guesser starts at 1 January; the right date is far down the list.
    const guesses = Array.from({ length: 200 }, (_, i) =>
      new Date(Date.UTC(1994, 0, 1 + i)).toISOString().slice(0, 10),
    );

    const passes = [];
    for (const dateOfBirth of guesses) passes.push(await whenTheAppAsksForAPass({ idNumber, dateOfBirth }));
    const logged = JSON.stringify(warn.mock.calls);
    const warnings = warn.mock.calls.length;
    const overLimit = counted.mock.calls.filter(([name]) => name === 'PassRequestsOverLimit');
    warn.mockRestore();
    counted.mockRestore();

    expect(guesses.indexOf('1994-07-08')).toBeGreaterThan(PASS_SNAPSHOTS_PER_HOLDER_PER_DAY);
    expect(passes.filter((pass) => 'snap' in (payloadOf(pass.qr) as object))).toEqual([]);
    // The right date's pass still scans VALID: only the offline snapshot is withheld.
    const right = passes[guesses.indexOf('1994-07-08')];
    expect(await whenTheCheckpointScans(right?.qr ?? '')).toMatchObject({ verdict: 'VALID' });
    expect(warnings).toBe(guesses.length - PASS_SNAPSHOTS_PER_HOLDER_PER_DAY);
    expect(logged).toContain('pass requests over the daily limit for one holder: no snapshot');
    expect(logged).toContain(`"requestsToday":${PASS_SNAPSHOTS_PER_HOLDER_PER_DAY + 1}`);
    expect(logged).not.toContain(idNumber);
    expect(overLimit).toHaveLength(guesses.length - PASS_SNAPSHOTS_PER_HOLDER_PER_DAY);
  });

  it('logs, with the app and nothing of the holder, each pass asked with a birth date none of the holder’s results has', async () => {
    const idNumber = cccdFor('1991-03-04', '600002');
    await givenStored({ sampleId: 'G-2', idNumber, dateOfBirth: '1991-03-04' });
    const unknownHolder = cccdFor('1991-03-04', '600003');
    const { logger } = await import('../../../functions/observability.js');
    const info = vi.spyOn(logger, 'info');
    const notMatching = () =>
      info.mock.calls.filter(([message]) => message === watchedLogMessages.PassBirthDateNotMatching);

    await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1991-03-04' });
    const afterRightDate = notMatching().length;
    await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1991-03-05' });
    await whenTheAppAsksForAPass({ idNumber, dateOfBirth: '1991-03-06' });
    const afterWrongDates = notMatching().length;
    // A holder with no result: nothing to match, so nothing to learn and nothing counted.
    await whenTheAppAsksForAPass({ idNumber: unknownHolder, dateOfBirth: '1991-03-05' });
    const lines = notMatching();
    info.mockRestore();

    expect([afterRightDate, afterWrongDates, lines.length]).toEqual([0, 2, 2]);
    expect(lines[0]?.[1]).toEqual({ appId: app.principalId });
    expect(JSON.stringify(lines)).not.toContain(idNumber);
  });

  it('counts concurrent requests one by one: a burst cannot slip past the limit', async () => {
    const counter = makePassRequestCounter(emulators.dynamoClient, emulators.names.resultsTable);
    const at = new Date('2026-12-02T10:00:00Z');

    const counts = await Promise.all(Array.from({ length: 40 }, () => counter.count('burst-holder', at)));
    const nextDay = await counter.count('burst-holder', new Date('2026-12-03T00:00:01Z'));

    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(nextDay).toBe(1);
    const stored = await emulators.dynamo.send(
      new GetCommand({
        TableName: emulators.names.resultsTable,
        Key: { pk: 'PASSREQ#burst-holder', sk: 'DAY#2026-12-02' },
      }),
    );
    // Gone with TTL at the end of the next day.
    expect(stored.Item).toEqual({
      pk: 'PASSREQ#burst-holder',
      sk: 'DAY#2026-12-02',
      count: 40,
      expiresAt: Date.parse('2026-12-04T00:00:00Z') / 1000,
    });
  });
});
