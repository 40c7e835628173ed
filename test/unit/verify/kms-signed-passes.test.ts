import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  DynamoDBClient,
  QueryCommand as LowLevelQueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { publicKeyEntry } from '../../../functions/adapters/public-keys.js';
import { handler as publishSigningKeys } from '../../../functions/handlers/publish-signing-keys.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

/**
 * The cloud wiring of the pass handlers: keys in KMS (current and previous). At deployment the publisher
 * reads their public halves into a JWKS, which verify and keys get as SIGNING_PUBLIC_KEYS; the pass issuer
 * signs with the KMS key named by SIGNING_KEY_ID. KMS and DynamoDB are mocked; the signatures are real.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const handlerModule = z.object({ handler: z.custom<Handler>((value) => typeof value === 'function') });

const currentKeyId = 'arn:aws:kms:ap-southeast-1:111122223333:key/current';
const previousKeyId = 'arn:aws:kms:ap-southeast-1:111122223333:key/previous';
const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const previous = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

const kms = mockClient(KMSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
// The verify function reads with the low-level client (adapters/holder-results.ts).
const dynamoDb = mockClient(DynamoDBClient);

let issuePass: Handler;
let verifyHolder: Handler;
let getKeys: Handler;

beforeAll(async () => {
  kms
    .on(GetPublicKeyCommand, { KeyId: currentKeyId })
    .resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: spki(current.publicKey) });
  kms
    .on(GetPublicKeyCommand, { KeyId: previousKeyId })
    .resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: spki(previous.publicKey) });
  kms.on(SignCommand).callsFake((input: SignCommandInput) => ({
    Signature: sign('sha256', input.Message ?? new Uint8Array(), {
      key: current.privateKey,
      dsaEncoding: 'der',
    }),
  }));
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamoDb.on(LowLevelQueryCommand).resolves({ Items: [] });
  // The holder's pass-request count of the day (adapters/pass-requests.ts): the first request.
  dynamoDb.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '1' } } });
  const published = await publishSigningKeys(
    {
      RequestType: 'Create',
      ServiceToken: 'token',
      ResponseURL: 'https://example.invalid/response',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'PublicKeys',
      ResourceType: 'Custom::PassSigningPublicKeys',
      ResourceProperties: { ServiceToken: 'token', CurrentKeyId: currentKeyId, PreviousKeyId: previousKeyId },
    },
    lambdaContext(),
  );
  kms.resetHistory();
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    RESULTS_TABLE: 'results',
    REGISTRY_TABLE: 'registry',
    PEPPER: 'cd'.repeat(32),
    SIGNING_KEY_ID: currentKeyId,
    SIGNING_PUBLIC_KEYS: published.Data?.Jwks,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const modules = await Promise.all([
    import('../../../functions/handlers/issue-pass.js'),
    import('../../../functions/handlers/verify-holder.js'),
    import('../../../functions/handlers/get-keys.js'),
  ]);
  const [issue, verify, keys] = modules.map((module) => handlerModule.parse(module).handler);
  if (!issue || !verify || !keys) throw new Error('a handler module did not load');
  [issuePass, verifyHolder, getKeys] = [issue, verify, keys];
});

const app = { principalId: 'app-1', role: 'app' } as const;
const checkpoint = { principalId: 'device-1', role: 'checkpoint' } as const;
const holder = { idType: 'CCCD', idNumber: '001190012345', dateOfBirth: '1990-05-17' };
const bodyOf = (response: APIGatewayProxyResult): unknown => JSON.parse(response.body);
const qrSchema = z.object({ qr: z.string() });

describe('pass handlers with KMS keys', () => {
  it('publishes the current and previous KMS keys', async () => {
    const response = await getKeys(apiEvent({ method: 'GET', path: '/v1/keys' }), lambdaContext());

    expect(bodyOf(response)).toMatchObject({
      keys: [{ kid: publicKeyEntry(current.publicKey).kid }, { kid: publicKeyEntry(previous.publicKey).kid }],
    });
  });

  it('signs a pass with KMS that the verify function accepts', async () => {
    const issued = await issuePass(
      apiEvent({ path: '/v1/passes', body: holder, caller: app }),
      lambdaContext(),
    );
    const { qr } = qrSchema.parse(bodyOf(issued));

    const verified = await verifyHolder(
      apiEvent({ path: '/v1/verify', body: { qr }, caller: checkpoint }),
      lambdaContext(),
    );

    expect(issued.statusCode).toBe(201);
    expect(bodyOf(verified)).toMatchObject({ verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT' });
  });

  it('checks passes and publishes keys without KMS; the issuer reads its public key once per cold start', async () => {
    const { qr } = qrSchema.parse(
      bodyOf(await issuePass(apiEvent({ path: '/v1/passes', body: holder, caller: app }), lambdaContext())),
    );
    await getKeys(apiEvent({ method: 'GET', path: '/v1/keys' }), lambdaContext());
    const before = kms.commandCalls(GetPublicKeyCommand).length;

    for (let i = 0; i < 5; i += 1) {
      await verifyHolder(apiEvent({ path: '/v1/verify', body: { qr }, caller: checkpoint }), lambdaContext());
      await issuePass(apiEvent({ path: '/v1/passes', body: holder, caller: app }), lambdaContext());
      await getKeys(apiEvent({ method: 'GET', path: '/v1/keys' }), lambdaContext());
    }

    expect(kms.commandCalls(GetPublicKeyCommand).length).toBe(before);
    // Only the pass issuer asks, once, for its key's kid; verify and keys read the JWKS from configuration.
    const perKey = kms.commandCalls(GetPublicKeyCommand).map((call) => call.args[0].input.KeyId);
    expect(perKey).toEqual([currentKeyId]);
  });
});
