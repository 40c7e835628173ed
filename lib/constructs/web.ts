import { existsSync } from 'node:fs';
import { Annotations, CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  CachePolicy,
  Distribution,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { certificateRegion, type StageConfig } from '../stages.js';
import { acknowledge } from './acknowledge.js';
import { encryptedLogGroup } from './logs-key.js';

/** The wildcard findings of the CDK bucket-deployment helper's role, as cdk-nag names them. */
const deploymentWildcards = (siteBucketLogicalId: string): string[] => [
  'Action::s3:GetObject*',
  'Action::s3:GetBucket*',
  'Action::s3:List*',
  'Action::s3:DeleteObject*',
  'Action::s3:Abort*',
  'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
  `Resource::<${siteBucketLogicalId}.Arn>/*`,
  'Resource::*',
];

export interface WebProps {
  readonly stage: StageConfig;
  /** Absolute path of the built web app (`web/dist`); when missing, bucket and distribution stay empty. */
  readonly assetPath: string;
  /** Encrypts the deployment helper's log group. */
  readonly logsKey: IKey;
}

/**
 * The checkpoint web page (`/`) and the public facilities page (`/facilities.html`, a plain object, so the
 * single-page fallback below never applies to it): a private bucket served only through CloudFront
 * (origin access control), both logging to an access-log bucket. The page finds the API through `config.json`, written next to
 * `index.html` at deploy time.
 */
export class Web extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** The page's address: `https://<custom domain>` when the stage names one, else the distribution's. */
  readonly origin: string;
  /** `https://<distribution domain>.cloudfront.net`, which answers too (with or without a custom domain). */
  readonly distributionOrigin: string;
  private readonly props: WebProps;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.props = props;
    const { stage } = props;
    const destroy = stage.removalPolicy === RemovalPolicy.DESTROY;

    // CloudFront standard logs need ACLs on their bucket, and neither S3 nor CloudFront logging can
    // write to a bucket encrypted with SSE-KMS: hence object-writer ACLs and S3-managed keys here.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: destroy,
    });
    acknowledge(this.logBucket, {
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the web bucket and distribution; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: destroy,
    });

    const domain = stage.webDomain;
    const region = domain && certificateRegion(domain.certificateArn);
    if (region !== undefined && region !== 'us-east-1') {
      throw new Error(
        `webDomain: CloudFront only takes certificates from us-east-1; ${domain?.certificateArn} is in ${region}`,
      );
    }
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `ResultGate ${stage.name} checkpoint web page`,
      ...(domain === undefined
        ? {}
        : {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            // Follows the API: TLS 1.3 only unless the stage lets older phones in with TLS 1.2.
            minimumProtocolVersion:
              stage.apiTlsPolicy === 'SecurityPolicy_TLS13_1_3_2025_09'
                ? SecurityPolicyProtocol.TLS_V1_3_2025
                : SecurityPolicyProtocol.TLS_V1_2_2025,
          }),
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      // A single-page app: unknown paths load index.html (a missing object is a 403 with OAC).
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.minutes(1),
      })),
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.distributionOrigin = `https://${this.distribution.distributionDomainName}`;
    this.origin = domain === undefined ? this.distributionOrigin : `https://${domain.name}`;

    acknowledge(
      this.distribution,
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The page holds only public static files; which countries may reach it is a decision for the deploying authority, not a default of this open-source stack.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves public static files only; the API, which holds the data, has its own regional WAF. A CloudFront WAF must live in us-east-1, which this region-agnostic stack cannot assume.',
      },
    );
    if (domain === undefined) {
      acknowledge(this.distribution, {
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set; with `webDomain` set the distribution takes TLSv1.3_2025 (or TLSv1.2_2025). The page holds no data.',
      });
    }
  }

  /**
   * Uploads the built pages and a `config.json` telling them the API base URL, how old the checkpoint
   * page's signed rules may be for it to judge offline (`offlineRulesMaxAgeHours`), and after how many
   * hours without a result the public page marks a lab stale (`staleLabHours`). Skipped, with a warning,
   * when the page has not been built (`web/dist` missing): the bucket and distribution still exist.
   */
  deploy(apiBaseUrl: string): BucketDeployment | undefined {
    if (!existsSync(this.props.assetPath)) {
      Annotations.of(this).addWarningV2(
        '@resultgate/web:missing-dist',
        `Web app not built (${this.props.assetPath} missing): the bucket is created empty. Build the web app, then deploy again.`,
      );
      return undefined;
    }
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(this.props.assetPath),
        Source.jsonData('config.json', {
          apiBaseUrl,
          offlineRulesMaxAgeHours: this.props.stage.offlineRulesMaxAgeHours,
          // The public facilities page marks a lab stale past the freshness alarm's own threshold.
          staleLabHours: this.props.stage.staleLabHours,
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: encryptedLogGroup(this, 'DeployLogs', this.props.stage, this.props.logsKey),
    });
    const siteBucket = this.bucket.node.defaultChild;
    const siteBucketLogicalId =
      siteBucket instanceof CfnElement ? Stack.of(this).getLogicalId(siteBucket) : '';
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        acknowledge(
          child,
          {
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
            reason:
              'CDK-provided deployment helper that copies web/dist into the site bucket at deploy time; its role and runtime are managed by aws-cdk-lib.',
          },
          {
            id: 'AwsSolutions-L1',
            reason: 'CDK-provided deployment helper; aws-cdk-lib chooses and updates its runtime.',
          },
          ...deploymentWildcards(siteBucketLogicalId).map((finding) => ({
            id: `AwsSolutions-IAM5[${finding}]`,
            reason:
              'CDK-provided deployment helper: reads the staged web assets from the CDK asset bucket, replaces the objects of the site bucket only, and invalidates the distribution cache (CloudFront invalidation actions are granted on *).',
          })),
        );
      }
    }
    return deployment;
  }
}
