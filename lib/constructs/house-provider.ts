import { CfnElement, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Provider } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';
import { acknowledge } from './acknowledge.js';
import type { HouseFunction } from './house-function.js';
import { encryptedLogGroup } from './logs-key.js';

export interface HouseProviderProps {
  readonly stage: StageConfig;
  readonly logsKey: IKey;
  /** The house function that does the custom resource's work. */
  readonly handler: HouseFunction;
  /** The framework role's description, e.g. "relays the public-keys custom resource to its publisher". */
  readonly relays: string;
  /** What the function is, for the cdk-nag acknowledgement, e.g. "the publisher". */
  readonly handlerName: string;
}

/**
 * The Provider framework in front of a house function, as every custom resource of the stack has it
 * (signing.ts, default-rules.ts, execution-logs.ts): the framework's own function only relays
 * CloudFormation events, with a role of its own that may write its encrypted log group (`<id>Logs`) and
 * invoke that one function, and nothing else.
 */
export const houseProvider = (
  scope: Construct,
  id: string,
  { stage, logsKey, handler, relays, handlerName }: HouseProviderProps,
): Provider => {
  const frameworkLogs = encryptedLogGroup(scope, `${id}Logs`, stage, logsKey);
  const frameworkRole = new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `ResultGate ${stage.name}: ${relays}`,
  });
  frameworkLogs.grantWrite(frameworkRole);
  const provider = new Provider(scope, id, {
    onEventHandler: handler.fn,
    frameworkOnEventRole: frameworkRole,
    logGroup: frameworkLogs,
  });
  const handlerFunction = handler.fn.node.defaultChild;
  const handlerLogicalId =
    handlerFunction instanceof CfnElement ? Stack.of(scope).getLogicalId(handlerFunction) : '';
  acknowledge(frameworkRole, {
    id: `AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`,
    reason: `The custom-resource framework relays deployment events to ${handlerName}: aws-cdk-lib grants it lambda:InvokeFunction on that one function and its versions (ARN:*); it may call no other function.`,
  });
  return provider;
};
