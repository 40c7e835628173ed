import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

/** The AWS region and dummy credentials the local SDK clients sign with; the emulators ignore them. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export const LOCAL_NAMES = {
  resultsTable: 'resultgate-results',
  registryTable: 'resultgate-registry',
  resultsQueue: 'resultgate-results',
  deadLetterQueue: 'resultgate-results-dlq',
} as const;

export interface RunningDynalite {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** dynalite on a free loopback port: persisted under `path`, or in memory when no path is given. */
export const startDynalite = async (path?: string): Promise<RunningDynalite> => {
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};

export const localDynamoClient = (endpoint: string) => new DynamoDBClient({ ...LOCAL_AWS, endpoint });
export const localSqsClient = (endpoint: string) =>
  new SQSClient({ ...LOCAL_AWS, endpoint, useQueueUrlAsEndpoint: false });

/** Both tables as the stack defines them: string `pk` and `sk`, TTL on `expiresAt` for results. */
/** dynalite makes a new table ACTIVE on a later tick, and refuses its items until then. */
const untilActive = async (client: DynamoDBClient, table: string): Promise<void> => {
  for (let tries = 0; tries < 400; tries += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(5);
  }
  throw new Error(`Table ${table} did not become ACTIVE`);
};

export const ensureTables = async (
  client: DynamoDBClient,
  names: { readonly resultsTable: string; readonly registryTable: string } = LOCAL_NAMES,
): Promise<void> => {
  for (const [table, ttl] of [
    [names.resultsTable, true],
    [names.registryTable, false],
  ] as const) {
    try {
      await client.send(new DescribeTableCommand({ TableName: table }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await untilActive(client, table);
    if (ttl) {
      // dynalite records the setting but never deletes expired items; verify ignores them itself.
      await client
        .send(
          new UpdateTimeToLiveCommand({
            TableName: table,
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          }),
        )
        .catch(() => undefined);
    }
  }
};

export interface LocalQueues {
  readonly server: FauxqsServer;
  readonly resultsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

export interface QueueOptions {
  /** Seconds a received message stays hidden; the cloud uses 6× the store timeout, tests want less. */
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
}

/** fauxqs on a free loopback port, with the results queue and its DLQ (after 5 receives by default). */
export const startQueues = async ({
  visibilityTimeoutSeconds = 30,
  maxReceiveCount = 5,
}: QueueOptions = {}): Promise<LocalQueues> => {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const dlq = server.createQueue(LOCAL_NAMES.deadLetterQueue, {
    attributes: { MessageRetentionPeriod: String(14 * 86_400) },
  });
  const queue = server.createQueue(LOCAL_NAMES.resultsQueue, {
    attributes: {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(4 * 86_400),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount }),
    },
  });
  return { server, resultsQueueUrl: queue.queueUrl, deadLetterQueueUrl: dlq.queueUrl };
};

export interface LocalFunctionSettings {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly resultsQueueUrl: string;
  /** Hex. */
  readonly pepper: string;
  /** The PEM file that signs new passes. */
  readonly signingKeyFile?: string;
  /** The JWKS of the keys passes may be signed with, current first (what verify and keys read). */
  readonly signingPublicKeys?: string;
  /** The PEM file that signs the rules document of GET /v1/rules (never passes). */
  readonly rulesSigningKeyFile?: string;
  /** The JWKS of the rules-signing key (what GET /v1/keys adds, marked `"signs": "rules"`). */
  readonly rulesPublicKeys?: string;
  readonly logLevel: string;
}

/**
 * The configuration the handler modules read, pointed at the emulators: what Lambda's environment gives
 * them in the cloud. The SDK clients find the emulators through the AWS_ENDPOINT_URL_* variables.
 */
export const localFunctionEnv = (settings: LocalFunctionSettings): Record<string, string> => ({
  STAGE: 'local',
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: settings.dynamodbEndpoint,
  AWS_ENDPOINT_URL_SQS: settings.sqsEndpoint,
  RESULTS_TABLE: LOCAL_NAMES.resultsTable,
  REGISTRY_TABLE: LOCAL_NAMES.registryTable,
  RESULTS_QUEUE_URL: settings.resultsQueueUrl,
  PEPPER: settings.pepper,
  ...(settings.signingKeyFile === undefined ? {} : { SIGNING_KEY_FILE: settings.signingKeyFile }),
  ...(settings.signingPublicKeys === undefined ? {} : { SIGNING_PUBLIC_KEYS: settings.signingPublicKeys }),
  ...(settings.rulesSigningKeyFile === undefined
    ? {}
    : { RULES_SIGNING_KEY_FILE: settings.rulesSigningKeyFile }),
  ...(settings.rulesPublicKeys === undefined ? {} : { RULES_PUBLIC_KEYS: settings.rulesPublicKeys }),
  POWERTOOLS_LOG_LEVEL: settings.logLevel,
  POWERTOOLS_METRICS_DISABLED: 'true',
});
