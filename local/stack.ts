import { once } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { functions, routes } from '../lib/routes.js';
import { dataPaths, ensureDataDir, lockDataDir, removeStackInfo, writeStackInfo } from './data-dir.js';
import {
  ensureTables,
  LOCAL_NAMES,
  type LocalQueues,
  localDynamoClient,
  localFunctionEnv,
  localSqsClient,
  startDynalite,
  startQueues,
} from './emulators.js';
import { type ApiFunction, type AuthorizerFunction, createGateway } from './gateway.js';
import { type QueueConsumer, startPoller } from './poller.js';
import { assertPortFree, listenError } from './startup-errors.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackOptions {
  readonly port: number;
  readonly host?: string;
  readonly dataDir: string;
  /** How long a received message stays hidden before it is retried; default 30 s. */
  readonly visibilityTimeoutSeconds?: number;
  readonly logLevel?: string;
  readonly log?: (line: string) => void;
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
    loaded ??= import(pathToFileURL(join(PROJECT_ROOT, entry)).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
      return module.handler as T;
    });
    return loaded;
  };
};

const snapshotSchema = z.object({ results: z.array(z.string()), deadLetter: z.array(z.string()) });

/** fauxqs keeps messages in memory; at stop they are written out and at start sent again, so none is lost. */
const saveQueues = async (queues: LocalQueues, file: string): Promise<number> => {
  const bodies = (name: string) => {
    const inspected = queues.server.inspectQueue(name);
    if (!inspected) return [];
    const { ready, delayed, inflight } = inspected.messages;
    return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((message) => message.body);
  };
  const snapshot = {
    results: bodies(LOCAL_NAMES.resultsQueue),
    deadLetter: bodies(LOCAL_NAMES.deadLetterQueue),
  };
  await writeFile(file, JSON.stringify(snapshot), { mode: 0o600 });
  return snapshot.results.length + snapshot.deadLetter.length;
};

const restoreQueues = async (sqs: SQSClient, queues: LocalQueues, file: string): Promise<void> => {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const snapshot = snapshotSchema.parse(JSON.parse(text));
  const send = async (queueUrl: string, bodies: string[]) => {
    for (let i = 0; i < bodies.length; i += 10) {
      const entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  };
  await send(queues.resultsQueueUrl, snapshot.results);
  await send(queues.deadLetterQueueUrl, snapshot.deadLetter);
  await rm(file);
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
  const { pepper, signingKeyFile, signingPublicKeys } = await ensureDataDir(dataDir);

  const db = await startDynalite(paths.dynamodb);
  await ensureTables(localDynamoClient(db.endpoint));
  const queues = await startQueues({ visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30 });
  const sqs = localSqsClient(queues.server.address);
  await restoreQueues(sqs, queues, paths.queues);

  Object.assign(
    process.env,
    localFunctionEnv({
      dynamodbEndpoint: db.endpoint,
      sqsEndpoint: queues.server.address,
      resultsQueueUrl: queues.resultsQueueUrl,
      pepper,
      signingKeyFile,
      signingPublicKeys,
      logLevel: options.logLevel ?? 'WARN',
    }),
  );

  const loaders = new Map(
    Object.entries(functions).map(([name, spec]) => [name, handlerLoader<unknown>(spec.entry)] as const),
  );
  const loader = <T>(name: keyof typeof functions) => {
    const load = loaders.get(name);
    if (!load) throw new Error(`no function ${name}`);
    return load as () => Promise<T>;
  };

  const gateway = createGateway({
    routes,
    handlerOf: (route) => loader<ApiFunction>(route.fn)(),
    authorizer: loader<AuthorizerFunction>('authorizeRequest'),
    staticDir: join(PROJECT_ROOT, 'web', 'dist'),
    log,
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
    sqsEndpoint: queues.server.address,
    resultsTable: LOCAL_NAMES.resultsTable,
    registryTable: LOCAL_NAMES.registryTable,
    resultsQueueUrl: queues.resultsQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
  });

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    gateway.closeAllConnections();
    await new Promise<void>((done) => gateway.close(() => done()));
    // Give queued results a moment to be stored; whatever is left is saved and sent again next start.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(await queueIsIdle(sqs, queues.resultsQueueUrl))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await poller.stop();
    const saved = await saveQueues(queues, paths.queues);
    if (saved > 0) log(`saved ${saved} queued message(s) for the next start`);
    await queues.server.stop();
    await db.close();
    await removeStackInfo(dataDir);
    await lock.release();
  };

  return {
    url,
    dynamodbEndpoint: db.endpoint,
    sqsEndpoint: queues.server.address,
    resultsQueueUrl: queues.resultsQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
};
