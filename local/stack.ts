import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { routes } from '../contract/routes.js';
import { makeRuleSetsTable, RuleSetVersionExistsError } from '../functions/adapters/rule-sets-table.js';
import { loadConfig } from '../functions/config.js';
import { ensureDefaultRuleSet } from '../functions/domain/rule-publishing.js';
import { projectRoot } from '../lib/paths.js';
import { functions } from '../lib/routes.js';
import { dataPaths, ensureDataDir, lockDataDir, removeStackInfo, writeStackInfo } from './data-dir.js';
import { startDurableQueues } from './durable-queues.js';
import {
  ensureTables,
  LOCAL_NAMES,
  localDynamoClient,
  localFunctionEnv,
  localSqsClient,
  startDynalite,
} from './emulators.js';
import { type ApiFunction, type AuthorizerFunction, createGateway } from './gateway.js';
import { type QueueConsumer, startPoller } from './poller.js';
import { assertPortFree, listenError } from './startup-errors.js';

export interface LocalStackOptions {
  readonly port: number;
  readonly host?: string;
  readonly dataDir: string;
  /** How long a received message stays hidden before it is retried; default 30 s. */
  readonly visibilityTimeoutSeconds?: number;
  readonly logLevel?: string;
  readonly log?: (line: string) => void;
  /** Per-credential rate limits at the gateway; 'off' only for load tests and benches. Default 'on'. */
  readonly rateLimits?: 'on' | 'off';
}

export interface LocalStack {
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly resultsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  stop(): Promise<void>;
}

/** Loads a handler module the way Lambda does: by its entry file, once, and takes its `handler`. */
const handlerLoader = <T>(entry: string): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= import(pathToFileURL(join(projectRoot, entry)).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
      return module.handler as T;
    });
    return loaded;
  };
};

const queueIsIdle = async (sqs: SQSClient, queueUrl: string): Promise<boolean> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    out.Attributes?.ApproximateNumberOfMessages === '0' &&
    out.Attributes?.ApproximateNumberOfMessagesNotVisible === '0'
  );
};

/**
 * The whole system in one process: dynalite (persisted in the data dir) and fauxqs, the same handler
 * modules behind a local API gateway, and a poller feeding the store handler. The AWS SDK clients in the
 * handlers are pointed at the emulators by endpoint configuration only.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const log = options.log ?? (() => undefined);
  // Node 20 is fine for development (Lambda runs Node 22); the SDK's notice would only clutter the output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = resolve(options.dataDir);
  const paths = dataPaths(dataDir);
  const host = options.host ?? '127.0.0.1';
  // Operator mistakes (second start, busy port, bad data dir) fail here with one line, before the database opens.
  const lock = await lockDataDir(dataDir, options.dataDir);
  await assertPortFree(host, options.port).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const { pepper, signingKeyFile, signingPublicKeys, rulesSigningKeyFile, rulesPublicKeys } =
    await ensureDataDir(dataDir);

  const db = await startDynalite(paths.dynamodb);
  await ensureTables(localDynamoClient(db.endpoint));
  // Every SQS client (handlers, poller, admin CLI via stack.json) goes through the journaling endpoint, so
  // an acknowledged message is on disk (local/durable-queues.ts).
  const queues = await startDurableQueues({
    journalPath: paths.queueJournal,
    legacySnapshotPath: paths.queues,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    log,
  });
  if (queues.restored > 0) {
    log(
      `đã khôi phục ${queues.restored} tin nhắn đang chờ từ nhật ký hàng đợi / restored ${queues.restored} queued message(s) from the queue journal`,
    );
  }
  const sqs = localSqsClient(queues.endpoint);

  Object.assign(
    process.env,
    localFunctionEnv({
      dynamodbEndpoint: db.endpoint,
      sqsEndpoint: queues.endpoint,
      resultsQueueUrl: queues.resultsQueueUrl,
      pepper,
      signingKeyFile,
      signingPublicKeys,
      rulesSigningKeyFile,
      rulesPublicKeys,
      logLevel: options.logLevel ?? 'WARN',
    }),
  );

  // The deployment's windows as the default rule set, written once (first start) and never replaced.
  const ruleClient = DynamoDBDocumentClient.from(localDynamoClient(db.endpoint));
  try {
    const windows = loadConfig(['VALIDITY_RT_PCR_HOURS', 'VALIDITY_RAPID_ANTIGEN_HOURS']);
    const wrote = await ensureDefaultRuleSet(
      makeRuleSetsTable(ruleClient, LOCAL_NAMES.registryTable),
      { RT_PCR: windows.VALIDITY_RT_PCR_HOURS, RAPID_ANTIGEN: windows.VALIDITY_RAPID_ANTIGEN_HOURS },
      { now: new Date(), publishedBy: userInfo().username },
      (error) => error instanceof RuleSetVersionExistsError,
    );
    if (wrote)
      log('đã ghi bộ quy tắc mặc định DEFAULT v1 / wrote the default rule set DEFAULT v1 (rules list)');
  } finally {
    ruleClient.destroy();
  }

  const loaders = new Map(
    Object.entries(functions).map(([name, spec]) => [name, handlerLoader<unknown>(spec.entry)] as const),
  );
  const loader = <T>(name: keyof typeof functions) => {
    const load = loaders.get(name);
    if (!load) throw new Error(`no function ${name}`);
    return load as () => Promise<T>;
  };

  // Opens the gateway's control route (authorizer cache flush); new each start, readable in stack.json only.
  const controlToken = randomBytes(32).toString('base64url');
  const gateway = createGateway({
    routes,
    handlerOf: (route) => loader<ApiFunction>(route.fn)(),
    authorizer: loader<AuthorizerFunction>('authorizeRequest'),
    staticDir: join(projectRoot, 'web', 'dist'),
    log,
    rateLimits: options.rateLimits ?? 'on',
    controlToken,
  });
  gateway.listen(options.port, host);
  await once(gateway, 'listening').catch((error: unknown) => {
    throw listenError(error, host, options.port);
  });
  const { port } = gateway.address() as AddressInfo;
  const url = `http://${host}:${port}`;

  const queueArn = queues.server.inspectQueue(LOCAL_NAMES.resultsQueue)?.arn ?? '';
  const poller = startPoller({
    sqs,
    queueUrl: queues.resultsQueueUrl,
    queueArn,
    consumer: loader<QueueConsumer>('storeResults'),
    log,
  });

  await writeStackInfo(dataDir, {
    pid: process.pid,
    url,
    dynamodbEndpoint: db.endpoint,
    sqsEndpoint: queues.endpoint,
    resultsTable: LOCAL_NAMES.resultsTable,
    registryTable: LOCAL_NAMES.registryTable,
    resultsQueueUrl: queues.resultsQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    controlToken,
  });

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    gateway.closeAllConnections();
    await new Promise<void>((done) => gateway.close(() => done()));
    // Give queued results a moment to be stored; whatever is left is in the journal for the next start.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(await queueIsIdle(sqs, queues.resultsQueueUrl))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await poller.stop();
    await queues.stop();
    await db.close();
    await removeStackInfo(dataDir);
    await lock.release();
  };

  return {
    url,
    dynamodbEndpoint: db.endpoint,
    sqsEndpoint: queues.endpoint,
    resultsQueueUrl: queues.resultsQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
};
