import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';
import { errorBodyJson } from './gateway-responses.js';

/** Name of the rate-based rule; also its CloudWatch metric name (dimension `Rule`). */
export const rateLimitRuleName = 'RateLimitPerIp';

/**
 * `Retry-After` of the WAF's 429, in seconds: WAF counts over the last 5 minutes and checks the rate
 * about every 10 s, so an address over its limit is let through again as its old requests age out; a
 * minute is a fair first wait (the contract says to retry with backoff).
 */
export const WAF_RETRY_AFTER_SECONDS = 60;

export interface WafProps {
  readonly stage: StageConfig;
  readonly apiStage: Stage;
}

/**
 * A regional web ACL in front of the API stage: the AWS common rule set (with the body-size rule only
 * counting, since lab batches are up to 1 MiB and the handler enforces that limit with a contract
 * error), known bad inputs, and a per-IP rate limit answering 429 in the contract's shape.
 */
export class Waf extends Construct {
  readonly webAcl: CfnWebACL;
  readonly webAclName: string;

  constructor(scope: Construct, id: string, { stage, apiStage }: WafProps) {
    super(scope, id);
    this.webAclName = `${Stack.of(this).stackName}-api`;
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: 'ResultGate API: managed protections and a per-IP rate limit',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(this.webAclName),
      customResponseBodies: {
        RateLimited: {
          contentType: 'APPLICATION_JSON',
          content: errorBodyJson('RATE_LIMITED', 'Too many requests from this address; retry later'),
        },
      },
      rules: [
        {
          name: rateLimitRuleName,
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: stage.wafRequestsPerIpPer5Min,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'RateLimited',
                responseHeaders: [{ name: 'Retry-After', value: String(WAF_RETRY_AFTER_SECONDS) }],
              },
            },
          },
          visibilityConfig: visibility(rateLimitRuleName),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // Lab batches are up to 1 MiB (the contract), far above this rule's 8 KB body limit.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility('AWSManagedRulesCommonRuleSet'),
        },
        {
          name: 'AWSManagedRulesKnownBadInputsRuleSet',
          priority: 2,
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility('AWSManagedRulesKnownBadInputsRuleSet'),
        },
      ],
    });

    const association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: apiStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    // The stage ARN is built from names, so make the dependency on the stage explicit.
    association.node.addDependency(apiStage);
  }
}
