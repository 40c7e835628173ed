import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeRegistryTable, type RegistryTable } from '../../functions/adapters/registry-table.js';
import { makeResultsTable } from '../../functions/adapters/results-table.js';
import { makeRevocationsTable } from '../../functions/adapters/revocations-table.js';
import type { RevocableSamples, Revocations } from '../../functions/domain/revocations.js';
import { readStackInfo } from '../../local/data-dir.js';
import { localDynamoClient, localSqsClient } from '../../local/emulators.js';
import { asAwsSetupError, StackNotFoundError, StackOutputsMissingError } from './errors.js';
import {
  awsGateway,
  type FlushOutcome,
  type Gateway,
  localGateway,
  readLocalControlToken,
} from './gateway.js';

/** What the admin commands act on: the local stack of `npm start`, or a deployed stack. */
export interface Target {
  readonly kind: 'local' | 'aws';
  /** For the operator: which stack this is. */
  readonly description: string;
  readonly registry: RegistryTable;
  /** The results table (`results revoke`); fails on first use for a stack without its output. */
  readonly results: RevocableSamples;
  /** Revocation records, in the registry table. */
  readonly revocations: Revocations;
  readonly sqs: SQSClient;
  readonly resultsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** API keys per principal and the authorizer cache (cli/admin/gateway.ts). */
  readonly gateway: Gateway;
  /** Forgets the gateway's cached credentials: a revocation takes effect at the next request. */
  flushAuthorizerCache(): Promise<FlushOutcome>;
  /** Closes the SDK clients' connections. */
  dispose(): void;
}

/** Which stack to act on, as the command line and environment chose it. */
export type TargetSelection =
  | { readonly kind: 'local'; readonly dataDir: string }
  | { readonly kind: 'aws'; readonly stackName: string; readonly region: string | undefined };

const documentClient = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/** The local stack running from `dataDir` (it must be running: its dynalite holds the data files). */
export const localTarget = async (dataDir: string): Promise<Target> => {
  const info = await readStackInfo(dataDir);
  const dynamo = documentClient(localDynamoClient(info.dynamodbEndpoint));
  const sqs = localSqsClient(info.sqsEndpoint);
  const gateway = localGateway(info.url, await readLocalControlToken(dataDir));
  return {
    kind: 'local',
    description: `local stack at ${info.url} (data in ${dataDir})`,
    registry: makeRegistryTable(dynamo, info.registryTable),
    results: makeResultsTable(dynamo, info.resultsTable),
    revocations: makeRevocationsTable(dynamo, info.registryTable),
    sqs,
    resultsQueueUrl: info.resultsQueueUrl,
    deadLetterQueueUrl: info.deadLetterQueueUrl,
    gateway,
    flushAuthorizerCache: () => gateway.flushAuthorizerCache(),
    dispose: () => {
      dynamo.destroy();
      sqs.destroy();
    },
  };
};

/** The outputs of lib/resultgate-stack.ts the admin CLI reads; the CDK stack keeps these keys stable. */
export const REQUIRED_OUTPUTS = ['RegistryTableName', 'ResultsQueueUrl', 'DeadLetterQueueUrl'] as const;
type RequiredOutput = (typeof REQUIRED_OUTPUTS)[number];

/**
 * The outputs the API-key and cache commands read. Required only by the commands that use them, so a
 * stack deployed before per-credential keys still lists, suspends and redrives until it is upgraded.
 */
export const GATEWAY_OUTPUTS = [
  'RestApiId',
  'ApiStageName',
  'UsagePlanIdLab',
  'UsagePlanIdCheckpoint',
  'UsagePlanIdApp',
] as const;

/** A gateway whose every call fails with what is missing: the stack predates these outputs. */
const gatewayMissing = (error: Error): Gateway => ({
  ensureUsageKey: () => Promise.reject(error),
  deleteUsageKey: () => Promise.reject(error),
  syncUsageKeys: () => Promise.reject(error),
  flushAuthorizerCache: () => Promise.reject(error),
});

const isStackMissing = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationError' && /does not exist/i.test(error.message);

/** The stack's outputs by key, with clear errors for a missing stack, credentials or region. */
export const readStackOutputs = async (
  cloudFormation: CloudFormationClient,
  stackName: string,
  region: string | undefined,
): Promise<{ outputs: Map<string, string>; status: string | undefined }> => {
  const described = await cloudFormation
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .catch((error: unknown) => {
      if (isStackMissing(error)) throw new StackNotFoundError(stackName, region);
      throw asAwsSetupError(error) ?? error;
    });
  const stack = described.Stacks?.[0];
  if (stack === undefined) throw new StackNotFoundError(stackName, region);
  const outputs = new Map<string, string>();
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue) outputs.set(output.OutputKey, output.OutputValue);
  }
  return { outputs, status: stack.StackStatus };
};

/**
 * A deployed stack, found by name from its CloudFormation outputs, with the operator's own AWS
 * credentials and region (the SDK's default provider chain; `region` overrides the chain's region).
 */
export const awsTarget = async (stackName: string, region: string | undefined): Promise<Target> => {
  const config = region === undefined ? {} : { region };
  const cloudFormation = new CloudFormationClient(config);
  try {
    const { outputs, status } = await readStackOutputs(cloudFormation, stackName, region);
    const missing = REQUIRED_OUTPUTS.filter((key) => !outputs.has(key));
    if (missing.length > 0) throw new StackOutputsMissingError(stackName, missing, status);
    const output = (key: RequiredOutput): string => outputs.get(key) ?? '';
    const dynamo = documentClient(new DynamoDBClient(config));
    const sqs = new SQSClient(config);
    // CreateApiKey allows 5 requests/s per account: adaptive retries pace a long `keys sync`.
    const apiGateway = new APIGatewayClient({ ...config, retryMode: 'adaptive', maxAttempts: 10 });
    const missingGateway = GATEWAY_OUTPUTS.filter((key) => !outputs.has(key));
    const gatewayOutput = (key: (typeof GATEWAY_OUTPUTS)[number]): string => outputs.get(key) ?? '';
    const gateway =
      missingGateway.length > 0
        ? gatewayMissing(new StackOutputsMissingError(stackName, missingGateway, status))
        : awsGateway(apiGateway, {
            stackName,
            restApiId: gatewayOutput('RestApiId'),
            stageName: gatewayOutput('ApiStageName'),
            usagePlanIds: {
              lab: gatewayOutput('UsagePlanIdLab'),
              checkpoint: gatewayOutput('UsagePlanIdCheckpoint'),
              app: gatewayOutput('UsagePlanIdApp'),
            },
          });
    const resolvedRegion = region ?? (await cloudFormation.config.region().catch(() => 'the default region'));
    return {
      kind: 'aws',
      description: `stack ${stackName} in ${resolvedRegion}${outputs.has('ApiUrl') ? ` (${outputs.get('ApiUrl')})` : ''}`,
      registry: makeRegistryTable(dynamo, output('RegistryTableName')),
      // Every deployed version has this output; read here, not required, so other commands never need it.
      results: makeResultsTable(dynamo, outputs.get('ResultsTableName') ?? 'ResultsTableName-output-missing'),
      revocations: makeRevocationsTable(dynamo, output('RegistryTableName')),
      sqs,
      resultsQueueUrl: output('ResultsQueueUrl'),
      deadLetterQueueUrl: output('DeadLetterQueueUrl'),
      gateway,
      flushAuthorizerCache: () => gateway.flushAuthorizerCache(),
      dispose: () => {
        dynamo.destroy();
        sqs.destroy();
        apiGateway.destroy();
      },
    };
  } finally {
    cloudFormation.destroy();
  }
};

export const resolveTarget = (selection: TargetSelection): Promise<Target> =>
  selection.kind === 'local'
    ? localTarget(selection.dataDir)
    : awsTarget(selection.stackName, selection.region);
