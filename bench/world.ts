/**
 * What the in-process measurements share: dynalite and fauxqs in child processes (a real DynamoDB or SQS
 * is remote too), the functions' environment pointed at them, and one holder stored with a pass issued.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { systemClock } from '../contract/clock.js';
import { defaultRuleSet } from '../contract/rules.js';
import { hours } from '../contract/verdict.js';
import { makeHolderResults } from '../functions/adapters/holder-results.js';
import { makePassRequestCounter } from '../functions/adapters/pass-requests.js';
import { buildJwks, publicKeyEntryFromPem } from '../functions/adapters/public-keys.js';
import { makeResultsTable } from '../functions/adapters/results-table.js';
import { makeRuleSetsTable } from '../functions/adapters/rule-sets-table.js';
import { generateSigningKeyPem, localSignerFromFile } from '../functions/adapters/signer.js';
import { makeSubmitResults } from '../functions/domain/ingest.js';
import { makeIssuePass } from '../functions/domain/issue-pass.js';
import { holderKey, type Pepper } from '../functions/domain/pseudonym.js';
import { ensureDefaultRuleSet } from '../functions/domain/rule-publishing.js';
import { storeResult } from '../functions/domain/store.js';
import { projectRoot } from '../lib/paths.js';
import { ensureTables, LOCAL_AWS, LOCAL_NAMES, localDynamoClient } from '../local/emulators.js';
import { apiEvent } from './events.js';

export const BENCH_DIR = join(projectRoot, 'bench');

/** The deployment's windows (functions/config.ts defaults), as the default rule set states them. */
const WINDOWS = { RT_PCR: 72, RAPID_ANTIGEN: 48 } as const;

const emulatorLine = z.object({ endpoint: z.string(), queueUrl: z.string().optional() });

/** Starts an emulator in a child process and waits for its address. */
const startEmulator = async (kind: 'dynalite' | 'fauxqs') => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(BENCH_DIR, 'emulator-child.ts'), kind],
    {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  if (!child.stdout) throw new Error('emulator has no stdout');
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { ...emulatorLine.parse(JSON.parse(first)), stop: () => child.stdin?.end() };
};

export const identity = { idType: 'CCCD', idNumber: '001190012345', dateOfBirth: '1990-05-17' } as const;
export const checkpoint = { principalId: 'device-1', role: 'checkpoint', name: 'Chốt Km 18' };
export const lab = {
  principalId: 'lab-1',
  role: 'lab',
  name: 'CDC Quảng Ninh',
  testTypes: 'RT_PCR,RAPID_ANTIGEN',
};

export interface BenchWorld {
  /** A temporary folder for bundles and the signing key; removed by `stop`. */
  readonly work: string;
  /** The functions' environment (also set on this process), for child processes. */
  readonly environment: Readonly<Record<string, string>>;
  readonly dynamoClient: DynamoDBClient;
  /**
   * The raw side's client: made as the verify function's is (clients/dynamodb-client.ts, with
   * `cacheMiddleware`), so a ratio measures what verify does, not a client option. The DocumentClient
   * refuses that option, so setting up the world uses `dynamoClient`.
   */
  readonly rawClient: DynamoDBClient;
  readonly sqsEndpoint: string;
  readonly queueUrl: string | undefined;
  readonly pepper: Pepper;
  /** The seeded holder's partition key (its pseudonym). */
  readonly key: string;
  /** When the holder's results were dated from (ms). */
  readonly now: number;
  /** A checkpoint's request with the holder's signed pass. */
  readonly scanEvent: APIGatewayProxyEvent;
  stop(): Promise<void>;
}

export const startBenchWorld = async (): Promise<BenchWorld> => {
  const work = await mkdtemp(join(tmpdir(), 'resultgate-bench-'));
  const db = await startEmulator('dynalite');
  const queues = await startEmulator('fauxqs');
  const stop = async () => {
    db.stop();
    queues.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const pepperHex = randomBytes(32).toString('hex');
    const signingKeyFile = join(work, 'signing-key.pem');
    const signingKeyPem = generateSigningKeyPem();
    await writeFile(signingKeyFile, signingKeyPem, { mode: 0o600 });
    const environment = {
      STAGE: 'local',
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      RESULTS_TABLE: LOCAL_NAMES.resultsTable,
      REGISTRY_TABLE: LOCAL_NAMES.registryTable,
      RESULTS_QUEUE_URL: queues.queueUrl ?? '',
      PEPPER: pepperHex,
      SIGNING_KEY_FILE: signingKeyFile,
      SIGNING_PUBLIC_KEYS: JSON.stringify(buildJwks([publicKeyEntryFromPem(signingKeyPem)])),
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    Object.assign(process.env, environment);

    const dynamoClient = localDynamoClient(db.endpoint);
    await ensureTables(dynamoClient);
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const documents = DynamoDBDocumentClient.from(dynamoClient);
    // The default rule set, as every install has it from its first start or deploy: verify's cold start
    // reads it (the live copies of the rule sets table) as it would anywhere.
    await ensureDefaultRuleSet(
      makeRuleSetsTable(documents, LOCAL_NAMES.registryTable),
      WINDOWS,
      { now: new Date(), publishedBy: 'bench' },
      () => false,
    );

    // A holder with a valid negative and two older results: a typical partition.
    const pepper: Pepper = { secret: Buffer.from(pepperHex, 'hex'), version: 1 };
    const key = holderKey(pepper, identity.idType, identity.idNumber);
    const table = makeResultsTable(documents, LOCAL_NAMES.resultsTable);
    const now = Date.now();
    const lab1 = { id: 'lab-1', name: 'CDC Quảng Ninh', testTypes: ['RT_PCR', 'RAPID_ANTIGEN'] as const };
    const store = makeSubmitResults({
      rules: { clock: systemClock, retentionDays: 30 },
      pepper: async () => pepper,
      queue: {
        send: async (messages) => {
          for (const message of messages) {
            await storeResult(message, { samples: table, clock: systemClock, retentionDays: 30 });
          }
        },
      },
    });
    await store(
      {
        results: (
          [
            ['NEGATIVE', 6],
            ['NEGATIVE', 200],
            ['POSITIVE', 400],
          ] as const
        ).map(([result, ageHours], i) => ({
          sampleId: `S-${i}`,
          citizen: { ...identity, fullName: 'Nguyễn Thị Ánh' },
          testType: 'RT_PCR',
          result,
          sampledAt: new Date(now - hours(ageHours)).toISOString(),
          resultedAt: new Date(now - hours(ageHours - 1)).toISOString(),
        })),
      },
      lab1,
    );
    const { qr } = await makeIssuePass({
      pepper: async () => pepper,
      holders: makeHolderResults(dynamoClient, LOCAL_NAMES.resultsTable),
      requests: makePassRequestCounter(dynamoClient, LOCAL_NAMES.resultsTable),
      signer: () => localSignerFromFile(signingKeyFile),
      clock: { now: () => new Date() },
      rule: async () => defaultRuleSet(WINDOWS),
      lifetimeSeconds: 7 * 86_400,
    })(identity);

    return {
      work,
      environment,
      dynamoClient,
      rawClient: new DynamoDBClient({ ...LOCAL_AWS, endpoint: db.endpoint, cacheMiddleware: true }),
      sqsEndpoint: queues.endpoint,
      queueUrl: queues.queueUrl,
      pepper,
      key,
      now,
      scanEvent: apiEvent('POST', '/v1/verify', { qr }, checkpoint),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
