import { ArnFormat, CfnElement, CustomResource, Stack } from 'aws-cdk-lib';
import type { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NEVER_EXPIRE } from '../../functions/adapters/execution-log-group.js';
import type { FunctionSpec } from '../routes.js';
import type { StageConfig } from '../stages.js';
import { acknowledge } from './acknowledge.js';
import { HouseFunction } from './house-function.js';
import { houseProvider } from './house-provider.js';

/** The deploy-time function behind the execution-logs custom resource (no route; runs only at deployment). */
export const executionLogsSpec: FunctionSpec = {
  entry: 'functions/handlers/adopt-execution-logs.ts',
  description: "At deployment, makes or adopts the API stage's execution-log group, with the logs key",
  needs: [],
  timeoutSeconds: 30,
  memoryMb: 256,
};

/** What CloudWatch Logs is asked for the group: make it, put our key on it, set its retention (or none). */
const EXECUTION_LOGS_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:AssociateKmsKey',
  'logs:PutRetentionPolicy',
  'logs:DeleteRetentionPolicy',
];

export interface ExecutionLogsProps {
  readonly stage: StageConfig;
  readonly logsKey: IKey;
  readonly api: IRestApi;
  readonly stageName: string;
}

/**
 * API Gateway writes the stage's execution logs (errors only, never bodies: lib/constructs/api.ts) to
 * `API-Gateway-Execution-Logs_<api id>/<stage>`, a group it makes itself, outside the template, with no
 * key of ours and no retention. This custom resource makes that group first, encrypted with the logs key
 * and with the stage's retention, or adopts it when an earlier deployment let API Gateway make it. Same
 * pattern as the default rule set (default-rules.ts): a house function behind the Provider framework; the
 * function may touch that one log group only. The group outlives the stack, as API Gateway's would.
 */
export class ExecutionLogs extends Construct {
  readonly adopter: HouseFunction;
  readonly resource: CustomResource;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, { stage, logsKey, api, stageName }: ExecutionLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroupName = `API-Gateway-Execution-Logs_${api.restApiId}/${stageName}`;
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.adopter = new HouseFunction(this, 'ExecutionLogsAdopter', {
      spec: executionLogsSpec,
      stage,
      logsKey,
    });
    this.adopter.role.addToPolicy(
      new PolicyStatement({ actions: EXECUTION_LOGS_ACTIONS, resources: [logGroupArn, `${logGroupArn}:*`] }),
    );

    const provider = houseProvider(this, 'ExecutionLogsProvider', {
      stage,
      logsKey,
      handler: this.adopter,
      relays: 'relays the execution-logs custom resource to its function',
      handlerName: 'the execution-logs function',
    });

    this.resource = new CustomResource(this, 'ExecutionLogGroup', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ApiExecutionLogGroup',
      properties: {
        LogGroupName: this.logGroupName,
        KmsKeyArn: logsKey.keyArn,
        // RetentionDays.INFINITE is not a number of days CloudWatch Logs takes: it means no retention policy.
        RetentionDays:
          stage.logRetention === RetentionDays.INFINITE ? NEVER_EXPIRE : String(stage.logRetention),
      },
    });

    const restApi = api.node.defaultChild;
    const apiLogicalId = restApi instanceof CfnElement ? stack.getLogicalId(restApi) : '';
    acknowledge(this.adopter.role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_<${apiLogicalId}>/${stageName}:*]`,
      reason:
        "CloudWatch Logs actions on a log group may be authorised on its ARN with the ':*' suffix (its streams); the statement names the stage's execution-log group and nothing else.",
    });
  }
}
