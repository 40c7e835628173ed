import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteRetentionPolicyCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptExecutionLogGroup } from '../../../functions/adapters/execution-log-group.js';
import { handler } from '../../../functions/handlers/adopt-execution-logs.js';

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

const group = {
  name: 'API-Gateway-Execution-Logs_abc123/prod',
  kmsKeyArn: 'arn:aws:kms:ap-southeast-1:111122223333:key/11111111-2222-3333-4444-555555555555',
  retentionDays: 90,
};
const alreadyThere = () =>
  new ResourceAlreadyExistsException({ message: 'The specified log group already exists', $metadata: {} });
const sent = () => logs.calls().map((call) => call.args[0].constructor.name);

describe("the API stage's execution-log group", () => {
  it('is made with the logs key and the stage retention when API Gateway has not made it yet', async () => {
    logs.on(CreateLogGroupCommand).resolves({});
    logs.on(PutRetentionPolicyCommand).resolves({});

    await expect(adoptExecutionLogGroup(new CloudWatchLogsClient({}), group)).resolves.toEqual({
      created: true,
    });
    expect(logs.commandCalls(CreateLogGroupCommand)[0]?.args[0].input).toEqual({
      logGroupName: group.name,
      kmsKeyId: group.kmsKeyArn,
    });
    expect(logs.commandCalls(PutRetentionPolicyCommand)[0]?.args[0].input).toEqual({
      logGroupName: group.name,
      retentionInDays: 90,
    });
    expect(sent()).toEqual(['CreateLogGroupCommand', 'PutRetentionPolicyCommand']);
  });

  it('is adopted when it exists already: the key put on it, then the retention', async () => {
    logs.on(CreateLogGroupCommand).rejects(alreadyThere());
    logs.on(AssociateKmsKeyCommand).resolves({});
    logs.on(PutRetentionPolicyCommand).resolves({});

    await expect(adoptExecutionLogGroup(new CloudWatchLogsClient({}), group)).resolves.toEqual({
      created: false,
    });
    expect(sent()).toEqual(['CreateLogGroupCommand', 'AssociateKmsKeyCommand', 'PutRetentionPolicyCommand']);
    expect(logs.commandCalls(AssociateKmsKeyCommand)[0]?.args[0].input).toEqual({
      logGroupName: group.name,
      kmsKeyId: group.kmsKeyArn,
    });
  });

  it('keeps its events for good when the stage keeps logs for good (no retention policy)', async () => {
    const forGood = { ...group, retentionDays: 'never expire' as const };
    logs.on(CreateLogGroupCommand).resolves({});
    await adoptExecutionLogGroup(new CloudWatchLogsClient({}), forGood);
    // A group just made has no policy to remove.
    expect(sent()).toEqual(['CreateLogGroupCommand']);

    logs.reset();
    logs.on(CreateLogGroupCommand).rejects(alreadyThere());
    logs.on(AssociateKmsKeyCommand).resolves({});
    logs.on(DeleteRetentionPolicyCommand).resolves({});
    await adoptExecutionLogGroup(new CloudWatchLogsClient({}), forGood);
    expect(sent()).toEqual([
      'CreateLogGroupCommand',
      'AssociateKmsKeyCommand',
      'DeleteRetentionPolicyCommand',
    ]);
    expect(logs.commandCalls(DeleteRetentionPolicyCommand)[0]?.args[0].input).toEqual({
      logGroupName: group.name,
    });
  });

  it('fails the deployment on any other error, and goes no further', async () => {
    logs.on(CreateLogGroupCommand).rejects(new Error('AccessDeniedException'));

    await expect(adoptExecutionLogGroup(new CloudWatchLogsClient({}), group)).rejects.toThrow(
      'AccessDeniedException',
    );
    expect(sent()).toEqual(['CreateLogGroupCommand']);
  });
});

describe('the execution-logs custom resource', () => {
  const event = (
    requestType: 'Create' | 'Update' | 'Delete',
    properties: Record<string, string> = {
      LogGroupName: group.name,
      KmsKeyArn: group.kmsKeyArn,
      RetentionDays: '90',
    },
  ) =>
    ({
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:ap-southeast-1:111122223333:function:framework-onEvent',
      ResponseURL: 'https://example.invalid/response',
      StackId: 'arn:aws:cloudformation:ap-southeast-1:111122223333:stack/ResultGate-prod/1',
      RequestId: 'request-1',
      LogicalResourceId: 'ExecutionLogGroup',
      ResourceType: 'Custom::ApiExecutionLogGroup',
      ResourceProperties: { ServiceToken: 'token', ...properties },
      ...(requestType === 'Create'
        ? {}
        : {
            PhysicalResourceId: group.name,
            OldResourceProperties: { ServiceToken: 'token', ...properties },
          }),
    }) as CdkCustomResourceEvent;

  it('makes or adopts the group on Create and Update, named by it', async () => {
    logs.on(CreateLogGroupCommand).rejects(alreadyThere());
    logs.on(AssociateKmsKeyCommand).resolves({});
    logs.on(PutRetentionPolicyCommand).resolves({});

    for (const type of ['Create', 'Update'] as const) {
      await expect(handler(event(type))).resolves.toEqual({
        PhysicalResourceId: group.name,
      });
    }
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(2);
  });

  it('leaves the group on Delete, and refuses an event without its properties', async () => {
    await expect(handler(event('Delete'))).resolves.toEqual({
      PhysicalResourceId: group.name,
    });
    expect(logs.calls()).toHaveLength(0);
    await expect(handler(event('Create', { LogGroupName: group.name }))).rejects.toThrow(
      'Custom resource property KmsKeyArn is missing',
    );
    await expect(
      handler(
        event('Create', { LogGroupName: group.name, KmsKeyArn: group.kmsKeyArn, RetentionDays: 'ninety' }),
      ),
    ).rejects.toThrow('Custom resource property RetentionDays is not a number of days: ninety');
    expect(logs.calls()).toHaveLength(0);
  });
});
