import { userInfo } from 'node:os';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeRegistryTable, type RegistryTable } from '../../functions/adapters/registry-table.js';
import { makeResultsTable } from '../../functions/adapters/results-table.js';
import { makeRevocationsTable } from '../../functions/adapters/revocations-table.js';
import { makeRuleSetsTable, type RuleSetsTable } from '../../functions/adapters/rule-sets-table.js';
import type { Audit } from '../../functions/domain/registry.js';
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
import { makeServiceClock, type ServiceClock, watchServiceClock } from './service-clock.js';

/** What the admin commands act on: the local stack of `npm start`, or a deployed stack. */
export interface Target {
  readonly kind: 'local' | 'aws';
  /** For the operator: which stack this is. */
  readonly description: string;
  /** The same in Vietnamese (the operator reads it first). */
  readonly descriptionVi: string;
  readonly registry: RegistryTable;
  /** The published rule sets (`RULESET` items of the registry table). */
  readonly ruleSets: RuleSetsTable;
  /** The stage's `ruleLeadTimeHours`: how far ahead a rule's validFrom must be unless `--urgent`. */
  readonly ruleLeadTimeHours: number;
  /**
   * The service's time against this computer's, from the `Date` of its answers: `rules publish` refuses a
   * clock off by more than 2 min, and what the CLI records and judges goes by `serviceClock.now()`.
   */
  readonly serviceClock: ServiceClock;
  /** Who is acting, as the audit and a published rule set record it (see `audit.actor`). */
  whoAmI(): Promise<string>;
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
  /** Progress for people during a long command (stderr; never part of the --json document). */
  readonly progress?: (text: string) => void;
  /** Where each change is recorded, and who makes it. */
  readonly audit: Audit;
  /** Audit entries that could not be written during this command (the changes themselves were made). */
  auditFailures(): readonly string[];
  /** Closes the SDK clients' connections. */
  dispose(): void;
}

const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown OS user';
  }
};

/** The audit trail, and `whoAmI` from the same actor. */
const withActor = (trail: Pick<Target, 'audit' | 'auditFailures'>) => ({
  ...trail,
  whoAmI: () => trail.audit.actor(),
});

/**
 * The audit trail of one command. A failed audit write never undoes or hides the change it records
 * (an `add` must still print its credential): it is kept in `failures`, and the command exits 3 with a
 * warning.
 */
const auditTrail = (
  registry: RegistryTable,
  actor: () => Promise<string>,
): Pick<Target, 'audit' | 'auditFailures'> => {
  const failures: string[] = [];
  let who: Promise<string> | undefined;
  return {
    audit: {
      actor: () => {
        who ??= actor().catch(() => osUser());
        return who;
      },
      log: {
        appendAudit: (entry) =>
          registry.appendAudit(entry).catch((error: unknown) => {
            failures.push(
              `${entry.action} ${entry.subject}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            );
          }),
        listAudit: (since) => registry.listAudit(since),
      },
    },
    auditFailures: () => failures,
  };
};

/** Which stack to act on, as the command line and environment chose it. */
export type TargetSelection =
  | { readonly kind: 'local'; readonly dataDir: string }
  | { readonly kind: 'aws'; readonly stackName: string; readonly region: string | undefined };

/** The local stage's lead time (lib/stages.ts: dev 1, prod 24): short, for trying rules out. */
export const LOCAL_RULE_LEAD_TIME_HOURS = 1;
/** A stack deployed before rule sets has no RuleLeadTimeHours output: the stricter production value. */
const DEFAULT_RULE_LEAD_TIME_HOURS = 24;

const documentClient = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/** The local stack running from `dataDir` (it must be running: its dynalite holds the data files). */
export const localTarget = async (dataDir: string): Promise<Target> => {
  const info = await readStackInfo(dataDir);
  const rawDynamo = localDynamoClient(info.dynamodbEndpoint);
  const serviceClock = makeServiceClock();
  watchServiceClock(rawDynamo, serviceClock);
  const dynamo = documentClient(rawDynamo);
  const sqs = localSqsClient(info.sqsEndpoint);
  const gateway = localGateway(info.url, await readLocalControlToken(dataDir));
  const registry = makeRegistryTable(dynamo, info.registryTable);
  return {
    kind: 'local',
    description: `local stack at ${info.url} (data in ${dataDir})`,
    descriptionVi: `ngăn xếp cục bộ tại ${info.url} (dữ liệu trong ${dataDir})`,
    registry,
    ruleSets: makeRuleSetsTable(dynamo, info.registryTable),
    ruleLeadTimeHours: LOCAL_RULE_LEAD_TIME_HOURS,
    serviceClock,
    ...withActor(auditTrail(registry, async () => osUser())),
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
export const awsTarget = async (
  stackName: string,
  region: string | undefined,
  sleep?: (ms: number) => Promise<void>,
): Promise<Target> => {
  const config = region === undefined ? {} : { region };
  const cloudFormation = new CloudFormationClient(config);
  // The stack's outputs are the first answer from AWS: its time is known before any change is made.
  const serviceClock = makeServiceClock();
  watchServiceClock(cloudFormation, serviceClock);
  try {
    const { outputs, status } = await readStackOutputs(cloudFormation, stackName, region);
    const missing = REQUIRED_OUTPUTS.filter((key) => !outputs.has(key));
    if (missing.length > 0) throw new StackOutputsMissingError(stackName, missing, status);
    const output = (key: RequiredOutput): string => outputs.get(key) ?? '';
    const rawDynamo = new DynamoDBClient(config);
    watchServiceClock(rawDynamo, serviceClock);
    const dynamo = documentClient(rawDynamo);
    const leadTime = Number(outputs.get('RuleLeadTimeHours'));
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
            ...(sleep === undefined ? {} : { sleep }),
          });
    const resolvedRegion = region ?? (await cloudFormation.config.region().catch(() => undefined));
    const api = outputs.has('ApiUrl') ? ` (${outputs.get('ApiUrl')})` : '';
    const registry = makeRegistryTable(dynamo, output('RegistryTableName'));
    return {
      kind: 'aws',
      description: `stack ${stackName} in ${resolvedRegion ?? 'the default region'}${api}`,
      descriptionVi: `ngăn xếp ${stackName} ở khu vực ${resolvedRegion ?? 'mặc định'}${api}`,
      ruleSets: makeRuleSetsTable(dynamo, output('RegistryTableName')),
      ruleLeadTimeHours:
        Number.isInteger(leadTime) && leadTime >= 0 ? leadTime : DEFAULT_RULE_LEAD_TIME_HOURS,
      serviceClock,
      registry,
      ...withActor(auditTrail(registry, () => awsActor(dynamo))),
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

/**
 * Who acts against AWS. @aws-sdk/client-sts (GetCallerIdentity, the ARN) is not installed, so this is
 * what the SDK's credential chain gives without another call: the access key id (an identifier, not the
 * secret; CloudTrail and `aws sts get-access-key-info` map it to the account and identity), the profile
 * and the OS user.
 */
const awsActor = async (dynamo: DynamoDBDocumentClient): Promise<string> => {
  const provider = dynamo.config.credentials;
  const identity = await provider();
  const profile = process.env.AWS_PROFILE;
  return `aws-access-key:${identity.accessKeyId}${profile ? ` profile:${profile}` : ''} os-user:${osUser()}`;
};

export const resolveTarget = (
  selection: TargetSelection,
  sleep?: (ms: number) => Promise<void>,
): Promise<Target> =>
  selection.kind === 'local'
    ? localTarget(selection.dataDir)
    : awsTarget(selection.stackName, selection.region, sleep);
