import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeRegistryTable } from '../../../functions/adapters/registry-table.js';
import { makeRegistryCommands } from '../../../functions/domain/registry.js';
import { logger } from '../../../functions/observability.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, aResult, lambdaContext } from '../../support/fixtures.js';

/**
 * The handler modules in-process against dynalite and fauxqs: the same story as the end-to-end test,
 * without HTTP, so each step's event and answer can be looked at.
 */
describe('given a lab and a checkpoint device', () => {
  let emulators: TestEmulators;
  let handlers: {
    authorize: (event: never) => Promise<APIGatewayAuthorizerResult>;
    submit: (event: APIGatewayProxyEvent) => Promise<{ statusCode: number; body: string }>;
    store: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
    verify: (event: APIGatewayProxyEvent) => Promise<{ statusCode: number; body: string }>;
  };
  let commands: ReturnType<typeof makeRegistryCommands>;

  beforeAll(async () => {
    emulators = await startTestEmulators();
    emulators.applyEnv();
    commands = makeRegistryCommands(makeRegistryTable(emulators.dynamo, emulators.names.registryTable));
    const context = lambdaContext();
    const [authorize, submit, store, verify] = await Promise.all([
      import('../../../functions/handlers/authorize-request.js'),
      import('../../../functions/handlers/submit-results.js'),
      import('../../../functions/handlers/store-results.js'),
      import('../../../functions/handlers/verify-holder.js'),
    ]);
    handlers = {
      authorize: (event) => authorize.handler(event),
      submit: (event) => submit.handler(event, context),
      store: (event) => store.handler(event, context),
      verify: (event) => verify.handler(event, context),
    };
  });

  afterAll(async () => {
    await emulators.stop();
  });

  const authorize = async (credential: string, method: string, path: string) =>
    handlers.authorize({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:api/test/${method}${path}`,
      headers: { Authorization: `Bearer ${credential}` },
    } as never);

  /** What the gateway hands the handler: the authorizer's principal and context. */
  const asCaller = (policy: APIGatewayAuthorizerResult) => ({
    principalId: policy.principalId,
    role: String(policy.context?.role) as 'lab',
    name: String(policy.context?.name),
    testTypes: String(policy.context?.testTypes),
  });

  const drainQueueIntoStore = async () => {
    const out = await emulators.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: emulators.queues.resultsQueueUrl, MaxNumberOfMessages: 10 }),
    );
    const records = (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {} as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:resultgate-results',
      awsRegion: 'us-east-1',
    }));
    return { count: records.length, response: await handlers.store({ Records: records }) };
  };

  it('when the lab submits a negative result, then the checkpoint sees VALID', async () => {
    const lab = await commands.addLab({
      name: 'CDC Quảng Ninh',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    const device = await commands.addDevice('Chốt Km 5');
    const labPolicy = await authorize(lab.credential, 'POST', '/v1/results');
    const result = aResult({ sampleId: 'IT-1', dateOfBirth: '2001-02-03', fullName: 'Trần Thị Bình' });

    const submitted = await handlers.submit(
      apiEvent({ body: { results: [result] }, caller: asCaller(labPolicy) }),
    );
    const stored = await drainQueueIntoStore();
    const devicePolicy = await authorize(device.credential, 'POST', '/v1/verify');
    const verified = await handlers.verify(
      apiEvent({
        body: { idType: 'CCCD', idNumber: result.citizen.idNumber, dateOfBirth: '2001-02-03' },
        caller: { ...asCaller(devicePolicy), role: 'checkpoint' },
      }),
    );

    expect(submitted.statusCode).toBe(202);
    expect(stored).toEqual({ count: 1, response: { batchItemFailures: [] } });
    expect(JSON.parse(verified.body)).toMatchObject({
      verdict: 'VALID',
      facility: { id: lab.id, name: 'CDC Quảng Ninh' },
      holder: { maskedName: 'T*** T** B***', birthYear: 2001 },
    });
  });

  it('a NOT_VALID answer is logged with the device and the reason only, for the guessing alarm', async () => {
    const device = await commands.addDevice('Chốt Km 6');
    const devicePolicy = await authorize(device.credential, 'POST', '/v1/verify');
    const info = vi.spyOn(logger, 'info');

    const verified = await handlers.verify(
      apiEvent({
        body: { idType: 'CCCD', idNumber: '001099000777', dateOfBirth: '1999-07-07' },
        caller: { ...asCaller(devicePolicy), role: 'checkpoint' },
      }),
    );

    expect(JSON.parse(verified.body)).toMatchObject({ verdict: 'NOT_VALID' });
    const lines = info.mock.calls.filter(([message]) => message === 'not valid answered');
    expect(lines).toEqual([['not valid answered', { deviceId: device.id, reason: 'NO_VALID_RESULT' }]]);
    expect(JSON.stringify(lines)).not.toMatch(/001099000777|1999-07-07/);
    info.mockRestore();
  });

  it('then nothing in the queue message reveals the ID number, the name or the birth date', async () => {
    const lab = await commands.addLab({ name: 'Lab', province: 'Quảng Ninh', testTypes: ['RT_PCR'] });
    const labPolicy = await authorize(lab.credential, 'POST', '/v1/results');
    const result = aResult({
      sampleId: 'IT-PRIVACY',
      dateOfBirth: '1999-12-31',
      fullName: 'Phạm Minh Châu',
      phone: '0912345678',
    });

    await handlers.submit(apiEvent({ body: { results: [result] }, caller: asCaller(labPolicy) }));
    const out = await emulators.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: emulators.queues.resultsQueueUrl, MaxNumberOfMessages: 10 }),
    );

    const body = out.Messages?.[0]?.Body ?? '';
    expect(body).toContain('IT-PRIVACY');
    for (const secret of [result.citizen.idNumber, 'Phạm Minh Châu', 'Minh', '1999-12-31', '0912345678']) {
      expect(body).not.toContain(secret);
    }
  });

  it('the authorizer allows only the routes of the role, and refuses unknown credentials', async () => {
    const device = await commands.addDevice('Chốt');

    const policy = await authorize(device.credential, 'POST', '/v1/verify');

    const [statement] = policy.policyDocument.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow' });
    expect(JSON.stringify(statement)).toContain('/POST/v1/verify');
    expect(JSON.stringify(statement)).not.toContain('/v1/results');
    // Its own API key, so API Gateway meters this device alone (functions/http/policy.ts, usageKeyOf).
    expect(policy.usageIdentifierKey).toMatch(
      new RegExp(`^rg(local|dev|prod)${device.id.replace('_', '')}$`),
    );
    await expect(authorize('rg_dev_this-is-not-a-known-credential', 'POST', '/v1/verify')).rejects.toThrow(
      'Unauthorized',
    );
  });

  it('the authorizer denies a suspended lab', async () => {
    const lab = await commands.addLab({ name: 'Lab', province: 'Quảng Ninh', testTypes: ['RT_PCR'] });
    await commands.suspendLab(lab.id);

    const policy = await authorize(lab.credential, 'POST', '/v1/results');

    expect(policy.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny' })]);
  });
});
