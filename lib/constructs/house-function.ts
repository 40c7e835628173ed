import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { esmRequireShim, lambdaBundleAliases } from '../bundling.js';
import { projectRoot } from '../paths.js';
import type { FunctionSpec } from '../routes.js';
import type { StageConfig } from '../stages.js';
import { acknowledge } from './acknowledge.js';
import { encryptedLogGroup } from './logs-key.js';

export interface HouseFunctionProps {
  readonly spec: FunctionSpec;
  readonly stage: StageConfig;
  readonly reservedConcurrentExecutions?: number;
  /** The key the function's log group is encrypted with (lib/constructs/logs-key.ts). */
  readonly logsKey: IKey;
}

/**
 * The house Lambda function: Node.js 22 on arm64, bundled as minified ESM with source maps by the local
 * esbuild (no Docker), the AWS SDK bundled so its version is the one in package-lock.json, X-Ray tracing,
 * its own log group with the stage's retention, and its own role that starts empty: each `grant`-style
 * method below adds one environment variable and the least privilege behind it.
 */
export class HouseFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    const { spec, stage } = props;

    this.logGroup = encryptedLogGroup(this, 'Logs', stage, props.logsKey);
    // A role of its own instead of AWSLambdaBasicExecutionRole: logs go to this function's group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `ResultGate ${stage.name} ${id}: ${spec.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(projectRoot, spec.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      awsSdkConnectionReuse: false,
      environment: {
        ...(stage.sourceMapsAtRuntime ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        STAGE: stage.name,
        RETENTION_DAYS: String(stage.retentionDays),
        VALIDITY_RT_PCR_HOURS: String(stage.validityHours.RT_PCR),
        VALIDITY_RAPID_ANTIGEN_HOURS: String(stage.validityHours.RAPID_ANTIGEN),
        PASS_LIFETIME_DAYS: String(stage.passLifetimeDays),
        STALE_LAB_HOURS: String(stage.staleLabHours),
      },
      bundling: {
        // esbuild's size report per function would bury the one line that matters in `cdk synth`.
        logLevel: LogLevel.ERROR,
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not the sources: a quarter of the map to ship and to load.
        sourcesContent: false,
        banner: esmRequireShim,
        mainFields: ['module', 'main'],
        bundleAwsSDK: true,
        externalModules: [],
        esbuildArgs: Object.fromEntries(
          Object.entries(lambdaBundleAliases).map(([from, to]) => [`--alias:${from}`, to]),
        ),
      },
    });

    acknowledge(this, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level permissions.',
    });
    acknowledge(this.fn, {
      id: 'AwsSolutions-L1',
      reason:
        'ResultGate pins Node.js 22: the toolchain and tests are validated on it; a newer runtime is adopted deliberately, not by the linter.',
    });
  }

  addEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  /** Read items: GetItem, Query and BatchGetItem on the table (and its indexes), Decrypt on its key. */
  readTable(envName: string, table: ITable): this {
    this.addEnvironment(envName, table.tableName);
    table.grant(this.role, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem');
    table.encryptionKey?.grant(this.role, 'kms:Decrypt');
    return this;
  }

  /** Write items: PutItem, UpdateItem and DeleteItem (conditional writes included), and use of its key. */
  writeTable(envName: string, table: ITable): this {
    this.addEnvironment(envName, table.tableName);
    table.grant(this.role, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    table.encryptionKey?.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    return this;
  }

  /** UpdateItem only (no Put or Delete): for a function that sets an attribute on existing items. */
  updateTable(envName: string, table: ITable): this {
    this.addEnvironment(envName, table.tableName);
    table.grant(this.role, 'dynamodb:UpdateItem');
    table.encryptionKey?.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    return this;
  }

  /** Send (and batch-send) messages to the queue: sqs:SendMessage covers SendMessageBatch. */
  sendTo(envName: string, queue: IQueue): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grant(this.role, 'sqs:SendMessage');
    queue.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    return this;
  }

  /** Read one secret's value; the variable holds the secret's ARN. */
  readSecret(envName: string, secret: ISecret): this {
    this.addEnvironment(envName, secret.secretArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    secret.encryptionKey?.grant(this.role, 'kms:Decrypt');
    return this;
  }

  /**
   * Sign with an asymmetric KMS key (and read its public key for the JWS `kid`). The key policy names this
   * role for kms:Sign: the account itself may administer the key but not sign (lib/constructs/signing.ts).
   */
  signWith(envName: string, key: IKey): this {
    this.addEnvironment(envName, key.keyId);
    key.grant(this.role, 'kms:Sign', 'kms:GetPublicKey');
    key.addToResourcePolicy(
      new PolicyStatement({ principals: [this.role], actions: ['kms:Sign'], resources: ['*'] }),
    );
    return this;
  }

  /**
   * Read the public half of asymmetric KMS keys, by key object or by key id (a previous key):
   * kms:GetPublicKey on exactly those keys. No variable: the function is told the key ids per call (the
   * deploy-time key publisher gets them as custom-resource properties).
   */
  readPublicKeysOf(keys: readonly (IKey | string)[]): this {
    const stack = Stack.of(this);
    const keyArn = (key: IKey | string): string => {
      if (typeof key !== 'string') return key.keyArn;
      return key.startsWith('arn:')
        ? key
        : stack.formatArn({ service: 'kms', resource: 'key', resourceName: key });
    };
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: keys.map(keyArn) }),
    );
    return this;
  }
}
