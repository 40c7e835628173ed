import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CredentialLimit } from '../contract/limits.js';
import type { Role } from '../contract/vocabulary.js';
import { stageCredentialLimits } from './credential-limits.js';
import { type StageName, stageNames } from './stage-names.js';

/**
 * Everything that differs between a development and a production deployment, in one place.
 * Choose the stage with `npx cdk deploy -c stage=prod` (default `dev`).
 */
export { type StageName, stageNames } from './stage-names.js';

export interface Throttle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst capacity in requests. */
  readonly burstLimit: number;
}

/**
 * TLS policies API Gateway offers a REGIONAL REST API (CloudFormation `SecurityPolicy`). The enhanced
 * ones (`SecurityPolicy_*`) also need an endpoint access mode, which the API sets to STRICT.
 */
export type ApiTlsPolicy = 'SecurityPolicy_TLS13_1_3_2025_09' | 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09';

/** A host name of the province's own, with its ACM certificate (README.md, "A domain of your own"). */
export interface CustomDomain {
  /** Lower-case host name, e.g. `api.covid.example.gov.vn`. */
  readonly name: string;
  /** ARN of an issued ACM certificate covering `name`. */
  readonly certificateArn: string;
}

export interface ApiDomain extends CustomDomain {
  /**
   * Keep the default `execute-api` address answering as well (default: no). Turn it on while labs and
   * devices still use the old address, and off again once they have all moved.
   */
  readonly keepDefaultEndpoint?: boolean;
}

export interface StageConfig {
  readonly name: StageName;

  // Domain settings, handed to the functions as environment (see functions/config.ts).
  readonly retentionDays: number;
  readonly validityHours: { readonly RT_PCR: number; readonly RAPID_ANTIGEN: number };
  readonly passLifetimeDays: number;
  readonly staleLabHours: number;
  /**
   * A checkpoint page without network judges passes with its signed rules document for this long after
   * the document was signed; after that it shows CANNOT CHECK. Given to the page in its config.json.
   */
  readonly offlineRulesMaxAgeHours: number;
  /**
   * How far ahead of its publication a rule set's validFrom must be (`rules publish`), unless the operator
   * gives `--urgent "<reason>"`: time for every checkpoint, online and offline, to have it. The local
   * stack uses 1 (cli/admin/target.ts).
   */
  readonly ruleLeadTimeHours: number;

  // Traffic.
  /**
   * One usage plan per role, whose throttle applies to each credential (each principal has its own API
   * key on its role's plan). Set in lib/credential-limits.ts (default contract/limits.ts), which the local
   * gateway reads too (as `dev`).
   */
  readonly credentialLimits: Readonly<Record<Role, CredentialLimit>>;
  /**
   * The stage's default method throttle: a ceiling for all credentials together that protects the backend
   * (and the account's 10,000 requests/s, shared with everything else in it).
   */
  readonly stageThrottle: Throttle;
  /**
   * TLS policy of the API's execute-api endpoint. TLS 1.3 only is the strictest; checkpoint phones need
   * Android 10 / iOS 12.2 or later for it. An authority with older devices can take the TLS 1.2+1.3 policy.
   */
  readonly apiTlsPolicy: ApiTlsPolicy;
  /**
   * Whether functions run with `NODE_OPTIONS=--enable-source-maps`, so a logged stack trace names the
   * TypeScript source. Node then reads and decodes a bundle's whole source map when it loads the bundle:
   * on the development machine that added about 14 ms to every cold start of verify (8 ms to a bare
   * DynamoDB function). dev has it; prod does not, and a minified stack trace from prod is mapped back
   * offline with the `index.mjs.map` in the function's asset (README.md, "What the functions are given").
   */
  readonly sourceMapsAtRuntime: boolean;
  /**
   * WAF rate-based rule: requests per client IP per 5 minutes before WAF answers 429. Checkpoint devices
   * on mobile networks share carrier-grade NAT addresses, so this must stay generous.
   */
  readonly wafRequestsPerIpPer5Min: number;

  // Ingestion.
  /** The most store functions running at once, so a burst of results cannot exhaust DynamoDB or Lambda. */
  readonly storeMaxConcurrency: number;
  readonly storeBatchSize: number;

  /**
   * Concurrency reserved for the verify function so that an ingestion burst cannot starve checkpoints.
   * Reserving takes capacity out of the account's pool (which must keep 100 unreserved), so dev — often
   * a fresh account with a small quota — reserves nothing.
   */
  readonly verifyReservedConcurrency: number | undefined;
  /**
   * Concurrency reserved for the authorizer: guaranteed capacity, and a cap, so that a flood of unknown
   * credentials (each a cache miss) cannot take the concurrency every route needs. dev: none (quota).
   */
  readonly authorizerReservedConcurrency: number | undefined;

  /**
   * Version of the pepper in the secret, stored with every item so that old and new items can be told
   * apart while a new pepper is phased in. Bump only as part of the rotation procedure in
   * docs/data-model.md (stored results cannot be re-keyed: the raw ID numbers are not kept).
   */
  readonly pepperVersion: number;

  // Pass-signing key rotation (see README.md, "Rotating the pass-signing key").
  /** Bump to create a new signing key; the alias moves to it. */
  readonly signingKeyVersion: number;
  /** Key id of the previous signing key, still published in the JWKS and accepted by verify. */
  readonly previousSigningKeyId: string | undefined;

  // Lifecycle.
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;

  // Alarms.
  readonly alarms: {
    /** p99 latency of the verify function, in milliseconds. */
    readonly verifyP99Ms: number;
    /** Age of the oldest queued result, in seconds. */
    readonly oldestMessageAgeSeconds: number;
    /** API 5XX responses per 5 minutes. */
    readonly api5xxPer5Min: number;
    /** Requests blocked by the WAF rate-based rule per 5 minutes. */
    readonly wafRateLimitedPer5Min: number;
    /** NOT_VALID answers to one checkpoint device in 5 minutes before CheckpointGuessing alarms. */
    readonly notValidPerDevicePer5Min: number;
    /** The same in an hour (CheckpointGuessingSlow): a guesser pacing itself under the 5-minute alarm. */
    readonly notValidPerDevicePerHour: number;
    /** Passes one app asked in 5 minutes with a birth date none of the holder's results has (PassBirthDateGuessing). */
    readonly passBirthDateNotMatchingPerAppPer5Min: number;
    /** Pass requests past a holder's daily limit (contract/limits.ts), all holders, per 5 minutes. */
    readonly passRequestsOverLimitPer5Min: number;
  };
  /** Address subscribed to the alarm topic (it must confirm the subscription). Override with `-c alarmEmail=...`. */
  readonly alarmEmail: string | undefined;
  /** Extra browser origins allowed by CORS besides the web distribution (local development). */
  readonly extraCorsOrigins: readonly string[];

  // Custom domains (optional). DNS stays with the province: the stack outputs the targets to point at.
  /**
   * The API's own host name. The certificate must be in the stack's region. The domain takes the same
   * TLS policy as `apiTlsPolicy`. Override with `-c apiDomain=... -c apiCertificateArn=...`.
   */
  readonly apiDomain?: ApiDomain;
  /**
   * The page's own host name. CloudFront takes certificates from us-east-1 only. Override with
   * `-c webDomain=... -c webCertificateArn=...`.
   */
  readonly webDomain?: CustomDomain;
}

const common = {
  retentionDays: 30,
  validityHours: { RT_PCR: 72, RAPID_ANTIGEN: 48 },
  passLifetimeDays: 7,
  staleLabHours: 24,
  offlineRulesMaxAgeHours: 24,
  storeBatchSize: 10,
  pepperVersion: 1,
  signingKeyVersion: 1,
  previousSigningKeyId: undefined,
  alarmEmail: undefined,
  // TLS 1.3 only: the strictest policy a REGIONAL REST API takes (README.md, "TLS").
  apiTlsPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
} as const;

export const stages: Readonly<Record<StageName, StageConfig>> = {
  dev: {
    ...common,
    name: 'dev',
    credentialLimits: stageCredentialLimits.dev,
    sourceMapsAtRuntime: true,
    ruleLeadTimeHours: 1,
    stageThrottle: { rateLimit: 100, burstLimit: 200 },
    wafRequestsPerIpPer5Min: 2_000,
    storeMaxConcurrency: 2,
    verifyReservedConcurrency: undefined,
    authorizerReservedConcurrency: undefined,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    alarms: {
      verifyP99Ms: 800,
      oldestMessageAgeSeconds: 300,
      api5xxPer5Min: 5,
      wafRateLimitedPer5Min: 100,
      notValidPerDevicePer5Min: 30,
      notValidPerDevicePerHour: 90,
      passBirthDateNotMatchingPerAppPer5Min: 100,
      passRequestsOverLimitPer5Min: 10,
    },
    extraCorsOrigins: ['http://localhost:3000'],
  },
  prod: {
    ...common,
    name: 'prod',
    credentialLimits: stageCredentialLimits.prod,
    sourceMapsAtRuntime: false,
    ruleLeadTimeHours: 24,
    stageThrottle: { rateLimit: 2_000, burstLimit: 4_000 },
    wafRequestsPerIpPer5Min: 20_000,
    storeMaxConcurrency: 10,
    verifyReservedConcurrency: 200,
    // Cached answers (300 s per credential) keep its rate low; 100 leaves room for a fleet's cold cache.
    authorizerReservedConcurrency: 100,
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    alarms: {
      verifyP99Ms: 500,
      oldestMessageAgeSeconds: 300,
      api5xxPer5Min: 5,
      wafRateLimitedPer5Min: 500,
      notValidPerDevicePer5Min: 30,
      notValidPerDevicePerHour: 90,
      passBirthDateNotMatchingPerAppPer5Min: 100,
      passRequestsOverLimitPer5Min: 10,
    },
    extraCorsOrigins: [],
  },
};

export const isStageName = (value: unknown): value is StageName =>
  typeof value === 'string' && (stageNames as readonly string[]).includes(value);

/** The stage named by `-c stage=...`, or `dev`; fails with a clear message on an unknown name. */
export const stageFromContext = (value: unknown): StageConfig => {
  if (value === undefined) return stages.dev;
  if (!isStageName(value)) {
    throw new Error(`Unknown stage ${JSON.stringify(value)}: use -c stage=${stageNames.join('|')}`);
  }
  return stages[value];
};

/** The region of an ACM certificate ARN (`arn:aws:acm:<region>:<account>:certificate/<id>`), if it is one. */
export const certificateRegion = (arn: string): string | undefined => {
  const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(arn);
  return match?.[1];
};

const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const customDomain = (what: string, name: unknown, certificateArn: unknown): CustomDomain | undefined => {
  if (name === undefined && certificateArn === undefined) return undefined;
  if (typeof name !== 'string' || typeof certificateArn !== 'string') {
    throw new Error(
      `${what}: give both -c ${what}=<host name> and -c ${what.replace('Domain', '')}CertificateArn=<ACM ARN>`,
    );
  }
  if (!hostNamePattern.test(name)) {
    throw new Error(`${what}: ${JSON.stringify(name)} is not a lower-case host name like api.example.gov.vn`);
  }
  if (certificateRegion(certificateArn) === undefined) {
    throw new Error(`${what}: ${JSON.stringify(certificateArn)} is not an ACM certificate ARN`);
  }
  return { name, certificateArn };
};

/**
 * The stage with the custom domains named in CDK context (`-c apiDomain=... -c apiCertificateArn=...`,
 * `-c webDomain=... -c webCertificateArn=...`) in place of the stage's own; fails with a clear message
 * on half a pair, a malformed host name or ARN, or a page certificate outside us-east-1.
 */
export const withDomainsFromContext = (
  stage: StageConfig,
  context: (key: string) => unknown,
): StageConfig => {
  const api = customDomain('apiDomain', context('apiDomain'), context('apiCertificateArn'));
  const web = customDomain('webDomain', context('webDomain'), context('webCertificateArn'));
  const result: StageConfig = {
    ...stage,
    ...(api === undefined ? {} : { apiDomain: { ...stage.apiDomain, ...api } }),
    ...(web === undefined ? {} : { webDomain: web }),
  };
  const webRegion = result.webDomain && certificateRegion(result.webDomain.certificateArn);
  if (webRegion !== undefined && webRegion !== 'us-east-1') {
    throw new Error(
      `webDomain: CloudFront only takes certificates from us-east-1; ${result.webDomain?.certificateArn} is in ${webRegion}`,
    );
  }
  return result;
};
