import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runAdmin } from '../../../cli/admin/main.js';
import { aLab } from './labs.js';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const STACK = 'ResultGate-prod';
const REGISTRY = 'ResultGate-prod-DataRegistryTable1234-ABCD';
const DLQ = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/ResultGate-prod-Dlq';
const QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/ResultGate-prod-Results';

const outputs = (keys: Record<string, string>) =>
  Object.entries(keys).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

const deployedStack = (extra: Record<string, string> = {}) =>
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2021-09-01T00:00:00Z'),
        Outputs: outputs({
          ApiUrl: 'https://abc123.execute-api.ap-southeast-1.amazonaws.com/prod',
          RegistryTableName: REGISTRY,
          ResultsQueueUrl: QUEUE,
          DeadLetterQueueUrl: DLQ,
          ...extra,
        }),
      },
    ],
  });

/** `npm run admin -- <args>` in-process, with RESULTGATE_STACK as the environment gives it. */
const admin = async (args: string[], env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, {
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
    const tables = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.TableName);
    expect(tables).toEqual([REGISTRY, REGISTRY]);
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
    expect(out.stdout).toContain('lab lab_a is now SUSPENDED');
    expect(out.stderr).toContain(`stack ${STACK} in ap-southeast-1`);
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
    expect(out.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No lab with id lab_nope.' } });
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
        message: expect.stringContaining(`No CloudFormation stack named ${STACK} in ap-southeast-1`),
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
    expect(out.stderr).toContain('lacks the output(s) ResultsQueueUrl, DeadLetterQueueUrl');
    expect(out.stderr).toContain('CREATE_IN_PROGRESS');
  });

  it('says that AWS credentials are missing rather than failing obscurely', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    cloudFormation.on(DescribeStacksCommand).rejects(noCredentials);

    const out = await admin(['lab', 'list', '--stack', STACK, '--json']);

    expect(out.code).toBe(2);
    expect(out.json()).toMatchObject({ error: { code: 'AWS_NOT_CONFIGURED' } });
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
        message: 'AWS refused: AccessDeniedException: not authorized to perform: dynamodb:Query',
      },
    });
  });

  it('refuses --stack together with --data-dir before calling AWS', async () => {
    const out = await admin(['lab', 'list', '--stack', STACK, '--data-dir', '/tmp/x']);

    expect(out.code).toBe(2);
    expect(cloudFormation.calls()).toHaveLength(0);
  });
});
