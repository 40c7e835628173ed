import * as path from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { routes } from '../contract/routes.js';
import { Api } from './constructs/api.js';
import { Data } from './constructs/data.js';
import { DefaultRules } from './constructs/default-rules.js';
import { ExecutionLogs } from './constructs/execution-logs.js';
import { HouseFunction } from './constructs/house-function.js';
import { Ingestion } from './constructs/ingestion.js';
import { createLogsKey } from './constructs/logs-key.js';
import { Monitoring } from './constructs/monitoring.js';
import { grantNeeds, type Platform } from './constructs/needs.js';
import { Secrets } from './constructs/secrets.js';
import { Signing } from './constructs/signing.js';
import { Waf } from './constructs/waf.js';
import { Web } from './constructs/web.js';
import { projectRoot } from './paths.js';
import { type FunctionName, type FunctionSpec, functions, type Need } from './routes.js';
import type { StageConfig } from './stages.js';

export interface ResultGateStackProps extends StackProps {
  readonly stage: StageConfig;
  /** The built web app; default `web/dist` under the project root. */
  readonly webAssetPath?: string;
  /** Overrides the stage's alarm email. */
  readonly alarmEmail?: string;
}

/** The functions with their specs typed as the general `FunctionSpec` (needs as `readonly Need[]`). */
const functionSpecs: Readonly<Record<FunctionName, FunctionSpec>> = functions;
const functionNames = Object.keys(functionSpecs) as FunctionName[];
const specsNeeding = (need: Need): FunctionSpec[] =>
  functionNames.map((name) => functionSpecs[name]).filter((spec) => spec.needs.includes(need));

/**
 * ResultGate in the cloud, as the README's diagram draws it. Read it as a wiring diagram: every entry of
 * `functions` in lib/routes.ts becomes a function with exactly the grants its `needs` name, and every
 * entry of `routes` an API method.
 */
export class ResultGateStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, HouseFunction>>;
  readonly data: Data;
  readonly ingestion: Ingestion;
  readonly api: Api;
  readonly monitoring: Monitoring;
  readonly signing: Signing;
  readonly secrets: Secrets;
  /** The default rule set written at deploy when absent (lib/constructs/default-rules.ts). */
  readonly defaultRules: DefaultRules;
  readonly executionLogs: ExecutionLogs;

  constructor(scope: Construct, id: string, props: ResultGateStackProps) {
    super(scope, id, props);
    const { stage } = props;

    const logsKey = createLogsKey(this, 'LogsKey', stage);
    const data = new Data(this, 'Data', { stage });
    const secrets = new Secrets(this, 'Secrets', { stage });
    const signing = new Signing(this, 'Signing', { stage, logsKey });
    const consumerTimeout = Math.max(
      ...specsNeeding('resultsQueue:consume').map((spec) => spec.timeoutSeconds),
    );
    const ingestion = new Ingestion(this, 'Ingestion', {
      stage,
      consumerTimeout: Duration.seconds(consumerTimeout),
    });

    const platform: Platform = {
      stage,
      resultsTable: data.resultsTable,
      registryTable: data.registryTable,
      ingestion,
      pepper: secrets.pepper,
      signingKey: signing.key,
      signingPublicKeys: signing.publicKeysJwks,
      rulesKey: signing.rulesKey,
      rulesPublicKeys: signing.rulesPublicKeysJwks,
    };
    const fns = {} as Record<FunctionName, HouseFunction>;
    for (const name of functionNames) {
      const spec = functionSpecs[name];
      const fn = new HouseFunction(this, name, {
        spec,
        stage,
        logsKey,
        // Verification must keep answering at shift changes, whatever ingestion is doing; the authorizer
        // is capped and guaranteed, so a flood of unknown credentials cannot starve the other routes.
        reservedConcurrentExecutions:
          name === 'verifyHolder'
            ? stage.verifyReservedConcurrency
            : name === 'authorizeRequest'
              ? stage.authorizerReservedConcurrency
              : undefined,
      });
      grantNeeds(fn, spec.needs, platform);
      fns[name] = fn;
    }
    this.functions = fns;
    this.defaultRules = new DefaultRules(this, 'DefaultRules', {
      stage,
      logsKey,
      registryTable: data.registryTable,
    });

    const web = new Web(this, 'Web', {
      stage,
      assetPath: props.webAssetPath ?? path.join(projectRoot, 'web', 'dist'),
      logsKey,
    });

    // Functions behind routes answer browsers too: they echo the request's Origin when it is one of these
    // (the API Gateway CORS preflight only covers OPTIONS; proxy responses carry the function's headers).
    // With a custom page domain the distribution's own name still answers: both may call the API.
    const corsOrigins = [...new Set([web.origin, web.distributionOrigin]), ...stage.extraCorsOrigins];
    for (const name of new Set(routes.map((route) => route.fn))) {
      fns[name].addEnvironment('CORS_ALLOWED_ORIGINS', corsOrigins.join(','));
    }

    const handlers = {} as Record<FunctionName, IFunction>;
    for (const name of functionNames) handlers[name] = fns[name].fn;
    const api = new Api(this, 'Api', {
      stage,
      routes,
      handlers,
      authorizer: fns.authorizeRequest.fn,
      logsKey,
      corsOrigins,
    });
    // The stage's execution-log group, made (or adopted) with the logs key before the stage writes to it.
    this.executionLogs = new ExecutionLogs(this, 'ExecutionLogs', {
      stage,
      logsKey,
      api: api.api,
      stageName: stage.name,
    });
    api.api.deploymentStage.node.addDependency(this.executionLogs.resource);
    const waf = new Waf(this, 'Waf', { stage, apiStage: api.api.deploymentStage });
    web.deploy(api.url);

    const monitoring = new Monitoring(this, 'Monitoring', {
      stage,
      api: api.api,
      queue: ingestion.queue,
      deadLetterQueue: ingestion.deadLetterQueue,
      functions: handlers,
      verifyFunction: fns.verifyHolder.fn,
      verifyLogGroup: fns.verifyHolder.logGroup,
      passLogGroup: fns.issuePass.logGroup,
      webAclName: waf.webAclName,
      alarmEmail: props.alarmEmail,
    });
    monitoring.scheduleHourly('FreshnessSchedule', fns.checkFreshness.fn);
    this.data = data;
    this.ingestion = ingestion;
    this.api = api;
    this.monitoring = monitoring;
    this.signing = signing;
    this.secrets = secrets;

    // Read by the admin CLI and by operators (README.md, "Operate"): keep these keys stable.
    const outputs: Record<string, { value: string; description: string }> = {
      ApiUrl: { value: api.url, description: 'API base URL (no trailing slash); routes start with /v1' },
      WebUrl: { value: web.origin, description: 'Checkpoint web page' },
      ResultsTableName: {
        value: data.resultsTable.tableName,
        description: 'DynamoDB table of stored results',
      },
      RegistryTableName: {
        value: data.registryTable.tableName,
        description: 'DynamoDB table of labs, devices, app clients and credential hashes',
      },
      ResultsQueueUrl: { value: ingestion.queue.queueUrl, description: 'Queue of accepted results' },
      DeadLetterQueueUrl: {
        value: ingestion.deadLetterQueue.queueUrl,
        description: 'Results that failed to store 5 times',
      },
      AlarmTopicArn: { value: monitoring.topic.topicArn, description: 'SNS topic every alarm notifies' },
      PepperSecretArn: { value: secrets.pepper.secretArn, description: 'Secret holding the ID pepper' },
      SigningKeyId: { value: signing.key.keyId, description: 'KMS key that signs QR passes' },
      RestApiId: {
        value: api.api.restApiId,
        description: 'REST API id: the admin CLI flushes its authorizer cache after a revocation',
      },
      ApiStageName: {
        value: api.api.deploymentStage.stageName,
        description: 'API stage name: part of every API-key value (functions/http/policy.ts, usageKeyOf)',
      },
      UsagePlanIdLab: {
        value: api.usagePlans.lab.usagePlanId,
        description: 'Usage plan (per-credential throttle) of lab API keys',
      },
      UsagePlanIdCheckpoint: {
        value: api.usagePlans.checkpoint.usagePlanId,
        description: 'Usage plan (per-credential throttle) of checkpoint-device API keys',
      },
      UsagePlanIdApp: {
        value: api.usagePlans.app.usagePlanId,
        description: 'Usage plan (per-credential throttle) of app-backend API keys',
      },
      RuleLeadTimeHours: {
        value: String(stage.ruleLeadTimeHours),
        description:
          'Hours a rule set must be published ahead of its validFrom (rules publish; --urgent to shorten)',
      },
      DashboardName: {
        value: monitoring.dashboard.dashboardName,
        description: 'CloudWatch operations dashboard',
      },
    };
    // DNS stays with the province: these are the names its records point at (CNAME, or alias in Route 53).
    if (api.domain !== undefined) {
      outputs.ApiDomainTarget = {
        value: api.domain.domainNameAliasDomainName,
        description: `Point a CNAME (or alias) for ${api.domain.domainName} here`,
      };
      outputs.ApiDomainHostedZoneId = {
        value: api.domain.domainNameAliasHostedZoneId,
        description: 'Hosted zone id of ApiDomainTarget, for a Route 53 alias record',
      };
    }
    if (stage.webDomain !== undefined) {
      outputs.WebDomainTarget = {
        value: web.distribution.distributionDomainName,
        description: `Point a CNAME (or alias) for ${stage.webDomain.name} here`,
      };
    }
    for (const [key, output] of Object.entries(outputs)) new CfnOutput(this, key, output);
  }
}
