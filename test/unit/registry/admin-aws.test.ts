import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  FlushStageAuthorizersCacheCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { SECOND_FLUSH_AFTER_MS } from '../../../cli/admin/gateway.js';
import { runAdmin } from '../../../cli/admin/main.js';
import type { Principal } from '../../../functions/domain/registry.js';
import { usageKeyOf } from '../../../functions/http/policy.js';
import { functions } from '../../../lib/routes.js';
import { aLab } from './labs.js';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const apiGateway = mockClient(APIGatewayClient);

const STACK = 'ResultGate-prod';
const REGISTRY = 'ResultGate-prod-DataRegistryTable1234-ABCD';
const DLQ = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/ResultGate-prod-Dlq';
const QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/ResultGate-prod-Results';

const API_URL = 'https://abc123.execute-api.ap-southeast-1.amazonaws.com/prod';
const REST_API = 'abc123';
const PLANS = { lab: 'plan-lab', checkpoint: 'plan-checkpoint', app: 'plan-app' };
/** The outputs the key and cache commands read (a stack deployed from this version has them). */
const GATEWAY_OUTPUTS = {
  RestApiId: REST_API,
  ApiStageName: 'prod',
  UsagePlanIdLab: PLANS.lab,
  UsagePlanIdCheckpoint: PLANS.checkpoint,
  UsagePlanIdApp: PLANS.app,
};

const outputs = (keys: Record<string, string>) =>
  Object.entries(keys).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

const deployedStack = (extra: Record<string, string> = GATEWAY_OUTPUTS) =>
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2021-09-01T00:00:00Z'),
        Outputs: outputs({
          ApiUrl: API_URL,
          RegistryTableName: REGISTRY,
          ResultsQueueUrl: QUEUE,
          DeadLetterQueueUrl: DLQ,
          ...extra,
        }),
      },
    ],
  });

/** `npm run admin -- <args>` in-process, with RESULTGATE_STACK as the environment gives it. */
/** What the CLI waited for, in ms (between the two flushes of the stage's authorizer cache). */
let waits: number[] = [];
const admin = async (args: string[], env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  waits = [];
  const code = await runAdmin(args, {
    sleep: async (ms) => {
      waits.push(ms);
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
  });
  return { code, stdout, stderr, json: (): unknown => JSON.parse(stdout) };
};

describe('the admin CLI against a deployed stack', () => {
  beforeAll(() => {
    // The operator's profile region, as the SDK's default chain reads it.
    vi.stubEnv('AWS_REGION', 'ap-southeast-1');
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    cloudFormation.reset();
    dynamo.reset();
    sqs.reset();
    apiGateway.reset();
    apiGateway.on(GetApiKeysCommand).resolves({ items: [] });
    apiGateway.on(CreateApiKeyCommand).resolves({ id: 'key-new' });
  });

  it('finds the registry table from the stack outputs and lists its labs', async () => {
    deployedStack();
    dynamo.on(QueryCommand).resolves({
      Items: [
        { pk: 'ROLE#lab', sk: 'lab_a', ...aLab({ id: 'lab_a', lastResultAt: '2021-09-10T01:00:00.000Z' }) },
      ],
    });

    const out = await admin(['lab', 'list', '--stack', STACK, '--region', 'ap-southeast-1', '--json']);

    expect(out.code).toBe(0);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: REGISTRY,
      ExpressionAttributeValues: { ':pk': 'ROLE#lab' },
    });
    expect(out.json()).toEqual({
      labs: [
        {
          id: 'lab_a',
          name: 'CDC Quảng Ninh',
          province: 'Quảng Ninh',
          testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
          status: 'ACTIVE',
          createdAt: '2021-09-01T00:00:00.000Z',
          integratedSince: null,
          lastResultAt: '2021-09-10T01:00:00.000Z',
        },
      ],
    });
  });

  it('takes the stack name from RESULTGATE_STACK', async () => {
    deployedStack();
    dynamo.on(PutCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] }); // lab add looks for a namesake in the province

    const out = await admin(
      ['lab', 'add', '--name', 'CDC Quảng Ninh', '--province', 'Quảng Ninh', '--json'],
      {
        RESULTGATE_STACK: STACK,
      },
    );

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({
      id: expect.stringMatching(/^lab_/),
      credential: expect.stringMatching(/^rg_lab_/),
    });
    const puts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    // The credential, the lab, then the audit entry of the change, all in the stack's registry table.
    expect(puts.map((put) => put.TableName)).toEqual([REGISTRY, REGISTRY, REGISTRY]);
    expect(puts[2]?.Item).toMatchObject({
      pk: 'AUDIT',
      action: 'lab.add',
      changes: { name: [null, 'CDC Quảng Ninh'] },
    });
    expect(JSON.stringify(puts[2]?.Item)).not.toMatch(/rg_lab_|credentialHash/);
  });

  it('reads every page of a registry larger than one Query answer', async () => {
    deployedStack();
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: 'ROLE#lab', sk: 'lab_a', ...aLab({ id: 'lab_a', name: 'A' }) }],
        LastEvaluatedKey: { pk: 'ROLE#lab', sk: 'lab_a' },
      })
      .resolvesOnce({ Items: [{ pk: 'ROLE#lab', sk: 'lab_b', ...aLab({ id: 'lab_b', name: 'B' }) }] });

    const out = await admin(['lab', 'list', '--stack', STACK, '--json']);

    expect(out.json()).toMatchObject({ labs: [{ id: 'lab_a' }, { id: 'lab_b' }] });
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'ROLE#lab',
      sk: 'lab_a',
    });
  });

  it('suspends a lab in the deployed registry table', async () => {
    deployedStack();
    dynamo.on(GetCommand).resolves({ Item: { pk: 'ROLE#lab', sk: 'lab_a', ...aLab({ id: 'lab_a' }) } });
    dynamo.on(UpdateCommand).resolves({});

    const out = await admin(['lab', 'suspend', 'lab_a', '--stack', STACK]);

    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      'Phòng xét nghiệm lab_a hiện ở trạng thái SUSPENDED (tạm ngừng). / lab lab_a is now SUSPENDED.',
    );
    expect(out.stderr).toContain(
      `lab suspend trên ngăn xếp ${STACK} ở khu vực ap-southeast-1 (${API_URL}) / ` +
        `lab suspend on the stack ${STACK} in ap-southeast-1 (${API_URL})`,
    );
    // The credential item's copy of the status is updated too (the authorizer reads only that item).
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          TableName: REGISTRY,
          Key: { pk: 'ROLE#lab', sk: 'lab_a' },
          ExpressionAttributeValues: { ':status': 'SUSPENDED' },
        }),
        expect.objectContaining({
          TableName: REGISTRY,
          Key: { pk: `CREDENTIAL#${aLab({ id: 'lab_a' }).credentialHash}`, sk: 'CREDENTIAL' },
          ExpressionAttributeValues: { ':status': 'SUSPENDED' },
        }),
      ]),
    );
  });

  it('refuses an unknown lab id with exit 1 and a message naming it', async () => {
    deployedStack();
    dynamo.on(GetCommand).resolves({});

    const out = await admin(['lab', 'suspend', 'lab_nope', '--stack', STACK, '--json']);

    expect(out.code).toBe(1);
    expect(out.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'Không có cơ sở xét nghiệm với id lab_nope. / No lab with id lab_nope.',
      },
    });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('lists the dead-letter queue named by the stack outputs', async () => {
    deployedStack();
    sqs.on(ReceiveMessageCommand).resolves({});

    const out = await admin(['dlq', 'list', '--stack', STACK, '--json']);

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({ count: 0, messages: [] });
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.QueueUrl).toBe(DLQ);
  });

  it('says for people that the dead-letter queue is empty, Vietnamese first', async () => {
    deployedStack();
    sqs.on(ReceiveMessageCommand).resolves({});

    const out = await admin(['dlq', 'list', '--stack', STACK]);

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      '(không có / none)\nCó 0 thư trong hàng đợi thư lỗi. / 0 message(s) in the dead-letter queue.\n',
    );
  });

  it('says clearly when the stack does not exist, with exit 2', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: `Stack with id ${STACK} does not exist`,
      }),
    );

    const out = await admin(['lab', 'list', '--stack', STACK, '--region', 'ap-southeast-1', '--json']);

    expect(out.code).toBe(2);
    expect(out.json()).toEqual({
      error: {
        code: 'STACK_NOT_FOUND',
        message:
          `Không có ngăn xếp CloudFormation nào tên ${STACK} ở khu vực ap-southeast-1. ` +
          'Hãy kiểm tra --stack (hoặc RESULTGATE_STACK) và khu vực của hồ sơ AWS (AWS_REGION, --region). / ' +
          `No CloudFormation stack named ${STACK} in ap-southeast-1. ` +
          'Check --stack (or RESULTGATE_STACK) and the region of your AWS profile (AWS_REGION, --region).',
      },
    });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('names the outputs a stack lacks, with exit 2', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: STACK,
          StackStatus: 'CREATE_IN_PROGRESS',
          CreationTime: new Date(),
          Outputs: outputs({ RegistryTableName: REGISTRY }),
        },
      ],
    });

    const out = await admin(['lab', 'list', '--stack', STACK]);

    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      new RegExp(
        `^error: Ngăn xếp ${STACK} \\(CREATE_IN_PROGRESS\\) thiếu \\(các\\) output ResultsQueueUrl, DeadLetterQueueUrl\\. .+ / ` +
          `Stack ${STACK} \\(CREATE_IN_PROGRESS\\) lacks the output\\(s\\) ResultsQueueUrl, DeadLetterQueueUrl\\. `,
      ),
    );
  });

  it('says that AWS credentials are missing rather than failing obscurely', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    cloudFormation.on(DescribeStacksCommand).rejects(noCredentials);

    const out = await admin(['lab', 'list', '--stack', STACK, '--json']);

    expect(out.code).toBe(2);
    expect(out.json()).toEqual({
      error: {
        code: 'AWS_NOT_CONFIGURED',
        message:
          'Không tìm thấy thông tin xác thực AWS. Hãy đăng nhập như thường lệ (aws sso login, AWS_PROFILE hoặc biến môi trường). / ' +
          'No AWS credentials found (Could not load credentials from any providers). ' +
          'Sign in as usual (aws sso login, AWS_PROFILE, or environment variables).',
      },
    });
  });

  it('reports an AWS refusal such as AccessDenied with exit 3', async () => {
    deployedStack();
    dynamo.on(QueryCommand).rejects(
      new CloudFormationServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: dynamodb:Query',
      }),
    );

    const out = await admin(['lab', 'list', '--stack', STACK, '--json']);

    expect(out.code).toBe(3);
    expect(out.json()).toEqual({
      error: {
        code: 'AWS_ERROR',
        message:
          'AWS từ chối / AWS refused: AccessDeniedException: not authorized to perform: dynamodb:Query',
      },
    });
  });

  it('refuses --stack together with --data-dir before calling AWS', async () => {
    const out = await admin(['lab', 'list', '--stack', STACK, '--data-dir', '/tmp/x']);

    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'error: Chỉ dùng một trong hai: --stack (ngăn xếp đã triển khai) hoặc --data-dir (ngăn xếp cục bộ), ' +
        'không dùng cả hai. / Give either --stack (a deployed stack) or --data-dir (the local stack), not both.\n',
    );
    expect(cloudFormation.calls()).toHaveLength(0);
  });
});

const awsError = (name: string, message = name) =>
  new CloudFormationServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

const principalItem = (principal: Principal) => ({
  pk: `ROLE#${principal.role}`,
  sk: principal.id,
  ...principal,
});
const aDevice = (overrides: Partial<Principal> = {}): Principal =>
  aLab({
    id: 'dev_00000000000000d1',
    role: 'checkpoint',
    name: 'Chốt Km 5 — máy 1',
    province: undefined,
    testTypes: undefined,
    ...overrides,
  });
const anApp = (overrides: Partial<Principal> = {}): Principal =>
  aLab({
    id: 'app_00000000000000a1',
    role: 'app',
    name: 'Bluezone',
    province: undefined,
    testTypes: undefined,
    ...overrides,
  });

describe('per-credential API keys and the authorizer cache, against a deployed stack', () => {
  beforeAll(() => {
    vi.stubEnv('AWS_REGION', 'ap-southeast-1');
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    cloudFormation.reset();
    dynamo.reset();
    sqs.reset();
    apiGateway.reset();
    apiGateway.on(GetApiKeysCommand).resolves({ items: [] });
    apiGateway.on(CreateApiKeyCommand).resolves({ id: 'key-new' });
    deployedStack();
  });

  it.each([
    [['lab', 'add', '--name', 'CDC Quảng Ninh', '--province', 'Quảng Ninh'], 'lab', PLANS.lab],
    [['device', 'add', '--name', 'Chốt Km 5 — máy 1'], 'dev', PLANS.checkpoint],
    [['app', 'add', '--name', 'Bluezone'], 'app', PLANS.app],
  ])('%j gives the new principal its own API key on its role plan', async (args, prefix, plan) => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const out = await admin([...args, '--stack', STACK, '--json']);

    expect(out.code).toBe(0);
    const { id } = z.object({ id: z.string() }).parse(out.json());
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    const [create] = apiGateway.commandCalls(CreateApiKeyCommand);
    expect(create?.args[0].input).toEqual({
      name: `${STACK}-${id}`,
      value: usageKeyOf('prod', id),
      enabled: true,
      description: expect.any(String),
    });
    // The value is the one the authorizer returns: rg + stage + the id without its underscore.
    expect(create?.args[0].input.value).toBe(`rgprod${id.replace('_', '')}`);
    expect(apiGateway.commandCalls(CreateUsagePlanKeyCommand)[0]?.args[0].input).toEqual({
      usagePlanId: plan,
      keyId: 'key-new',
      keyType: 'API_KEY',
    });
  });

  it('adds a key left over by an interrupted run to the plan instead of failing', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] }); // device add reads the rule sets: its mode must be known
    apiGateway
      .on(CreateApiKeyCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'API Key already exists' }));
    apiGateway.on(GetApiKeysCommand).callsFake((input: { nameQuery?: string }) => ({
      items: [{ id: 'key-old', name: input.nameQuery }],
    }));

    const out = await admin(['device', 'add', '--name', 'Chốt Km 5 — máy 1', '--stack', STACK, '--json']);

    expect(out.code).toBe(0);
    expect(apiGateway.commandCalls(CreateUsagePlanKeyCommand)[0]?.args[0].input).toMatchObject({
      usagePlanId: PLANS.checkpoint,
      keyId: 'key-old',
    });
  });

  it('still shows the credential when its API key cannot be made, says to run keys sync, and exits 3', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] }); // device add reads the rule sets: its mode must be known
    apiGateway
      .on(CreateApiKeyCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized: apigateway:POST'));

    const out = await admin(['device', 'add', '--name', 'Chốt Km 5 — máy 1', '--stack', STACK]);

    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/credential: rg_\S+/);
    expect(out.stdout).toMatch(
      /Không tạo được khoá API: cổng API từ chối mọi lệnh gọi của nó \(403\) cho đến khi `npm run admin -- keys sync` \(cùng ngăn xếp\) tạo được khoá\. \/ Its API key could not be made \(.*apigateway:POST.*\): the gateway refuses its calls \(403\) until `npm run admin -- keys sync` \(same target\) makes it\./,
    );
  });

  it('device revoke revokes, flushes the stage authorizer cache and deletes the device key', async () => {
    const device = aDevice();
    dynamo.on(GetCommand).resolves({ Item: principalItem(device) });
    dynamo.on(UpdateCommand).resolves({});
    apiGateway.on(GetApiKeysCommand).resolves({
      items: [
        { id: 'key-other', name: `${STACK}-${device.id}0` },
        { id: 'key-dev', name: `${STACK}-${device.id}` },
      ],
    });

    const out = await admin(['device', 'revoke', device.id, '--stack', STACK, '--json']);

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({ id: device.id, status: 'REVOKED', cacheFlushed: true });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ExpressionAttributeValues: { ':status': 'REVOKED' },
    });
    expect(apiGateway.commandCalls(FlushStageAuthorizersCacheCommand)[0]?.args[0].input).toEqual({
      restApiId: REST_API,
      stageName: 'prod',
    });
    expect(apiGateway.commandCalls(DeleteApiKeyCommand).map((call) => call.args[0].input)).toEqual([
      { apiKey: 'key-dev' },
    ]);
  });

  it.each([
    [['lab', 'suspend', 'lab_0000000000000001'], aLab()],
    [['lab', 'resume', 'lab_0000000000000001'], aLab({ status: 'SUSPENDED' })],
    [['lab', 'rotate', 'lab_0000000000000001'], aLab()],
    [['device', 'rotate', 'dev_00000000000000d1'], aDevice()],
    [['app', 'rotate', 'app_00000000000000a1'], anApp()],
    [['app', 'revoke', 'app_00000000000000a1'], anApp()],
  ])('%j flushes the authorizer cache, so it takes effect at the next request', async (args, principal) => {
    dynamo.on(GetCommand).resolves({ Item: principalItem(principal) });
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});

    const out = await admin([...args, '--stack', STACK]);

    expect(out.code).toBe(0);
    // Once at once, and once more after the authorizer's timeout: no call that read the registry before
    // the change can still be running then to put a stale answer back in the cache.
    expect(apiGateway.commandCalls(FlushStageAuthorizersCacheCommand)).toHaveLength(2);
    expect(waits).toEqual([SECOND_FLUSH_AFTER_MS]);
    expect(SECOND_FLUSH_AFTER_MS).toBeGreaterThan(functions.authorizeRequest.timeoutSeconds * 1000);
    expect(out.stdout).toMatch(
      /hiệu lực ngay: đã xoá bộ nhớ đệm mã truy cập của cổng API\. \/ .+ now: the gateway's credential cache was flushed\./,
    );
  });

  it('says, Vietnamese first, that a rotation ends the old credential now', async () => {
    dynamo.on(GetCommand).resolves({ Item: principalItem(aDevice()) });
    dynamo.on(UpdateCommand).resolves({});

    const out = await admin(['device', 'rotate', 'dev_00000000000000d1', '--stack', STACK]);

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /^Thiết bị dev_00000000000000d1 đã có mã truy cập mới \/ device dev_00000000000000d1 has a new credential\n/,
    );
    expect(out.stdout).toContain(
      'Mã truy cập cũ hết hiệu lực ngay: đã xoá bộ nhớ đệm mã truy cập của cổng API. / ' +
        "The old credential stops working now: the gateway's credential cache was flushed.\n",
    );
  });

  it('cache flush says the cache was flushed, Vietnamese first', async () => {
    const out = await admin(['cache', 'flush', '--stack', STACK]);

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      "Đã xoá bộ nhớ đệm mã truy cập của cổng API. / The gateway's credential cache was flushed.\n",
    );
  });

  it('keeps the revocation when the flush is refused, says how long it may take, and exits 3', async () => {
    dynamo.on(GetCommand).resolves({ Item: principalItem(aDevice()) });
    dynamo.on(UpdateCommand).resolves({});
    apiGateway
      .on(FlushStageAuthorizersCacheCommand)
      .rejects(awsError('AccessDeniedException', 'apigateway:DELETE'));

    const out = await admin(['device', 'revoke', 'dev_00000000000000d1', '--stack', STACK, '--json']);

    expect(out.code).toBe(3);
    expect(out.json()).toMatchObject({
      id: 'dev_00000000000000d1',
      status: 'REVOKED',
      cacheFlushed: false,
      warnings: [
        expect.stringMatching(
          /^Không xoá được bộ nhớ đệm mã truy cập của cổng API; thay đổi có hiệu lực trong vòng 300 giây, .+ \/ The gateway's credential cache could not be flushed \(.*apigateway:DELETE\); it takes effect within 300 s, /,
        ),
      ],
    });
    // The revocation was written (the principal and its credential item's copy) and is not undone.
    const statuses = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':status']);
    expect(statuses).toEqual(['REVOKED', 'REVOKED']);
  });

  it('keys sync creates missing keys, puts keys on their plan, and deletes the keys of revoked principals', async () => {
    const lab = aLab();
    const device = aDevice();
    const app = anApp();
    const revoked = aDevice({ id: 'dev_00000000000000d2', status: 'REVOKED' });
    const byRole = (role: string, principals: Principal[]) =>
      dynamo
        .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `ROLE#${role}` } })
        .resolves({ Items: principals.map(principalItem) });
    byRole('lab', [lab]);
    byRole('checkpoint', [device, revoked]);
    byRole('app', [app]);
    apiGateway.on(GetApiKeysCommand).resolves({
      items: [
        { id: 'key-dev', name: `${STACK}-${device.id}` },
        { id: 'key-app', name: `${STACK}-${app.id}` },
        { id: 'key-revoked', name: `${STACK}-${revoked.id}` },
        { id: 'key-elsewhere', name: `ResultGate-dev-${lab.id}` },
      ],
    });
    apiGateway.on(GetUsagePlanKeysCommand).resolves({ items: [] });
    apiGateway
      .on(GetUsagePlanKeysCommand, { usagePlanId: PLANS.app })
      .resolves({ items: [{ id: 'key-app' }] });

    const out = await admin(['keys', 'sync', '--stack', STACK, '--json']);

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({ created: 1, attached: 1, present: 1, deleted: 1 });
    expect(apiGateway.commandCalls(GetApiKeysCommand)[0]?.args[0].input).toMatchObject({
      nameQuery: `${STACK}-`,
    });
    expect(apiGateway.commandCalls(CreateApiKeyCommand).map((c) => c.args[0].input.name)).toEqual([
      `${STACK}-${lab.id}`,
    ]);
    expect(apiGateway.commandCalls(CreateUsagePlanKeyCommand).map((c) => c.args[0].input)).toEqual([
      { usagePlanId: PLANS.lab, keyId: 'key-new', keyType: 'API_KEY' },
      { usagePlanId: PLANS.checkpoint, keyId: 'key-dev', keyType: 'API_KEY' },
    ]);
    expect(apiGateway.commandCalls(DeleteApiKeyCommand).map((c) => c.args[0].input)).toEqual([
      { apiKey: 'key-revoked' },
    ]);
  });

  it('keys sync tells people what it did, Vietnamese first', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [principalItem(aDevice())] });
    apiGateway.on(GetUsagePlanKeysCommand).resolves({ items: [] });

    const out = await admin(['keys', 'sync', '--stack', STACK]);

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      'Đã tạo 3 khoá, gắn 0 khoá vào đúng gói sử dụng (usage plan), 0 khoá đã có sẵn, ' +
        'đã xoá 0 khoá của phòng xét nghiệm, thiết bị, ứng dụng đã bị thu hồi. / ' +
        '3 key(s) created, 0 put on their usage plan, 0 already in place, 0 of revoked principals deleted.\n',
    );
  });

  it('keys sync against a stack deployed before per-credential keys names the missing outputs, exit 2', async () => {
    cloudFormation.reset();
    deployedStack({});
    dynamo.on(QueryCommand).resolves({ Items: [principalItem(aLab())] });

    const out = await admin(['keys', 'sync', '--stack', STACK, '--json']);

    expect(out.code).toBe(2);
    expect(out.json()).toMatchObject({
      error: { code: 'STACK_OUTPUTS_MISSING', message: expect.stringContaining('RestApiId, ApiStageName') },
    });
    expect(apiGateway.calls()).toHaveLength(0);
  });
});

describe('usage errors, before any stack is touched: Vietnamese first, then English', () => {
  beforeEach(() => {
    cloudFormation.reset();
    dynamo.reset();
  });

  it.each([
    [
      'an unknown command of a known noun',
      ['lab', 'delete', 'lab_1'],
      'Không có lệnh lab delete. Xem lab --help. / Unknown command: lab delete. See lab --help.',
    ],
    [
      'an unknown noun',
      ['labs', 'list'],
      'Không có lệnh labs. Các lệnh bắt đầu bằng lab, device, app, audit, results, keys, cache, dlq, rules. Xem --help. / ' +
        'Unknown command: labs. Commands start with lab, device, app, audit, results, keys, cache, dlq, rules. See --help.',
    ],
    ['a noun without its command', ['dlq'], 'Thiếu lệnh sau dlq. / dlq needs a command.'],
    ['no command at all', [], 'Chưa nhập lệnh nào. Xem --help. / No command given. See --help.'],
    [
      'a flag the command does not take',
      ['lab', 'list', '--name', 'x'],
      'Lệnh lab list không nhận --name. Xem lab list --help. / lab list does not take --name. See lab list --help.',
    ],
    [
      'an argument too many',
      ['lab', 'suspend', 'lab_1', 'lab_2'],
      'Lệnh lab suspend không nhận thêm đối số: lab_2. / Unexpected argument(s) for lab suspend: lab_2.',
    ],
    [
      'an option no command has',
      ['lab', 'list', '--nmae', 'x'],
      "Không có tuỳ chọn --nmae. Xem --help. / Unknown option '--nmae'. See --help.",
    ],
    [
      'an option without its value',
      ['lab', 'add', '--name'],
      "Tuỳ chọn --name cần một giá trị. Xem --help. / Option '--name <value>' argument missing. See --help.",
    ],
    [
      'an option given twice, which would pick one of the two silently',
      ['rules', 'publish', '--file', 'a.json', '--file', 'b.json'],
      'Tuỳ chọn --file được nêu hai lần; chỉ nêu một lần. / --file is given twice; give it once.',
    ],
    [
      'an option whose value was forgotten before the next option',
      ['rules', 'publish', '--urgent', '--file', 'a.json'],
      'Tuỳ chọn --urgent cần một giá trị. Xem --help. / Option --urgent needs a value. See --help.',
    ],
    [
      'a value starting with a dash, pasted from a list',
      ['rules', 'publish', '--file', 'a.json', '--urgent', '- Công văn 5630/UBND-XD6'],
      'Giá trị của --urgent bắt đầu bằng dấu "-": hãy viết --urgent="-…" (có dấu bằng). / ' +
        'The value of --urgent starts with "-": write --urgent="-…" (with the equals sign).',
    ],
    [
      'rules list for something not a jurisdiction code',
      ['rules', 'list', '--jurisdiction', 'Quảng Ninh'],
      'rules list: --jurisdiction nhận một mã ISO 3166-2, ví dụ VN-13 (Quảng Ninh), hoặc VN. Xem rules list --help. / ' +
        'rules list: --jurisdiction takes an ISO 3166-2 code, e.g. VN-13 (Quảng Ninh), or VN. See rules list --help.',
    ],
    [
      '--stack with --data-dir',
      ['lab', 'list', '--stack', STACK, '--data-dir', '/tmp/x'],
      'Chỉ dùng một trong hai: --stack (ngăn xếp đã triển khai) hoặc --data-dir (ngăn xếp cục bộ), không dùng cả hai. / ' +
        'Give either --stack (a deployed stack) or --data-dir (the local stack), not both.',
    ],
    [
      '--region without --stack',
      ['lab', 'list', '--region', 'ap-southeast-1'],
      '--region chỉ dùng cho ngăn xếp đã triển khai: hãy thêm --stack <name>. / ' +
        '--region applies to a deployed stack: add --stack <name>.',
    ],
    [
      'a missing id',
      ['device', 'revoke'],
      'device revoke: thiếu id của thiết bị (xem `device list`). Xem device revoke --help. / ' +
        'device revoke: the device id (see `device list`) is required. See device revoke --help.',
    ],
    [
      'several problems at once, every Vietnamese one before every English one',
      ['results', 'revoke'],
      'results revoke: thiếu --lab <id>; thiếu --reason <text>. Xem results revoke --help. / ' +
        'results revoke: --lab <id> is required; --reason <text> is required. See results revoke --help.',
    ],
  ])('refuses %s with exit 2 and one message', async (_what, args, message) => {
    const json = await admin(['--json', ...args]);
    const text = await admin(args);

    expect(json.code).toBe(2);
    expect(json.json()).toEqual({ error: { code: 'USAGE', message } });
    expect(text.code).toBe(2);
    expect(text.stderr.endsWith(`error: ${message}\n`)).toBe(true);
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
