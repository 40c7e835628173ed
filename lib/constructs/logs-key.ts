import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type LogGroupProps } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';

/**
 * The customer-managed key every log group of the stack is encrypted with (function logs, API access
 * logs, the custom-resource framework's and the web deployment's logs): logs may hold principal ids and
 * request metadata. CloudWatch Logs uses it on behalf of log groups of this account and Region only.
 */
export const createLogsKey = (scope: Construct, id: string, stage: StageConfig): Key => {
  const stack = Stack.of(scope);
  const key = new Key(scope, id, {
    description: `ResultGate ${stage.name}: encrypts the stack's CloudWatch log groups`,
    enableKeyRotation: true,
    removalPolicy: stage.removalPolicy,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return key;
};

/** A log group with the stage's retention and removal, encrypted with the logs key. */
export const encryptedLogGroup = (
  scope: Construct,
  id: string,
  stage: StageConfig,
  logsKey: IKey,
  extra: Partial<LogGroupProps> = {},
): LogGroup =>
  new LogGroup(scope, id, {
    retention: stage.logRetention,
    removalPolicy: stage.removalPolicy,
    encryptionKey: logsKey,
    ...extra,
  });
