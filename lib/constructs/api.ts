import { Duration, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  CfnRestApi,
  DomainName,
  EndpointAccessMode,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  RestApi,
  SecurityPolicy,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../contract/limits.js';
import type { Route } from '../../contract/routes.js';
import type { Role } from '../../contract/vocabulary.js';
import type { FunctionName } from '../routes.js';
import type { ApiDomain, StageConfig } from '../stages.js';
import { acknowledge } from './acknowledge.js';
import { addGatewayResponses } from './gateway-responses.js';
import { encryptedLogGroup } from './logs-key.js';

/**
 * How long API Gateway caches the authorizer's answer per credential. The admin CLI flushes the cache
 * after every revocation, so this bounds only changes made to the registry by hand.
 */
export const authorizerCacheTtl = Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS);

/**
 * One JSON object per request, without bodies, query strings or headers: enough to trace a request
 * (with the function's logs through the request id) and to see who called what, how fast.
 * `principalId` is the credential's principal as returned by the authorizer (a lab, device or app id).
 */
const accessLogFields: Readonly<Record<string, string>> = {
  requestId: '"$context.requestId"',
  requestTime: '"$context.requestTime"',
  ip: '"$context.identity.sourceIp"',
  userAgent: '"$context.identity.userAgent"',
  method: '"$context.httpMethod"',
  resourcePath: '"$context.resourcePath"',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '"$context.integrationLatency"',
  responseLength: '"$context.responseLength"',
  principalId: '"$context.authorizer.principalId"',
  errorType: '"$context.error.responseType"',
  wafStatus: '"$context.wafResponseCode"',
  xrayTraceId: '"$context.xrayTraceId"',
};
export const accessLogFieldNames = Object.keys(accessLogFields);
const accessLogFormat = `{${Object.entries(accessLogFields)
  .map(([name, value]) => `"${name}":${value}`)
  .join(',')}}`;

export interface ApiProps {
  readonly stage: StageConfig;
  readonly routes: readonly Route[];
  /** The function serving each route's `fn`. */
  readonly handlers: Readonly<Record<FunctionName, IFunction>>;
  /** The REQUEST authorizer: maps the bearer credential to a principal and the principal's API-key value. */
  readonly authorizer: IFunction;
  /** Encrypts the access-log group. */
  readonly logsKey: IKey;
  /** Browser origins allowed to call the API (the web distribution, and localhost in dev). */
  readonly corsOrigins: readonly string[];
}

/**
 * The REST API, built from the route table: public routes have no authorizer; every other route goes
 * through the REQUEST authorizer, whose answer carries the caller's own API-key value
 * (`apiKeySourceType: AUTHORIZER`). Each principal's key sits on its role's usage plan, and a usage-plan
 * throttle applies per API key: so each credential gets the role's budget of contract/limits.ts. The keys
 * are made by the admin CLI when it registers a principal (`keys sync` for older stacks), not here.
 */
export class Api extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  readonly usagePlans: Readonly<Record<Role, UsagePlan>>;
  /**
   * Base URL without a trailing slash; routes are appended (`${url}/v1/health`). With a custom domain it
   * is `https://<domain>` (the stage is mapped at the root); otherwise the execute-api URL with the stage.
   */
  readonly url: string;
  /** The custom domain, when the stage names one: point a CNAME (or alias) at its regional name. */
  readonly domain: DomainName | undefined;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { stage } = props;
    const stackName = Stack.of(this).stackName;

    this.accessLogs = encryptedLogGroup(this, 'AccessLogs', stage, props.logsKey);

    this.api = new RestApi(this, 'Api', {
      restApiName: `${stackName}-api`,
      description: 'ResultGate public API (v1)',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      // With a custom domain there is one public address, whose TLS policy and host the province controls;
      // `keepDefaultEndpoint` keeps the old one during a move.
      disableExecuteApiEndpoint:
        stage.apiDomain === undefined ? undefined : stage.apiDomain.keepDefaultEndpoint !== true,
      // JSON bodies reach the functions base64-encoded, byte for byte: a body that is not UTF-8 is then
      // refused as MALFORMED_JSON by the function instead of being converted (and altered) on the way.
      binaryMediaTypes: ['application/*'],
      cloudWatchRole: true,
      deployOptions: {
        stageName: stage.name,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Execution logs never carry request or response bodies (they hold personal data).
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(accessLogFormat),
        // The ceiling for all credentials together (each method), protecting the functions and tables.
        throttlingRateLimit: stage.stageThrottle.rateLimit,
        throttlingBurstLimit: stage.stageThrottle.burstLimit,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: Duration.hours(1),
      },
    });
    // The RestApi construct has no TLS setting; CloudFormation does. An enhanced policy (SecurityPolicy_*)
    // needs an endpoint access mode: STRICT refuses requests whose SNI does not match the API's host.
    const cfnApi = this.api.node.defaultChild;
    if (cfnApi instanceof CfnRestApi) {
      cfnApi.securityPolicy = stage.apiTlsPolicy;
      cfnApi.endpointAccessMode = 'STRICT';
    }
    // The stack exports the base URL as ApiUrl (without a trailing slash); drop the construct's own output.
    this.api.node.tryRemoveChild('Endpoint');
    const domainSettings = stage.apiDomain;
    this.domain = domainSettings === undefined ? undefined : this.customDomain(stage, domainSettings);
    this.url =
      domainSettings === undefined
        ? `https://${this.api.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${stage.name}`
        : `https://${domainSettings.name}`;

    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: 'bearer-credential',
      handler: props.authorizer,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: authorizerCacheTtl,
    });

    for (const route of props.routes) {
      const integration = new LambdaIntegration(props.handlers[route.fn], { allowTestInvoke: false });
      const resource = this.api.root.resourceForPath(route.path);
      if (route.access === 'public') {
        const method = resource.addMethod(route.method, integration, {
          authorizationType: AuthorizationType.NONE,
        });
        acknowledge(method, {
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by contract (health, published keys, facilities list, OpenAPI): it reveals no personal data.`,
        });
      } else {
        resource.addMethod(route.method, integration, {
          authorizer,
          authorizationType: AuthorizationType.CUSTOM,
          apiKeyRequired: true,
        });
      }
    }

    // CORS preflight (OPTIONS) answers come from a mock integration and carry no data.
    for (const method of this.api.methods) {
      if (method.httpMethod === 'OPTIONS') {
        acknowledge(method, {
          id: 'AwsSolutions-APIG4',
          reason:
            'CORS preflight (OPTIONS) is answered by API Gateway itself and must work without credentials.',
        });
      }
    }

    addGatewayResponses(this.api, props.corsOrigins[0], stage.credentialLimits);

    const planFor = (role: Role): UsagePlan => {
      const limit = stage.credentialLimits[role];
      return this.api.addUsagePlan(`UsagePlan-${role}`, {
        name: `${stackName}-${role}`,
        description: `Throttle of each ${role} credential: ${limit.ratePerSecond}/s, burst ${limit.burst}`,
        throttle: { rateLimit: limit.ratePerSecond, burstLimit: limit.burst },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
    };
    this.usagePlans = { lab: planFor('lab'), checkpoint: planFor('checkpoint'), app: planFor('app') };

    acknowledge(
      this.api,
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every handler validates its input with a strict zod schema (unknown fields rejected) and answers in the contract error shape with per-field details, which API Gateway request validation cannot produce.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are labs, checkpoint devices and app backends holding bearer credentials issued by the operator, checked by the REQUEST authorizer against hashed credentials; there are no Cognito users.',
      },
    );
    acknowledge(this.api, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role that lets API Gateway write execution and access logs uses the AWS-maintained policy designed for exactly this service.',
    });
  }

  /**
   * The province's own API host: a REGIONAL domain with the stage's TLS policy (TLS 1.3 only by default,
   * the strictest non-FIPS policy offered) and STRICT access mode, the stage mapped at its root.
   */
  private customDomain(stage: StageConfig, settings: ApiDomain): DomainName {
    const domain = new DomainName(this, 'Domain', {
      domainName: settings.name,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy:
        stage.apiTlsPolicy === 'SecurityPolicy_TLS13_1_3_2025_09'
          ? SecurityPolicy.TLS13_1_3_2025_09
          : SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09,
      endpointAccessMode: EndpointAccessMode.STRICT,
    });
    domain.addBasePathMapping(this.api, { stage: this.api.deploymentStage });
    return domain;
  }
}
