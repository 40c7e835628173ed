import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnMethod, Method } from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayErrors } from '../../contract/gateway-errors.js';
import { AUTHORIZER_CACHE_TTL_SECONDS, credentialLimits } from '../../contract/limits.js';
import { metricNames, watchedLogMessages } from '../../contract/metrics.js';
import { routes } from '../../contract/routes.js';
import { METRICS_NAMESPACE, roles } from '../../contract/vocabulary.js';
import { RULE_STORAGE } from '../../functions/adapters/rule-set-keys.js';
import { SIGNING_KEY_ACCOUNT_ACTIONS } from '../../lib/constructs/signing.js';
import { WAF_RETRY_AFTER_SECONDS } from '../../lib/constructs/waf.js';
import { retryAfterSecondsFor } from '../../lib/credential-limits.js';
import { projectRoot } from '../../lib/paths.js';
import { type FunctionName, type FunctionSpec, functions } from '../../lib/routes.js';
import { stages } from '../../lib/stages.js';
import {
  actionsOfRole,
  logicalIdOf,
  propsOf,
  resourcesOf,
  type Statement,
  type Synthesized,
  statementsOfRole,
  synth,
} from './synth.js';

const stage = stages.dev;
const functionNames = Object.keys(functions) as FunctionName[];
const specs: Readonly<Record<FunctionName, FunctionSpec>> = functions;
const tableWrites = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synth('dev');
});

const template = () => synthesized.template;
const fnProps = (name: FunctionName) =>
  propsOf(template().toJSON().Resources[logicalIdOf(synthesized.stack.functions[name].fn)]);
const actionsOf = (name: FunctionName) =>
  actionsOfRole(template(), logicalIdOf(synthesized.stack.functions[name].role));
const statementsOf = (name: FunctionName): Statement[] =>
  statementsOfRole(template(), logicalIdOf(synthesized.stack.functions[name].role));
const ref = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** Whether an IAM action pattern (`kms:Create*`, `kms:*`) covers an action. */
const covers = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

/** A KMS key's policy statements, the actions of one, and those that may sign. */
const keyPolicyOf = (key: Record<string, unknown> | undefined) => {
  const document = propsOf(key ?? {}).KeyPolicy;
  const statements: { Action: unknown; Principal: unknown }[] =
    typeof document === 'object' &&
    document !== null &&
    'Statement' in document &&
    Array.isArray(document.Statement)
      ? document.Statement
      : [];
  const actions = (statement: { Action: unknown }) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  // Signing, or handing signing out: a grant can carry the Sign operation.
  const signers = statements.filter((statement) =>
    actions(statement).some(
      (action) =>
        typeof action === 'string' && (covers(action, 'kms:Sign') || covers(action, 'kms:CreateGrant')),
    ),
  );
  return { statements, actions, signers };
};

describe('functions', () => {
  it('builds one Node.js 22 arm64 function with tracing per entry of lib/routes.ts', () => {
    expect(Object.keys(synthesized.stack.functions).sort()).toEqual([...functionNames].sort());
    for (const name of functionNames) {
      const props = fnProps(name);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: specs[name].timeoutSeconds,
        MemorySize: specs[name].memoryMb,
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            STAGE: 'dev',
            RETENTION_DAYS: '30',
            VALIDITY_RT_PCR_HOURS: '72',
            VALIDITY_RAPID_ANTIGEN_HOURS: '48',
            PASS_LIFETIME_DAYS: '7',
            STALE_LAB_HOURS: '24',
          },
        },
      });
    }
  });

  it('gives every function its own log group with the stage retention', () => {
    const groups = Object.values(resourcesOf(template(), 'AWS::Logs::LogGroup')).map(propsOf);
    for (const name of functionNames) {
      const group = logicalIdOf(synthesized.stack.functions[name].logGroup);
      expect(fnProps(name)).toMatchObject({ LoggingConfig: { LogGroup: { Ref: group } } });
    }
    for (const group of groups) expect(group.RetentionInDays).toBe(stage.logRetention);
  });

  it('reserves no concurrency in dev, where accounts often have a small quota', () => {
    expect(fnProps('verifyHolder').ReservedConcurrentExecutions).toBeUndefined();
  });

  it('names each resource a function needs in its environment', () => {
    const env = (name: FunctionName) => {
      const environment = fnProps(name).Environment;
      return typeof environment === 'object' && environment !== null && 'Variables' in environment
        ? environment.Variables
        : undefined;
    };
    expect(env('submitResults')).toHaveProperty('RESULTS_QUEUE_URL');
    expect(env('submitResults')).toHaveProperty('PEPPER_SECRET_ID');
    expect(env('submitResults')).toHaveProperty('PEPPER_VERSION', '1');
    expect(env('verifyHolder')).toHaveProperty('RESULTS_TABLE');
    expect(env('verifyHolder')).toHaveProperty('SIGNING_PUBLIC_KEYS');
    expect(env('issuePass')).toHaveProperty('SIGNING_KEY_ID');
    expect(env('storeResults')).toHaveProperty('REGISTRY_TABLE');
    // The authorizer derives each principal's API-key value from the stage: no shared keys any more.
    expect(env('authorizeRequest')).toMatchObject({ STAGE: 'dev', REGISTRY_TABLE: expect.anything() });
    expect(Object.keys(env('authorizeRequest') ?? {}).filter((name) => name.startsWith('USAGE_KEY'))).toEqual(
      [],
    );
    expect(env('getHealth')).not.toHaveProperty('RESULTS_TABLE');
  });
});

describe('least privilege', () => {
  it('grants no wildcard action to any function', () => {
    for (const name of functionNames) {
      for (const action of actionsOf(name)) expect(action, `${name}: ${action}`).not.toMatch(/\*/);
    }
  });

  it('grants on every resource only the X-Ray actions, which have no resource-level permissions', () => {
    for (const name of functionNames) {
      const unscoped = statementsOf(name).filter((statement) => statement.resources.includes('*'));
      expect(unscoped.flatMap((statement) => statement.actions).sort(), name).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    }
  });

  it('lets verify read results but write nothing and queue nothing', () => {
    const actions = actionsOf('verifyHolder');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const write of [...tableWrites, 'sqs:SendMessage', 'kms:Sign']) expect(actions).not.toContain(write);
  });

  it('lets verify read the rule sets in the registry table, and write none', () => {
    const registry = ref(logicalIdOf(synthesized.stack.data.registryTable));
    const onRegistry = statementsOf('verifyHolder').filter((s) =>
      s.resources.some((r) => JSON.stringify(r) === JSON.stringify(registry)),
    );
    expect(onRegistry.flatMap((s) => s.actions)).toContain('dynamodb:Query');
    for (const write of tableWrites) expect(onRegistry.flatMap((s) => s.actions)).not.toContain(write);
    expect(fnProps('verifyHolder')).toMatchObject({
      Environment: {
        Variables: { REGISTRY_TABLE: { Ref: logicalIdOf(synthesized.stack.data.registryTable) } },
      },
    });
  });

  it("makes or adopts the API stage's execution-log group, with the logs key and the stage's retention, before the stage", () => {
    const { api, executionLogs } = synthesized.stack;
    const logsKey = Object.keys(resourcesOf(template(), 'AWS::KMS::Key')).find((id) =>
      id.startsWith('LogsKey'),
    );
    const apiId = logicalIdOf(api.api);
    template().hasResourceProperties('Custom::ApiExecutionLogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, `/${stage.name}`]] },
      KmsKeyArn: ref(logsKey ?? 'LogsKey'),
      RetentionDays: String(stage.logRetention),
    });
    // Its function may do to that one log group (and its streams) exactly what the adapter asks of
    // CloudWatch Logs, read from the adapter's own source, so a call added there without its permission
    // fails here; and no statement names the group for anything else.
    const adapter = readFileSync(join(projectRoot, 'functions/adapters/execution-log-group.ts'), 'utf8');
    const asked = [
      ...new Set([...adapter.matchAll(/new (\w+)Command\(/g)].map((m) => `logs:${m[1]}`)),
    ].sort();
    expect(asked).toEqual([
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:DeleteRetentionPolicy',
      'logs:PutRetentionPolicy',
    ]);
    const onTheGroup = statementsOfRole(template(), logicalIdOf(executionLogs.adopter.role)).filter((s) =>
      s.resources.some((resource) => JSON.stringify(resource).includes('API-Gateway-Execution-Logs_')),
    );
    expect(onTheGroup.flatMap((s) => s.actions).sort()).toEqual(asked);
    for (const resource of onTheGroup.flatMap((s) => s.resources)) {
      expect(JSON.stringify(resource)).toMatch(
        new RegExp(`log-group:API-Gateway-Execution-Logs_",\\{"Ref":"${apiId}"\\},"/${stage.name}(:\\*)?"`),
      );
    }
    // The stage is made after the group, so API Gateway never makes it first.
    const stages = Object.values(resourcesOf(template(), 'AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    expect(stages[0]?.DependsOn).toEqual(expect.arrayContaining([logicalIdOf(executionLogs.resource)]));
  });

  it('writes the default rule set at deployment from the stage windows, with a house function on the registry only', () => {
    const { defaultRules, data } = synthesized.stack;
    template().hasResourceProperties('Custom::DefaultRuleSet', {
      ServiceToken: Match.anyValue(),
      RtPcrHours: String(stage.validityHours.RT_PCR),
      RapidAntigenHours: String(stage.validityHours.RAPID_ANTIGEN),
      // A change of how rule sets are kept runs the writer at that deploy: the live copies are made then.
      RuleStorage: RULE_STORAGE,
    });
    const registry = JSON.stringify(ref(logicalIdOf(data.registryTable)));
    const writer = statementsOfRole(template(), logicalIdOf(defaultRules.writer.role)).filter((s) =>
      s.actions.some((a) => a.startsWith('dynamodb:')),
    );
    expect(
      writer
        .flatMap((s) => s.resources)
        .every(
          (r) => JSON.stringify(r).includes(registry.slice(1, -1)) || JSON.stringify(r).includes('/index/'),
        ),
    ).toBe(true);
    expect(writer.flatMap((s) => s.actions)).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem']),
    );
    expect(propsOf(template().toJSON().Resources[logicalIdOf(defaultRules.writer.fn)])).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it("lets the authorizer update a principal's lastUsedAt but neither put nor delete registry items", () => {
    const actions = actionsOf('authorizeRequest');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    for (const write of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(actions).not.toContain(write);
  });

  it('lets the withdraw function read and update results, and nothing else: no registry, queue or key', () => {
    const actions = actionsOf('withdrawResult');
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
    );
    for (const other of ['sqs:SendMessage', 'kms:Sign', 'secretsmanager:GetSecretValue', 'dynamodb:Scan'])
      expect(actions).not.toContain(other);
    expect(JSON.stringify(statementsOf('withdrawResult'))).not.toContain(
      logicalIdOf(synthesized.stack.data.registryTable),
    );
  });

  it('lets the pass issuer count pass requests on the results table (UpdateItem), and neither put nor delete', () => {
    const results = JSON.stringify(ref(logicalIdOf(synthesized.stack.data.resultsTable)));
    const onResults = statementsOf('issuePass').filter((s) =>
      s.resources.some((r) => JSON.stringify(r) === results),
    );
    const actions = onResults.flatMap((s) => s.actions);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    for (const write of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(actions).not.toContain(write);
  });

  it('alarms when passes are asked past holders’ daily limit: an app guessing birth dates', () => {
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ResultGate-dev-PassGuessing',
      MetricName: 'PassRequestsOverLimit',
      Statistic: 'Sum',
      Period: 300,
      Threshold: stage.alarms.passRequestsOverLimitPer5Min,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalIdOf(synthesized.stack.monitoring.topic) }],
    });
  });

  it('lets the ingest function queue results but not write any table', () => {
    const actions = actionsOf('submitResults');
    expect(actions).toContain('sqs:SendMessage');
    for (const write of tableWrites) expect(actions).not.toContain(write);
  });

  it('lets only the pass issuer sign with the pass key, and only the rules function with the rules key', () => {
    const signers = functionNames.filter((name) => actionsOf(name).includes('kms:Sign'));
    expect(signers.sort()).toEqual(['getRules', 'issuePass']);
    const signedWith = (name: FunctionName) =>
      statementsOf(name)
        .filter((statement) => statement.actions.includes('kms:Sign'))
        .flatMap((statement) => statement.resources);
    expect(signedWith('issuePass')).toEqual([
      ref(logicalIdOf(synthesized.stack.node.findChild('Signing').node.findChild('PassSigningKeyV1'))),
    ]);
    expect(signedWith('getRules')).toEqual([ref(logicalIdOf(synthesized.stack.signing.rulesKey))]);
  });

  it("lets the account administer the rules key but only the rules function's role sign with it", () => {
    const key = resourcesOf(template(), 'AWS::KMS::Key')[logicalIdOf(synthesized.stack.signing.rulesKey)];
    expect(propsOf(key ?? {})).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const { statements, actions, signers } = keyPolicyOf(key);
    expect(signers.map((statement) => statement.Principal)).toEqual([
      { AWS: ref(logicalIdOf(synthesized.stack.functions.getRules.role)) },
    ]);
    const account = statements.find((statement) => actions(statement).includes('kms:CreateAlias'));
    expect(actions(account ?? { Action: [] }).sort()).toEqual([...SIGNING_KEY_ACCOUNT_ACTIONS].sort());
  });

  it('serves GET /v1/rules in public from a function that reads the registry and signs with the rules key only', () => {
    expect(routes.find((route) => route.path === '/v1/rules')).toMatchObject({
      access: 'public',
      fn: 'getRules',
    });
    expect(routes.find((route) => route.path === '/v1/devices/me')).toMatchObject({ access: 'checkpoint' });
    const actions = actionsOf('getRules');
    for (const write of [...tableWrites, 'sqs:SendMessage', 'secretsmanager:GetSecretValue'])
      expect(actions).not.toContain(write);
    expect(actions).toContain('dynamodb:Query');
    expect(fnProps('getRules')).toMatchObject({
      Environment: {
        Variables: { RULES_SIGNING_KEY_ID: { Ref: logicalIdOf(synthesized.stack.signing.rulesKey) } },
      },
    });
    expect(fnProps('getRules')).not.toHaveProperty('Environment.Variables.SIGNING_KEY_ID');
    // GET /v1/keys publishes the rules key from its own deploy-time JWKS, and verify never gets it.
    template().hasResourceProperties('Custom::RulesSigningPublicKeys', {
      CurrentKeyId: { Ref: logicalIdOf(synthesized.stack.signing.rulesKey) },
    });
    expect(fnProps('getKeys')).toHaveProperty('Environment.Variables.RULES_PUBLIC_KEYS');
    expect(fnProps('verifyHolder')).not.toHaveProperty('Environment.Variables.RULES_PUBLIC_KEYS');
    expect(
      actionsOf('getDeviceMe').filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')),
    ).toEqual([]);
  });

  it("lets the account administer the signing key but only the issuer's role sign with it", () => {
    const key = resourcesOf(template(), 'AWS::KMS::Key')[logicalIdOf(synthesized.stack.signing.key)];
    const { statements, actions, signers } = keyPolicyOf(key);
    expect(signers.map((statement) => statement.Principal)).toEqual([
      { AWS: ref(logicalIdOf(synthesized.stack.functions.issuePass.role)) },
    ]);
    const account = statements.find((statement) => actions(statement).includes('kms:CreateAlias'));
    expect(actions(account ?? { Action: [] }).sort()).toEqual([...SIGNING_KEY_ACCOUNT_ACTIONS].sort());
    // The deploy-time publisher still reads the public key, through IAM (the account's kms:Get*).
    expect(actionsOfRole(template(), logicalIdOf(synthesized.stack.signing.publisher.role))).toContain(
      'kms:GetPublicKey',
    );
  });

  it('gives verify and keys the public keys as configuration, and no KMS action on any signing key', () => {
    const jwks = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.signing.publicKeys), 'Jwks'] };
    for (const name of ['verifyHolder', 'getKeys'] as const) {
      expect(fnProps(name)).toMatchObject({ Environment: { Variables: { SIGNING_PUBLIC_KEYS: jwks } } });
      expect(fnProps(name)).not.toHaveProperty('Environment.Variables.SIGNING_KEY_ID');
    }
    expect(actionsOf('getKeys').filter((action) => action.startsWith('kms:'))).toEqual([]);
    // Verify decrypts what it reads from the results table (its data key) and the pepper (its own key),
    // and uses KMS for nothing else.
    // (statements with one action may be merged into one, as the minimizePolicies flag does)
    const verifyKms = statementsOf('verifyHolder')
      .filter((s) => s.actions.some((a) => a.startsWith('kms:')))
      .flatMap((s) => s.actions.flatMap((action) => s.resources.map((resource) => ({ action, resource }))));
    expect(verifyKms).toEqual([
      { action: 'kms:Decrypt', resource: ref(logicalIdOf(synthesized.stack.data.key)) },
      { action: 'kms:Decrypt', resource: ref(logicalIdOf(synthesized.stack.secrets.key)) },
    ]);
  });

  it('reads the public keys at deployment with a custom resource on the current signing key', () => {
    const { signing } = synthesized.stack;
    const key = logicalIdOf(signing.key);
    template().hasResourceProperties('Custom::PassSigningPublicKeys', {
      ServiceToken: Match.anyValue(),
      CurrentKeyId: { Ref: key },
      PreviousKeyId: Match.absent(),
    });
    const publisher = statementsOfRole(template(), logicalIdOf(signing.publisher.role)).filter(
      (statement) =>
        !statement.resources.includes('*') && !statement.actions.some((a) => a.startsWith('logs:')),
    );
    expect(publisher).toEqual([
      { actions: ['kms:GetPublicKey'], resources: [ref(key), ref(logicalIdOf(signing.rulesKey))] },
    ]);
  });

  it('bundles the custom resource function as a house function', () => {
    const { publisher } = synthesized.stack.signing;
    const props = propsOf(template().toJSON().Resources[logicalIdOf(publisher.fn)]);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
    expect(JSON.stringify(props.Environment)).not.toContain('SIGNING');
  });

  it('grants table actions on the table a need names, and nothing else', () => {
    const results = ref(logicalIdOf(synthesized.stack.data.resultsTable));
    const registry = ref(logicalIdOf(synthesized.stack.data.registryTable));
    for (const name of functionNames) {
      const needs = specs[name].needs;
      const tableStatements = statementsOf(name).filter((s) =>
        s.actions.some((a) => a.startsWith('dynamodb:')),
      );
      const tables = tableStatements.flatMap((statement) => statement.resources);
      expect(tables.some((t) => JSON.stringify(t) === JSON.stringify(results))).toBe(
        needs.includes('resultsTable:read') || needs.includes('resultsTable:write'),
      );
      expect(tables.some((t) => JSON.stringify(t) === JSON.stringify(registry))).toBe(
        needs.includes('registryTable:read') ||
          needs.includes('registryTable:write') ||
          needs.includes('registryTable:recordUse'),
      );
    }
  });

  it('lets only functions that need the pepper read it', () => {
    for (const name of functionNames) {
      expect(actionsOf(name).includes('secretsmanager:GetSecretValue'), name).toBe(
        specs[name].needs.includes('pepper'),
      );
    }
  });
});

describe('data', () => {
  it('keys both tables by pk/sk, on demand, with PITR and a customer-managed key', () => {
    const tables = Object.values(resourcesOf(template(), 'AWS::DynamoDB::Table')).map(propsOf);
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      expect(table).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
      });
    }
  });

  it('expires results through TTL on expiresAt', () => {
    const results = propsOf(template().toJSON().Resources[logicalIdOf(synthesized.stack.data.resultsTable)]);
    expect(results.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('rotates every symmetric key and signs passes and rules with P-256 keys', () => {
    const keys = Object.values(resourcesOf(template(), 'AWS::KMS::Key')).map(propsOf);
    const signing = keys.filter((key) => key.KeyUsage === 'SIGN_VERIFY');
    expect(signing).toEqual([
      expect.objectContaining({ KeySpec: 'ECC_NIST_P256' }),
      expect.objectContaining({ KeySpec: 'ECC_NIST_P256' }),
    ]);
    for (const key of keys.filter((k) => k.KeyUsage !== 'SIGN_VERIFY'))
      expect(key.EnableKeyRotation).toBe(true);
  });

  it('encrypts the pepper with a customer-managed key of its own', () => {
    template().hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: ref(logicalIdOf(synthesized.stack.secrets.key)),
    });
  });

  it('encrypts every log group with the logs key, which CloudWatch Logs may use for log groups only', () => {
    const groups = Object.values(resourcesOf(template(), 'AWS::Logs::LogGroup')).map(propsOf);
    expect(groups.length).toBeGreaterThanOrEqual(functionNames.length + 3);
    const logsKey = Object.keys(resourcesOf(template(), 'AWS::KMS::Key')).find((id) =>
      id.startsWith('LogsKey'),
    );
    for (const group of groups) expect(group.KmsKeyId).toEqual(ref(logsKey ?? 'LogsKey'));
    const keyPolicy = JSON.stringify(propsOf(resourcesOf(template(), 'AWS::KMS::Key')[logsKey ?? ''] ?? {}));
    expect(keyPolicy).toContain('logs.');
    expect(keyPolicy).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  it('generates a 64-character pepper without punctuation', () => {
    template().hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });
});

describe('ingestion', () => {
  const queueProps = () => {
    const { queue, deadLetterQueue } = synthesized.stack.ingestion;
    const resources = template().toJSON().Resources;
    return {
      queue: propsOf(resources[logicalIdOf(queue)]),
      dlq: propsOf(resources[logicalIdOf(deadLetterQueue)]),
    };
  };

  it('sets the visibility timeout to at least 6 times the store timeout', () => {
    const visibility = Number(queueProps().queue.VisibilityTimeout);
    expect(visibility).toBeGreaterThanOrEqual(6 * functions.storeResults.timeoutSeconds);
  });

  it('moves a result to the DLQ after 5 receives and keeps it longer than the source', () => {
    const { queue, dlq } = queueProps();
    expect(queue.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    expect(Number(dlq.MessageRetentionPeriod)).toBeGreaterThan(Number(queue.MessageRetentionPeriod));
  });

  it('encrypts both queues with a customer-managed key and refuses plain HTTP', () => {
    const { queue, dlq } = queueProps();
    const key = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.ingestion.key), 'Arn'] };
    expect(queue.KmsMasterKeyId).toEqual(key);
    expect(dlq.KmsMasterKeyId).toEqual(key);
    expect(Object.keys(resourcesOf(template(), 'AWS::SQS::QueuePolicy'))).toHaveLength(2);
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('feeds the store function with partial batch failures, a batch size and a concurrency cap', () => {
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(synthesized.stack.functions.storeResults.fn) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: stage.storeBatchSize,
      ScalingConfig: { MaximumConcurrency: stage.storeMaxConcurrency },
    });
  });
});

describe('api', () => {
  const methods = () =>
    synthesized.stack.api.api.methods.filter((method): method is Method => method instanceof Method);
  const cfnMethod = (method: Method): CfnMethod => {
    const resource = method.node.defaultChild;
    if (!(resource instanceof CfnMethod)) throw new Error('a method has a CfnMethod');
    return resource;
  };

  it('serves every route of lib/routes.ts with its authorization', () => {
    for (const route of routes) {
      const method = methods().find((m) => m.httpMethod === route.method && m.resource.path === route.path);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      if (method === undefined) continue;
      const cfn = cfnMethod(method);
      if (route.access === 'public') {
        expect(cfn.authorizationType).toBe('NONE');
      } else {
        expect(cfn.authorizationType).toBe('CUSTOM');
        expect(cfn.apiKeyRequired).toBe(true);
      }
    }
    const served = methods().filter((m) => m.httpMethod !== 'OPTIONS');
    expect(served).toHaveLength(routes.length);
  });

  it('authorizes with the Authorization header, cached for the TTL of contract/limits.ts', () => {
    const [authorizer] = Object.values(resourcesOf(template(), 'AWS::ApiGateway::Authorizer')).map(propsOf);
    expect(authorizer).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
    });
    expect(authorizer?.AuthorizerResultTtlInSeconds).toBe(AUTHORIZER_CACHE_TTL_SECONDS);
  });

  it("takes the API key from the authorizer and throttles each credential by its role's plan", () => {
    template().hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    for (const role of roles) {
      template().hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `ResultGate-dev-${role}`,
        Throttle: {
          RateLimit: credentialLimits[role].ratePerSecond,
          BurstLimit: credentialLimits[role].burst,
        },
      });
    }
    // Keys are per principal, made by the admin CLI: the stack holds none, and no shared one.
    template().resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template().resourceCountIs('AWS::ApiGateway::UsagePlanKey', 0);
  });

  it('caps all credentials together with a stage throttle that protects the backend', () => {
    template().hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: stage.stageThrottle.rateLimit,
          ThrottlingBurstLimit: stage.stageThrottle.burstLimit,
        }),
      ]),
    });
  });

  it('tells a throttled caller to retry after the slowest role refills one request (5 s)', () => {
    const responses = Object.values(resourcesOf(template(), 'AWS::ApiGateway::GatewayResponse')).map(propsOf);
    const throttled = responses.find((r) => r.ResponseType === 'THROTTLED');
    expect(throttled).toMatchObject({
      ResponseParameters: { 'gatewayresponse.header.Retry-After': "'5'" },
    });
    // From the stage's numbers, not the contract's defaults: a stage that slows checkpoints to one request
    // every 10 s tells them so.
    expect(retryAfterSecondsFor(stage.credentialLimits)).toBe(5);
    expect(
      retryAfterSecondsFor({ ...stage.credentialLimits, checkpoint: { ratePerSecond: 0.1, burst: 10 } }),
    ).toBe(10);
  });

  it('hands application/* bodies to the functions base64-encoded, so bytes that are not UTF-8 are seen', () => {
    template().hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['application/*'] });
  });

  it('takes TLS 1.3 only on the execute-api endpoint, with strict endpoint access', () => {
    template().hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it.each([
    ['UNAUTHORIZED', '401', 'UNAUTHENTICATED'],
    ['ACCESS_DENIED', '403', 'FORBIDDEN'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'NOT_FOUND'],
    ['REQUEST_TOO_LARGE', '413', 'PAYLOAD_TOO_LARGE'],
    ['THROTTLED', '429', 'RATE_LIMITED'],
    ['QUOTA_EXCEEDED', '429', 'RATE_LIMITED'],
    ['BAD_REQUEST_BODY', '400', 'VALIDATION_FAILED'],
    ['WAF_FILTERED', '403', 'FORBIDDEN'],
    ['DEFAULT_5XX', '500', 'INTERNAL'],
  ] as const)('answers %s with %s and the contract error %s', (type, status, code) => {
    const responses = Object.values(resourcesOf(template(), 'AWS::ApiGateway::GatewayResponse')).map(propsOf);
    const response = responses.find((r) => r.ResponseType === type);
    expect(response).toMatchObject({ StatusCode: status });
    const templates = response?.ResponseTemplates;
    const body: unknown =
      typeof templates === 'object' && templates !== null && 'application/json' in templates
        ? JSON.parse(String(templates['application/json']))
        : undefined;
    // The local gateway answers with the same table (contract/gateway-errors.ts).
    expect(body).toEqual({ error: { code, message: gatewayErrors[type].message } });
  });

  it('writes JSON access logs with the principal and no bodies, and traces the stage', () => {
    const [apiStage] = Object.values(resourcesOf(template(), 'AWS::ApiGateway::Stage')).map(propsOf);
    expect(apiStage).toMatchObject({ TracingEnabled: true, StageName: 'dev' });
    const settings = apiStage?.AccessLogSetting;
    const format =
      typeof settings === 'object' && settings !== null && 'Format' in settings ? settings.Format : '';
    const fields: unknown = JSON.parse(String(format).replaceAll(/:\$context\.[A-Za-z.]+/g, ':0'));
    expect(fields).toMatchObject({
      principalId: '$context.authorizer.principalId',
      requestId: '$context.requestId',
    });
    expect(String(format)).not.toMatch(/requestBody|responseBody/);
    expect(apiStage?.MethodSettings).toEqual([
      expect.objectContaining({ DataTraceEnabled: false, MetricsEnabled: true }),
    ]);
  });
});

describe('waf', () => {
  it('protects the API stage with the common rule set and a per-IP rate limit answering 429', () => {
    const [association] = Object.values(resourcesOf(template(), 'AWS::WAFv2::WebACLAssociation'));
    const apiStage = logicalIdOf(synthesized.stack.api.api.deploymentStage);
    const arn = JSON.stringify(association === undefined ? {} : propsOf(association).ResourceArn);
    expect(arn).toContain('/stages/');
    expect(arn).toContain(JSON.stringify({ Ref: apiStage }));
    const [acl] = Object.values(resourcesOf(template(), 'AWS::WAFv2::WebACL')).map(propsOf);
    expect(acl).toMatchObject({ Scope: 'REGIONAL' });
    const rules = Array.isArray(acl?.Rules) ? acl.Rules : [];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Statement: {
            ManagedRuleGroupStatement: expect.objectContaining({
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
        }),
        expect.objectContaining({
          Statement: {
            RateBasedStatement: expect.objectContaining({
              Limit: stage.wafRequestsPerIpPer5Min,
              AggregateKeyType: 'IP',
            }),
          },
          Action: {
            Block: {
              CustomResponse: {
                ResponseCode: 429,
                CustomResponseBodyKey: 'RateLimited',
                // The contract promises Retry-After on every 429, this one included.
                ResponseHeaders: [{ Name: 'Retry-After', Value: String(WAF_RETRY_AFTER_SECONDS) }],
              },
            },
          },
        }),
      ]),
    );
  });
});

describe('operations', () => {
  it('reads only metrics the functions emit (contract/metrics.ts), on alarms and on the dashboard', () => {
    const alarms = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Alarm')).map(propsOf);
    const alarmed = alarms
      .filter((alarm) => alarm.Namespace === METRICS_NAMESPACE)
      .map((alarm) => alarm.MetricName);
    const [dashboard] = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Dashboard')).map(propsOf);
    // The body is a Fn::Join of JSON fragments; each widget metric reads ["namespace","name",...].
    const body = JSON.stringify(dashboard?.DashboardBody).replaceAll('\\"', '"');
    const charted = [...body.matchAll(new RegExp(`\\["${METRICS_NAMESPACE}","([^"]+)"`, 'g'))].map(
      ([, name]) => name,
    );

    expect(alarmed).toContain(metricNames.StaleLabs);
    expect(charted).toEqual(expect.arrayContaining([metricNames.ResultsAccepted, metricNames.StaleLabs]));
    const emitted: readonly unknown[] = Object.values(metricNames);
    for (const name of [...alarmed, ...charted]) expect(emitted).toContain(name);
  });

  it('notifies the encrypted alarm topic from every alarm', () => {
    const topic = logicalIdOf(synthesized.stack.monitoring.topic);
    template().hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const alarms = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Alarm')).map(propsOf);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('says what each alarm means in Vietnamese first, then English, within CloudWatch’s 1,024 characters', () => {
    // Letters only Vietnamese writes (with their tone marks): an English sentence has none of them.
    const vietnamese = /[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]/i;
    const alarms = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Alarm')).map(propsOf);

    expect(alarms.length).toBeGreaterThanOrEqual(19);
    for (const alarm of alarms) {
      const text = String(alarm.AlarmDescription);
      const [vi = '', en = '', ...more] = text.split(' / ');
      expect({ text, vi: vietnamese.test(vi), en: vietnamese.test(en), more }).toEqual({
        text,
        vi: true,
        en: false,
        more: [],
      });
      expect(text.length).toBeLessThanOrEqual(1024);
      // Each half sends the operator to the runbook in its language (docs/guides/operator.*.md).
      expect({
        text,
        vi: vi.includes('docs/guides/operator.vi.md'),
        en: en.includes('docs/guides/operator.en.md'),
      }).toEqual({
        text,
        vi: true,
        en: true,
      });
    }
  });

  it('has a row for every alarm in the operator runbook, in Vietnamese and in English', () => {
    const names = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Alarm'))
      .map((alarm) => String(propsOf(alarm).AlarmName).replace(/^ResultGate-dev-/, ''))
      // One Throttles-<function> alarm per function: the runbook has one row for them.
      .map((name) => (name.startsWith('Throttles-') ? 'Throttles-<[^`]+' : name));
    for (const language of ['vi', 'en']) {
      const runbook = readFileSync(join(projectRoot, 'docs', 'guides', `operator.${language}.md`), 'utf8');
      const missing = [...new Set(names)].filter(
        (name) => !new RegExp(`^\\| \`${name}\` +\\|`, 'm').test(runbook),
      );
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it.each([
    ['DeadLetterQueueNotEmpty', 'ApproximateNumberOfMessagesVisible'],
    ['ResultsQueueBacklog', 'ApproximateAgeOfOldestMessage'],
    ['Api5xx', '5XXError'],
    ['VerifyLatencyP99', 'Duration'],
    ['StaleLabs', 'StaleLabs'],
    ['ApiRateLimitedByWaf', 'BlockedRequests'],
  ])('alarms on %s (%s)', (name, metricName) => {
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `ResultGate-dev-${name}`,
      MetricName: metricName,
    });
  });

  it('alarms when the hourly freshness check falls silent, not only when it reports a stale lab', () => {
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ResultGate-dev-StaleLabs',
      TreatMissingData: 'breaching',
      Period: 3 * 3600,
    });
  });

  it('alarms on throttles of every function', () => {
    for (const name of functionNames) {
      template().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `ResultGate-dev-Throttles-${name}`,
        MetricName: 'Throttles',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: logicalIdOf(synthesized.stack.functions[name].fn) } },
        ],
      });
    }
  });

  it('publishes a dashboard and runs the freshness check hourly', () => {
    template().resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.functions.checkFreshness.fn), 'Arn'] },
        }),
      ],
    });
  });

  /** The Contributor Insights rule of that name, as the template declares it. */
  const insightRule = (name: string) =>
    Object.values(resourcesOf(template(), 'AWS::CloudWatch::InsightRule'))
      .map(propsOf)
      .find((r) => r.RuleName === name);

  it('counts NOT_VALID answers per device and alarms on the top one', () => {
    const verifyLogs = logicalIdOf(synthesized.stack.functions.verifyHolder.logGroup);
    const rule = insightRule('ResultGate-dev-CheckpointGuessing');
    expect(rule).toMatchObject({ RuleName: 'ResultGate-dev-CheckpointGuessing', RuleState: 'ENABLED' });
    const body = JSON.stringify(rule?.RuleBody);
    expect(body).toContain(verifyLogs);
    expect(body).toContain('$.deviceId');
    expect(body).toContain(watchedLogMessages.NotValidAnswered);
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ResultGate-dev-CheckpointGuessing',
      Threshold: stage.alarms.notValidPerDevicePer5Min,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalIdOf(synthesized.stack.monitoring.topic) }],
      Metrics: [
        Match.objectLike({
          Expression: 'INSIGHT_RULE_METRIC("ResultGate-dev-CheckpointGuessing", "MaxContributorValue")',
          Period: 300,
        }),
      ],
    });
    expect(JSON.stringify(template().toJSON())).toContain('Checkpoint guessing');
    // A guesser pacing itself under the 5-minute alarm is seen over the hour.
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ResultGate-dev-CheckpointGuessingSlow',
      Threshold: stage.alarms.notValidPerDevicePerHour,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        Match.objectLike({
          Expression: 'INSIGHT_RULE_METRIC("ResultGate-dev-CheckpointGuessing", "MaxContributorValue")',
          Period: 3600,
        }),
      ],
    });
    // One guess every 10 s (30 per 5 minutes, under the first alarm) is 360 an hour, over the second.
    expect(stage.alarms.notValidPerDevicePerHour).toBeLessThan(12 * stage.alarms.notValidPerDevicePer5Min);
  });

  it('counts passes asked with a birth date none of the holder’s results has, per app, and alarms on the top one', () => {
    const passLogs = logicalIdOf(synthesized.stack.functions.issuePass.logGroup);
    const rule = insightRule('ResultGate-dev-PassBirthDateGuessing');
    const body = JSON.stringify(rule?.RuleBody);
    expect(body).toContain(passLogs);
    expect(body).toContain('$.appId');
    expect(body).toContain(watchedLogMessages.PassBirthDateNotMatching);
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ResultGate-dev-PassBirthDateGuessing',
      Threshold: stage.alarms.passBirthDateNotMatchingPerAppPer5Min,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        Match.objectLike({
          Expression: 'INSIGHT_RULE_METRIC("ResultGate-dev-PassBirthDateGuessing", "MaxContributorValue")',
          Period: 300,
        }),
      ],
    });
  });

  it('exports the outputs the admin CLI reads', () => {
    expect(Object.keys(template().toJSON().Outputs).sort()).toEqual(
      [
        'AlarmTopicArn',
        'ApiStageName',
        'RestApiId',
        'UsagePlanIdApp',
        'UsagePlanIdCheckpoint',
        'UsagePlanIdLab',
        'ApiUrl',
        'DashboardName',
        'DeadLetterQueueUrl',
        'PepperSecretArn',
        'RegistryTableName',
        'ResultsQueueUrl',
        'ResultsTableName',
        'RuleLeadTimeHours',
        'SigningKeyId',
        'WebUrl',
      ].sort(),
    );
  });
});

describe('web', () => {
  it('serves a private bucket through CloudFront with origin access control, and deploys the page', () => {
    template().resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template().hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
    });
    template().resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  it('lets the distribution origin, and localhost in dev, call the API from a browser', () => {
    const options = Object.values(resourcesOf(template(), 'AWS::ApiGateway::Method'))
      .map(propsOf)
      .filter((method) => method.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThan(0);
    expect(JSON.stringify(options[0])).toContain('http://localhost:3000');
  });

  it('serves DELETE /v1/results/{sampleId} to labs and allows DELETE in the CORS preflight', () => {
    const methods = Object.values(resourcesOf(template(), 'AWS::ApiGateway::Method')).map(propsOf);
    const preflight = methods.filter((method) => method.HttpMethod === 'OPTIONS');
    expect(
      methods.some((method) => method.HttpMethod === 'DELETE' && method.AuthorizationType === 'CUSTOM'),
    ).toBe(true);
    expect(JSON.stringify(preflight[0])).toContain('DELETE');
  });
});

describe('cdk-nag', () => {
  it('synthesizes without any CDK warning', () => {
    const warnings = Annotations.fromStack(synthesized.stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => `${warning.id}: ${String(warning.entry.data)}`)).toEqual([]);
  });

  it('leaves no AwsSolutions error or warning unacknowledged', () => {
    const findings = synthesized.nagFindings.map(
      (finding) =>
        `${finding.severity} ${finding.ruleName}: ${finding.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
