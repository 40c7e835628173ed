/**
 * Monthly AWS cost of a prod stack in ap-southeast-1 (Singapore), for three sizes, from stated prices and
 * assumptions. `npx tsx docs/cost-model.ts` prints the table that README.md ("What it costs") shows;
 * test/infra/cost-model.test.ts checks the arithmetic. Change a price or an assumption here, run it again.
 * Free tiers are left out (a new account pays less in its first year).
 */

/** How sure a price is: read from a public source for Singapore, read for another region, or not found. */
export type PriceStatus = 'confirmed' | 'other-region' | 'unconfirmed';

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly status: PriceStatus;
  /** Where the number was read, and the date of that source or of the reading. */
  readonly source: string;
}

const SEARCHED = 'searched 2026-12-02';

/** Public list prices, USD, on-demand, ap-southeast-1 unless `status` says otherwise. */
export const prices = {
  apiGatewayRestPerMillion: {
    usd: 3.5,
    unit: 'million REST requests (first 333 M a month)',
    status: 'other-region',
    source: `aws.amazon.com/api-gateway/pricing worked example, US regions, read 2026-09-20 (api-evangelist transcription); Singapore rate not shown offline (${SEARCHED})`,
  },
  lambdaArmPerGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second, arm64',
    status: 'confirmed',
    source:
      'artillery 2.0.28 lib/platform/aws-lambda/prices.js: base arm64 rate, ap-southeast-1 not among the regions priced differently',
  },
  lambdaPerMillionRequests: {
    usd: 0.2,
    unit: 'million invocations',
    status: 'confirmed',
    source:
      'aws.amazon.com/lambda/pricing, read 2026-09-20 (api-evangelist transcription); same in every commercial region',
  },
  dynamoWritePerMillion: {
    usd: 0.7125,
    unit: 'million write request units, on demand',
    status: 'unconfirmed',
    source:
      'US East $0.625 after the Nov 2024 cut (airbyte.com, 2025-07-21) × 1.14, the Singapore/US ratio of storage ($0.285/$0.25); Singapore rate not found',
  },
  dynamoReadPerMillion: {
    usd: 0.1425,
    unit: 'million read request units, on demand',
    status: 'unconfirmed',
    source: 'US East $0.125 (airbyte.com, 2025-07-21) × 1.14, as for writes; Singapore rate not found',
  },
  dynamoStoragePerGbMonth: {
    usd: 0.285,
    unit: 'GB-month, Standard table class',
    status: 'unconfirmed',
    source: `Singapore list price as last published; not found offline (${SEARCHED})`,
  },
  dynamoPitrPerGbMonth: {
    usd: 0.228,
    unit: 'GB-month of table size, continuous backups',
    status: 'unconfirmed',
    source: `Singapore list price as last published; not found offline (${SEARCHED})`,
  },
  sqsPerMillion: {
    usd: 0.4,
    unit: 'million standard-queue requests (64 KB chunks)',
    status: 'unconfirmed',
    source: `list price, same in most regions; not found offline (${SEARCHED})`,
  },
  kmsKeyMonth: {
    usd: 1,
    unit: 'customer-managed key-month',
    status: 'confirmed',
    source:
      'factualminds.com KMS pricing, 2026-06-13 (us-east-1; KMS keys cost the same in every commercial region)',
  },
  kmsSymmetricPer10k: {
    usd: 0.03,
    unit: '10,000 symmetric requests',
    status: 'confirmed',
    source: 'factualminds.com, 2026-06-13; wring.co KMS guide',
  },
  kmsAsymmetricPer10k: {
    usd: 0.15,
    unit: '10,000 asymmetric requests (ECC Sign)',
    status: 'other-region',
    source:
      'factualminds.com, 2026-06-13: "asymmetric operations at 5× the symmetric rate"; wring.co lists $0.03 for ECC: the higher is used',
  },
  secretMonth: {
    usd: 0.4,
    unit: 'secret-month',
    status: 'unconfirmed',
    source: `list price; not found offline (${SEARCHED})`,
  },
  logsIngestPerGb: {
    usd: 0.7,
    unit: 'GB ingested, Standard log class',
    status: 'unconfirmed',
    source: 'Singapore not found; neighbours: Tokyo $0.76 (awsi.click), us-east-1 $0.50 (c3x.dev, June 2026)',
  },
  logsStoragePerGbMonth: {
    usd: 0.03,
    unit: 'GB-month archived (compressed)',
    status: 'other-region',
    source: 'us-east-1 $0.03 (hykell.com), Tokyo $0.033 (awsi.click)',
  },
  customMetricMonth: {
    usd: 0.3,
    unit: 'custom metric-month (first 10,000)',
    status: 'unconfirmed',
    source: `us-east-1 list price; not found offline (${SEARCHED})`,
  },
  alarmMonth: {
    usd: 0.1,
    unit: 'standard-resolution alarm-month',
    status: 'unconfirmed',
    source: `us-east-1 list price; not found offline (${SEARCHED})`,
  },
  dashboardMonth: {
    usd: 3,
    unit: 'dashboard-month',
    status: 'unconfirmed',
    source: `us-east-1 list price; not found offline (${SEARCHED})`,
  },
  insightRuleMonth: {
    usd: 0.5,
    unit: 'Contributor Insights rule-month',
    status: 'unconfirmed',
    source: `us-east-1 list price; not found offline (${SEARCHED})`,
  },
  insightEventsPerMillion: {
    usd: 0.02,
    unit: 'million log events matched by a rule',
    status: 'unconfirmed',
    source: `us-east-1 list price; not found offline (${SEARCHED})`,
  },
  wafWebAclMonth: {
    usd: 5,
    unit: 'web ACL-month',
    status: 'unconfirmed',
    source: `list price, global; the AWS WAF cost guide (aws.github.io) names the dimensions, not the numbers (${SEARCHED})`,
  },
  wafRuleMonth: {
    usd: 1,
    unit: 'rule-month (a managed rule group counts as one)',
    status: 'unconfirmed',
    source: `list price, global; not found offline (${SEARCHED})`,
  },
  wafPerMillion: {
    usd: 0.6,
    unit: 'million requests inspected',
    status: 'unconfirmed',
    source: `list price, global; not found offline (${SEARCHED})`,
  },
  xrayPerMillionTraces: {
    usd: 5,
    unit: 'million traces recorded',
    status: 'unconfirmed',
    source: `list price; not found offline (${SEARCHED})`,
  },
  dataOutPerGb: {
    usd: 0.12,
    unit: 'GB out to the internet from Singapore (first 10 TB)',
    status: 'unconfirmed',
    source: `list price; not found offline (${SEARCHED})`,
  },
  cloudFrontPerGb: {
    usd: 0.14,
    unit: 'GB out from CloudFront edges in Asia',
    status: 'unconfirmed',
    source: `list price; the always-free 1 TB a month covers the page at every size (${SEARCHED})`,
  },
} as const satisfies Record<string, Price>;

export type Prices = { readonly [K in keyof typeof prices]: Price };

export interface Size {
  readonly name: string;
  readonly labs: number;
  readonly checkpoints: number;
  readonly resultsPerDay: number;
  readonly checksPerDay: number;
}

/** The issue's three sizes; devices and labs scale with checks and results from the province's ratios. */
export const sizes: readonly Size[] = [
  { name: 'One province', labs: 20, checkpoints: 200, resultsPerDay: 20_000, checksPerDay: 100_000 },
  {
    name: 'Region (5 provinces)',
    labs: 100,
    checkpoints: 1_000,
    resultsPerDay: 100_000,
    checksPerDay: 500_000,
  },
  { name: 'National', labs: 1_000, checkpoints: 10_000, resultsPerDay: 1_000_000, checksPerDay: 5_000_000 },
];

/** Everything the arithmetic rests on besides prices. Each is a guess a province can replace with its own. */
export const assumptions = {
  daysPerMonth: 30,
  /** Checks and uploads happen over 12 hours a day (X-Ray sampling, authorizer cache misses, peaks). */
  activeHoursPerDay: 12,
  /** Authorizer answers are cached 300 s per credential (contract/limits.ts). */
  authorizerCacheSeconds: 300,
  /** Results per ingest request: labs send full 500-item batches. */
  resultsPerBatch: 500,
  /** Lab status checks (GET /v1/results/{sampleId}) per result. */
  statusChecksPerResult: 0.1,
  /** QR passes issued (POST /v1/passes, one KMS Sign each) per result. */
  passesPerResult: 0.2,
  /** SendMessageBatch entries and store batch size: each result costs 1/10 of a send, receive and delete. */
  sqsBatch: 10,
  /** Empty long polls of the event-source mapping, a month, whatever the traffic (5 pollers × 3 a minute). */
  sqsIdlePollsPerMonth: 648_000,
  /** Billed duration (ms) and memory (MB) per invocation; from the bench's handler times, rounded up. */
  lambda: {
    verify: { ms: 50, mb: 1024 },
    authorizer: { ms: 15, mb: 512 },
    submitPerBatch: { ms: 400, mb: 1024 },
    storePerBatch: { ms: 120, mb: 1024 },
    getResult: { ms: 20, mb: 512 },
    issuePass: { ms: 60, mb: 1024 },
  },
  /** Read units: eventually consistent reads of items under 4 KB cost half a unit. */
  rruPerCheck: 0.5,
  rruPerAuthorizerMiss: 0.5,
  /** Store: one consistent read of the sample, two writes (sample and holder copy), lab freshness per batch. */
  rruPerResult: 1,
  wruPerResult: 2 + 1 / 10,
  rruPerStatusCheck: 0.5,
  rruPerPass: 0.5,
  /** The holder's pass-request count of the day (one small UpdateItem, contract/limits.ts). */
  wruPerPass: 1,
  /** Two items of about 1 KB per result, kept 30 days (retentionDays) then removed by TTL (free). */
  bytesStoredPerResult: 2 * 1_100,
  retentionDays: 30,
  /** Log bytes: API access log line, Lambda START/END/REPORT, metric (EMF) and info lines. */
  logBytes: { accessLine: 500, platformLines: 300, metricLine: 350, infoLine: 250 },
  /** NOT_VALID answers (one info line each) per check. */
  notValidShare: 0.05,
  /** prod keeps logs 3 months; CloudWatch bills storage on compressed bytes (assumed 5:1). */
  logRetentionMonths: 3,
  logCompression: 0.2,
  /** X-Ray default sampling: the first request each second, then 5 %. */
  xrayReservoirPerSecond: 1,
  xrayRate: 0.05,
  /** Bytes each API answer sends out. */
  responseBytes: 1_500,
  /** Page loads a checkpoint makes a day, and the page's size. */
  pageLoadsPerCheckpointPerDay: 2,
  pageBytes: 400_000,
  /** CloudFront's always-free allowance (not a 12-month tier): 1 TB out a month. */
  cloudFrontFreeGb: 1_000,
  /** KMS data-key requests DynamoDB, SQS and Logs make a month for the symmetric keys (cached 5 minutes). */
  kmsSymmetricRequestsPerMonth: { base: 100_000, perMillionApiRequests: 2_000 },
  /** Counted in the stack: 6 KMS keys, 1 secret, 19 alarms, 1 dashboard, 14 custom metrics, 1 rule, 3 WAF rules. */
  fixed: {
    kmsKeys: 6,
    secrets: 1,
    alarms: 19,
    dashboards: 1,
    customMetrics: 14,
    insightRules: 1,
    wafRules: 3,
  },
};

export type Assumptions = typeof assumptions;

export interface Line {
  readonly service: string;
  readonly usd: number;
  /** The quantities the line is made of, for the reader. */
  readonly basis: string;
}

/** Monthly quantities for one size (requests, invocations, bytes…), before prices. */
export const monthlyUsage = (size: Size, a: Assumptions = assumptions) => {
  const month = (perDay: number) => perDay * a.daysPerMonth;
  const activeSeconds = a.activeHoursPerDay * 3600;
  const checks = month(size.checksPerDay);
  const results = month(size.resultsPerDay);
  const batches = results / a.resultsPerBatch;
  const statusChecks = results * a.statusChecksPerResult;
  const passes = results * a.passesPerResult;
  // Each credential misses the authorizer cache at most once per TTL while it is active.
  const checksPerDevice = size.checksPerDay / size.checkpoints;
  const missesPerDevicePerDay = Math.min(checksPerDevice, activeSeconds / a.authorizerCacheSeconds);
  const labRequestsPerLab =
    (size.resultsPerDay * (1 / a.resultsPerBatch + a.statusChecksPerResult)) / size.labs;
  const missesPerLabPerDay = Math.min(labRequestsPerLab, activeSeconds / a.authorizerCacheSeconds);
  const authorizerCalls = month(size.checkpoints * missesPerDevicePerDay + size.labs * missesPerLabPerDay);
  const apiRequests = checks + batches + statusChecks + passes;
  const storeInvocations = results / a.sqsBatch;
  const gbSeconds = (count: number, { ms, mb }: { ms: number; mb: number }) =>
    (count * ms * mb) / 1000 / 1024;
  const lambdaGbSeconds =
    gbSeconds(checks, a.lambda.verify) +
    gbSeconds(authorizerCalls, a.lambda.authorizer) +
    gbSeconds(batches, a.lambda.submitPerBatch) +
    gbSeconds(storeInvocations, a.lambda.storePerBatch) +
    gbSeconds(statusChecks, a.lambda.getResult) +
    gbSeconds(passes, a.lambda.issuePass);
  const lambdaInvocations = checks + authorizerCalls + batches + storeInvocations + statusChecks + passes;
  const readUnits =
    checks * a.rruPerCheck +
    authorizerCalls * a.rruPerAuthorizerMiss +
    results * a.rruPerResult +
    statusChecks * a.rruPerStatusCheck +
    passes * a.rruPerPass;
  const writeUnits = results * a.wruPerResult + passes * a.wruPerPass;
  const storedGb = (size.resultsPerDay * a.retentionDays * a.bytesStoredPerResult) / 1e9;
  const sqsRequests = (3 * results) / a.sqsBatch + a.sqsIdlePollsPerMonth;
  const { accessLine, platformLines, metricLine, infoLine } = a.logBytes;
  const logBytes =
    apiRequests * accessLine +
    lambdaInvocations * platformLines +
    (checks + batches + storeInvocations + passes) * metricLine +
    (checks * a.notValidShare + results + batches + passes) * infoLine;
  const logGb = logBytes / 1e9;
  const tracedPerSecond = (perMonth: number) => {
    const rate = perMonth / a.daysPerMonth / activeSeconds;
    const reservoir = Math.min(rate, a.xrayReservoirPerSecond);
    return reservoir + a.xrayRate * (rate - reservoir);
  };
  const traces =
    (tracedPerSecond(apiRequests) + tracedPerSecond(storeInvocations)) * activeSeconds * a.daysPerMonth;
  return {
    checks,
    results,
    apiRequests,
    authorizerCalls,
    lambdaInvocations,
    lambdaGbSeconds,
    readUnits,
    writeUnits,
    storedGb,
    sqsRequests,
    passes,
    kmsSymmetricRequests:
      a.kmsSymmetricRequestsPerMonth.base +
      (a.kmsSymmetricRequestsPerMonth.perMillionApiRequests * apiRequests) / 1e6,
    logGb,
    logStoredGb: logGb * a.logRetentionMonths * a.logCompression,
    notValidEvents: checks * a.notValidShare,
    traces,
    dataOutGb: (apiRequests * a.responseBytes) / 1e9,
    pageGb: month(size.checkpoints * a.pageLoadsPerCheckpointPerDay * a.pageBytes) / 1e9,
  };
};

const millions = (n: number) => `${(n / 1e6).toFixed(2)} M`;

/** The bill of one size, line by line. */
export const monthlyCost = (size: Size, a: Assumptions = assumptions, p: Prices = prices): Line[] => {
  const u = monthlyUsage(size, a);
  const f = a.fixed;
  return [
    {
      service: 'API Gateway (REST)',
      usd: (u.apiRequests / 1e6) * p.apiGatewayRestPerMillion.usd,
      basis: `${millions(u.apiRequests)} requests`,
    },
    {
      service: 'Lambda (arm64)',
      usd:
        u.lambdaGbSeconds * p.lambdaArmPerGbSecond.usd +
        (u.lambdaInvocations / 1e6) * p.lambdaPerMillionRequests.usd,
      basis: `${millions(u.lambdaInvocations)} invocations (${millions(u.authorizerCalls)} authorizer), ${Math.round(u.lambdaGbSeconds).toLocaleString('en')} GB-s`,
    },
    {
      service: 'DynamoDB (on demand)',
      usd:
        (u.readUnits / 1e6) * p.dynamoReadPerMillion.usd +
        (u.writeUnits / 1e6) * p.dynamoWritePerMillion.usd +
        u.storedGb * (p.dynamoStoragePerGbMonth.usd + p.dynamoPitrPerGbMonth.usd),
      basis: `${millions(u.readUnits)} RRU, ${millions(u.writeUnits)} WRU, ${u.storedGb.toFixed(1)} GB + PITR`,
    },
    {
      service: 'SQS',
      usd: (u.sqsRequests / 1e6) * p.sqsPerMillion.usd,
      basis: `${millions(u.sqsRequests)} requests`,
    },
    {
      service: 'KMS',
      usd:
        f.kmsKeys * p.kmsKeyMonth.usd +
        (u.kmsSymmetricRequests / 1e4) * p.kmsSymmetricPer10k.usd +
        (u.passes / 1e4) * p.kmsAsymmetricPer10k.usd,
      basis: `${f.kmsKeys} keys, ${millions(u.passes)} Sign, ${millions(u.kmsSymmetricRequests)} data-key requests`,
    },
    { service: 'Secrets Manager', usd: f.secrets * p.secretMonth.usd, basis: `${f.secrets} secret` },
    {
      service: 'CloudWatch Logs',
      usd: u.logGb * p.logsIngestPerGb.usd + u.logStoredGb * p.logsStoragePerGbMonth.usd,
      basis: `${u.logGb.toFixed(1)} GB ingested, ${u.logStoredGb.toFixed(1)} GB stored`,
    },
    {
      service: 'CloudWatch metrics, alarms, dashboard, Contributor Insights',
      usd:
        f.customMetrics * p.customMetricMonth.usd +
        f.alarms * p.alarmMonth.usd +
        f.dashboards * p.dashboardMonth.usd +
        f.insightRules * p.insightRuleMonth.usd +
        (u.notValidEvents / 1e6) * p.insightEventsPerMillion.usd,
      basis: `${f.customMetrics} metrics, ${f.alarms} alarms, ${f.dashboards} dashboard, ${f.insightRules} rule`,
    },
    {
      service: 'WAF',
      usd:
        p.wafWebAclMonth.usd + f.wafRules * p.wafRuleMonth.usd + (u.apiRequests / 1e6) * p.wafPerMillion.usd,
      basis: `1 web ACL, ${f.wafRules} rules, ${millions(u.apiRequests)} requests`,
    },
    {
      service: 'X-Ray',
      usd: (u.traces / 1e6) * p.xrayPerMillionTraces.usd,
      basis: `${millions(u.traces)} traces`,
    },
    {
      service: 'Data out (API answers)',
      usd: u.dataOutGb * p.dataOutPerGb.usd,
      basis: `${u.dataOutGb.toFixed(1)} GB`,
    },
    {
      service: 'CloudFront and S3 (page)',
      usd: Math.max(0, u.pageGb - a.cloudFrontFreeGb) * p.cloudFrontPerGb.usd,
      basis: `${u.pageGb.toFixed(1)} GB, beyond CloudFront's always-free ${a.cloudFrontFreeGb} GB only`,
    },
  ];
};

export const totalOf = (lines: readonly Line[]): number => lines.reduce((sum, line) => sum + line.usd, 0);

const usd = (n: number) =>
  `$${n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The table README.md shows: one row per service, one column per size, totals last. */
export const markdownTable = (a: Assumptions = assumptions, p: Prices = prices): string => {
  const bills = sizes.map((size) => monthlyCost(size, a, p));
  const services = bills[0]?.map((line) => line.service) ?? [];
  const rows = [
    `| service | ${sizes.map((size) => size.name).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---:').join(' | ')} |`,
    ...services.map(
      (service, i) => `| ${service} | ${bills.map((lines) => usd(lines[i]?.usd ?? 0)).join(' | ')} |`,
    ),
    `| **total a month** | ${bills.map((lines) => `**${usd(totalOf(lines))}**`).join(' | ')} |`,
  ];
  return rows.join('\n');
};

/** Every line's quantities, per size, for whoever checks the table. */
export const basisTable = (a: Assumptions = assumptions, p: Prices = prices): string =>
  sizes
    .map((size) => {
      const lines = monthlyCost(size, a, p).map(
        (line) => `- ${line.service}: ${line.basis} → ${usd(line.usd)}`,
      );
      return [`**${size.name}**`, '', ...lines].join('\n');
    })
    .join('\n\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(markdownTable());
  console.log();
  console.log(basisTable());
}
