import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
  SQSEvent,
} from 'aws-lambda';
import { vi } from 'vitest';
import * as z from 'zod';
import type { GatewayResponseType } from '../../contract/gateway-errors.js';
import { type Route, routes } from '../../contract/routes.js';
import { makeRegistryTable } from '../../functions/adapters/registry-table.js';
import { makeRegistryCommands } from '../../functions/domain/registry.js';
import { routeArn } from '../../functions/http/policy.js';
import { projectRoot } from '../../lib/paths.js';
import { functions } from '../../lib/routes.js';
import { gatewayAnswer } from '../../local/gateway-errors.js';
import { allowedBy, compileRoutes, matchRoute } from '../../local/routing.js';
import { startTestEmulators, TEST_SIGNING_KEY_PEM } from '../support/emulators.js';
import { lambdaContext } from '../support/fixtures.js';
import { makeTempDir } from '../support/temp.js';
import type { Answer, Caller, Driver, Lab, Steps } from './steps.js';

type ApiFunction = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type AuthorizerFunction = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
type StoreFunction = (event: SQSEvent, context: Context) => Promise<{ batchItemFailures: unknown[] }>;

const handlerModule = z.object({ handler: z.custom<unknown>((value) => typeof value === 'function') });
const METHOD_ARN_BASE = 'arn:aws:execute-api:us-east-1:000000000000:local/local';
const STORE_TIMEOUT_MS = 20_000;

/** What the local gateway (local/gateway.ts) answers when it refuses a request before any handler. */
const gatewayError = (type: GatewayResponseType): Answer => {
  const { statusCode, body } = gatewayAnswer(type);
  return {
    status: statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.parse(body) as unknown,
  };
};

const compiledRoutes = compileRoutes(routes);
const routeFor = (method: Route['method'], path: string) => {
  const found = matchRoute(compiledRoutes, method, path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
};

export interface InProcessDriver extends Driver {
  /** The authorizer's raw answer for a credential on a route, for tests of the policy itself. */
  authorize(credential: string, method: Route['method'], path: string): Promise<APIGatewayAuthorizerResult>;
  /** The bodies of the messages waiting in the results queue, received and left there (in flight 1 s). */
  peekQueue(): Promise<string[]>;
}

/**
 * The story in one process: the handler modules (loaded by their entry files, as Lambda does) against
 * dynalite and fauxqs. Each request goes through what API Gateway does: the authorizer first (401 on
 * `Unauthorized`, 403 on a Deny or a route outside the policy), then the route's handler with the REST
 * event the local gateway builds (application/* bodies base64-encoded, the authorizer's context in
 * requestContext). Queued results reach the store handler as SQS events when a step waits for them.
 * No authorizer cache and no rate limits: those are the gateway's, and the HTTP driver meets them.
 */
export const startInProcessDriver = async (): Promise<InProcessDriver> => {
  const emulators = await startTestEmulators();
  const keyDir = await makeTempDir('story-keys');
  const signingKeyFile = join(keyDir, 'current.pem');
  await writeFile(signingKeyFile, TEST_SIGNING_KEY_PEM, { mode: 0o600 });
  emulators.applyEnv();
  process.env.SIGNING_KEY_FILE = signingKeyFile;
  const commands = makeRegistryCommands(makeRegistryTable(emulators.dynamo, emulators.names.registryTable));

  let loaded = new Map<string, Promise<unknown>>();
  /** A function's handler, imported once per "cold start" from its entry file (lib/routes.ts). */
  const handlerOf = async <T>(fn: keyof typeof functions): Promise<T> => {
    let module = loaded.get(fn);
    if (module === undefined) {
      module = import(pathToFileURL(join(projectRoot, functions[fn].entry)).href).then(
        (m: unknown) => handlerModule.parse(m).handler,
      );
      loaded.set(fn, module);
    }
    // The schema checked it is a function; its signature is the entry's contract (lib/routes.ts).
    return (await module) as T;
  };

  const authorize = async (credential: string, method: Route['method'], path: string) => {
    const { route, params } = routeFor(method, path);
    const authorizer = await handlerOf<AuthorizerFunction>('authorizeRequest');
    return authorizer({
      type: 'REQUEST',
      methodArn: routeArn(METHOD_ARN_BASE, method, path),
      resource: route.path,
      path,
      httpMethod: method,
      headers: { authorization: `Bearer ${credential}` },
      multiValueHeaders: {},
      pathParameters: params,
      queryStringParameters: {},
      multiValueQueryStringParameters: {},
      stageVariables: {},
      requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
    });
  };

  const call = async (method: Route['method'], path: string, caller: Caller, body?: unknown) => {
    const { route, params } = routeFor(method, path);
    const headers: Record<string, string> = {
      ...(caller.credential === undefined ? {} : { authorization: `Bearer ${caller.credential}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
    if (route.access !== 'public') {
      if (caller.credential === undefined) return gatewayError('UNAUTHORIZED');
      const policy = await authorize(caller.credential, method, path).catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Unauthorized') return undefined;
        throw error;
      });
      if (policy === undefined) return gatewayError('UNAUTHORIZED');
      if (!allowedBy(policy, routeArn(METHOD_ARN_BASE, method, path))) return gatewayError('ACCESS_DENIED');
      authorizer = { principalId: policy.principalId, ...policy.context };
    }
    const handler = await handlerOf<ApiFunction>(route.fn);
    const result = await handler(
      {
        resource: route.path,
        path,
        httpMethod: method,
        headers,
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: Object.keys(params).length > 0 ? params : null,
        stageVariables: null,
        // The REST API treats application/* as binary: such bodies reach the function base64-encoded.
        body: body === undefined ? null : Buffer.from(JSON.stringify(body)).toString('base64'),
        isBase64Encoded: body !== undefined,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          authorizer,
          httpMethod: method,
          path: `/local${path}`,
          stage: 'local',
          requestId: `story-${Date.now()}`,
          requestTimeEpoch: Date.now(),
          resourceId: route.fn,
          resourcePath: route.path,
        } as APIGatewayProxyEvent['requestContext'],
      },
      lambdaContext(),
    );
    const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
    return {
      status: result.statusCode,
      headers: Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
      ),
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };

  const receive = async () =>
    (
      await emulators.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: emulators.queues.resultsQueueUrl, MaxNumberOfMessages: 10 }),
      )
    ).Messages ?? [];

  /** One receive handed to the store handler; what it stored is deleted, as Lambda's event source does. */
  const storeOnce = async (): Promise<void> => {
    const messages = await receive();
    if (messages.length === 0) return;
    const store = await handlerOf<StoreFunction>('storeResults');
    const { batchItemFailures } = await store(
      {
        Records: messages.map((message) => ({
          messageId: message.MessageId ?? '',
          receiptHandle: message.ReceiptHandle ?? '',
          body: message.Body ?? '',
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Date.now()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: message.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:resultgate-results',
          awsRegion: 'us-east-1',
        })),
      },
      lambdaContext(),
    );
    const failed = new Set(
      batchItemFailures.map(
        (failure) => z.object({ itemIdentifier: z.string() }).parse(failure).itemIdentifier,
      ),
    );
    const done = messages.filter((message) => !failed.has(message.MessageId ?? ''));
    if (done.length === 0) return;
    await emulators.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: emulators.queues.resultsQueueUrl,
        Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
  };

  const steps: Steps = {
    aLab: async (lab = {}) => {
      const name = lab.name ?? 'Bệnh viện Bãi Cháy';
      const testTypes = lab.testTypes ?? ['RT_PCR', 'RAPID_ANTIGEN'];
      const issued = await commands.addLab({ name, province: 'Quảng Ninh', testTypes: [...testTypes] });
      return { ...issued, name, province: 'Quảng Ninh', testTypes };
    },
    aDevice: (name = 'Chốt Km 5') => commands.addDevice(name),
    anApp: (name = 'Bluezone') => commands.addApp(name),
    labSubmits: (lab, results) => call('POST', '/v1/results', lab, { results }),
    labChecks: (lab, sampleId) => call('GET', `/v1/results/${encodeURIComponent(sampleId)}`, lab),
    storedEventually: async (lab, sampleId, result) => {
      const deadline = Date.now() + STORE_TIMEOUT_MS;
      for (;;) {
        await storeOnce();
        const answer = await steps.labChecks(lab, sampleId);
        const body = z.object({ result: z.string() }).safeParse(answer.body);
        if (answer.status === 200 && (result === undefined || body.data?.result === result)) return answer;
        if (Date.now() > deadline) throw new Error(`${sampleId} was not stored in time`);
        // A message another step left in flight comes back after the queue's visibility timeout (1 s).
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    checkpointVerifies: (device, body) => call('POST', '/v1/verify', device, body),
    appIssuesPass: (app, identity) => call('POST', '/v1/passes', app, identity),
    operatorSuspendsLab: (lab: Lab) => commands.suspendLab(lab.id),
    operatorRevokesDevice: (device) => commands.revoke(device.id, 'checkpoint'),
    publicFacilities: () => call('GET', '/v1/facilities', {}),
    health: () => call('GET', '/v1/health', {}),
    restart: async () => {
      vi.resetModules();
      loaded = new Map();
    },
  };

  return {
    name: 'in-process',
    steps,
    authorize,
    peekQueue: async () => (await receive()).map((message) => message.Body ?? ''),
    stop: async () => {
      await emulators.stop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
};
