import { randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { type Clock, systemClock } from '../contract/clock.js';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../contract/limits.js';
import type { Route } from '../contract/routes.js';
import { routeArn } from '../functions/http/policy.js';
import { LOCAL_STAGE, type RoleLimits, stageCredentialLimits } from '../lib/credential-limits.js';
import { type AuthorizerAnswer, makeAuthorizerCache } from './authorizer-cache.js';
import { badRequest, gatewayAnswer, notHttpAnswer } from './gateway-errors.js';
import { lambdaContext } from './lambda-context.js';
import { allowedBy, compileRoutes, matchRoute } from './routing.js';
import { makeTokenBuckets } from './token-buckets.js';

export type ApiFunction = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
export type AuthorizerFunction = (
  event: APIGatewayRequestAuthorizerEvent,
) => Promise<APIGatewayAuthorizerResult>;

export interface GatewayOptions {
  readonly routes: readonly Route[];
  /** The handler of a route's function, loaded the way Lambda would load it. */
  readonly handlerOf: (route: Route) => Promise<ApiFunction>;
  readonly authorizer: () => Promise<AuthorizerFunction>;
  /** Static files served for paths outside /v1 (the checkpoint web app). */
  readonly staticDir?: string;
  readonly log?: (line: string) => void;
  /** 'off' lifts the per-credential limits (RESULTGATE_RATE_LIMITS=off); default 'on'. */
  readonly rateLimits?: 'on' | 'off';
  /** The per-credential limits by role: the local stage's (lib/credential-limits.ts) unless a test gives others. */
  readonly credentialLimits?: RoleLimits;
  /** Opens POST /_local/flush-authorizer-cache; without it that route does not exist. */
  readonly controlToken?: string;
  /** Time for the token buckets and the authorizer cache; tests inject it. */
  readonly clock?: Clock;
}

/** API Gateway's own limit is 10 MiB; the handlers enforce the contract's 1 MiB themselves. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const API_ID = 'local';
const STAGE = 'local';
const METHOD_ARN_BASE = `arn:aws:execute-api:us-east-1:000000000000:${API_ID}/${STAGE}`;

/** A request the gateway refuses before any route: 400 with a message that never echoes the input. */
class BadRequest extends Error {}

/** The client went away before its request's end: nobody to answer, and not the gateway's fault. */
class ClientGone extends Error {}

/**
 * The request target, read once: origin-form only (`/path?query`), no empty segment (`//`), and a path
 * that is valid percent-encoding. The query is read leniently, as API Gateway does.
 */
const parseTarget = (target: string): { path: string; query: Record<string, string> } => {
  if (!target.startsWith('/')) throw new BadRequest('The request target must be a path starting with /.');
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  if (path.includes('//')) throw new BadRequest('The request path has an empty segment (//).');
  try {
    decodeURIComponent(path);
  } catch {
    throw new BadRequest('The request path is not valid percent-encoding.');
  }
  const query = mark === -1 ? {} : Object.fromEntries(new URLSearchParams(target.slice(mark + 1)));
  return { path, query };
};

/** For the log line only: printable ASCII, bounded, so a client cannot forge or flood log lines. */
const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

/**
 * The whole body, or 'too large' past API Gateway's limit: the rest is then read and dropped, so the
 * client can finish sending and read the 413. A request that closes before its end is an error.
 */
const readBody = (req: IncomingMessage): Promise<Buffer | 'too large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer | string) => {
      if (tooLarge) return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.byteLength;
      if (size > GATEWAY_MAX_BODY) {
        tooLarge = true;
        chunks.length = 0;
        resolve('too large');
      } else chunks.push(buffer);
    });
    req.on('end', () => resolve(tooLarge ? 'too large' : Buffer.concat(chunks)));
    req.on('error', () => reject(new ClientGone('The request broke off.')));
    // After 'end' this changes nothing (the promise is settled); before it, the client went away.
    req.on('close', () => reject(new ClientGone('The request closed before its end.')));
  });

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
};

/** `urlPath` was checked to be valid percent-encoding by parseTarget. */
const serveStatic = async (dir: string, urlPath: string, res: ServerResponse): Promise<boolean> => {
  const relative = normalize(decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath)).replace(
    /^([/\\])+/,
    '',
  );
  const file = join(dir, relative);
  if (!file.startsWith(dir + sep)) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  });
  res.end(await readFile(file));
  return true;
};

/** The local stack's control route: flushes the authorizer cache (the admin CLI calls it after a revoke). */
export const FLUSH_AUTHORIZER_CACHE_PATH = '/_local/flush-authorizer-cache';
export const CONTROL_TOKEN_HEADER = 'x-local-control-token';

const tokenMatches = (given: string | string[] | undefined, token: string | undefined): boolean => {
  if (token === undefined || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
};

/**
 * The REST API declares `application/*` a binary media type (lib/constructs/api.ts), so API Gateway hands
 * such bodies to the function base64-encoded, byte for byte; other bodies arrive as UTF-8 text. Same here,
 * so a body that is not UTF-8 reaches the handler as it was sent and is refused there.
 */
const eventBody = (
  body: Buffer,
  contentType: string | undefined,
): Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> => {
  if (body.byteLength === 0) return { body: null, isBase64Encoded: false };
  return contentType?.trim().toLowerCase().startsWith('application/')
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: body.toString('utf8'), isBase64Encoded: false };
};

const NO_CONTENT: APIGatewayProxyResult = { statusCode: 204, body: '' };

/**
 * The local API Gateway: turns each HTTP request into the REST API event the deployed function receives,
 * and the result back into an HTTP response. As API Gateway does, it
 * - runs the authorizer for protected routes and caches its answer per `Authorization` header for
 *   AUTHORIZER_CACHE_TTL_SECONDS (Allow, Deny and 401 alike; see authorizer-cache.ts). A revoke takes
 *   effect at once only through `POST /_local/flush-authorizer-cache` with `X-Local-Control-Token` (the
 *   token is in stack.json; the admin CLI sends it); without the right token that route is a 404;
 * - then limits each principal to its role's token bucket (contract/limits.ts): over it, 429
 *   RATE_LIMITED with Retry-After. Public routes and refused requests are not counted.
 *   `rateLimits: 'off'` (RESULTGATE_RATE_LIMITS=off) lifts the limits for load tests and benches.
 * Nothing a client sends ends the process: a bad request target is 400, a handler failure 500.
 */
export const createGateway = (options: GatewayOptions): Server => {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  const routes = compileRoutes(options.routes);
  const cache = makeAuthorizerCache(clock, AUTHORIZER_CACHE_TTL_SECONDS);
  const buckets =
    options.rateLimits === 'off'
      ? undefined
      : makeTokenBuckets(clock, options.credentialLimits ?? stageCredentialLimits[LOCAL_STAGE]);

  const respond = (res: ServerResponse, result: APIGatewayProxyResult): void => {
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    try {
      const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body);
      res.writeHead(result.statusCode, {
        ...Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        'Content-Length': String(body.byteLength),
      });
      res.end(body);
    } catch (error) {
      // A handler's answer Node cannot send (a bad header name or value, say): its fault, so a 500.
      log(`gateway error: cannot send the answer (${error instanceof Error ? error.name : 'unknown'})`);
      if (res.headersSent) res.destroy();
      else respond(res, gatewayAnswer('DEFAULT_5XX'));
    }
  };

  const authorize = async (
    authorization: string,
    event: APIGatewayRequestAuthorizerEvent,
  ): Promise<AuthorizerAnswer> => {
    const cached = cache.get(authorization);
    if (cached !== undefined) return cached;
    const askedAt = cache.generation;
    const authorizer = await options.authorizer();
    const answer = await authorizer(event).catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Unauthorized') return 'unauthorized' as const;
      throw error;
    });
    // Not kept if a flush (a revoke, say) came while the authorizer was answering: see authorizer-cache.ts.
    cache.set(authorization, answer, askedAt);
    return answer;
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: Record<string, string>,
  ): Promise<APIGatewayProxyResult | undefined> => {
    const method = req.method ?? 'GET';
    if (path === FLUSH_AUTHORIZER_CACHE_PATH) {
      if (method !== 'POST' || !tokenMatches(req.headers[CONTROL_TOKEN_HEADER], options.controlToken)) {
        return gatewayAnswer('MISSING_AUTHENTICATION_TOKEN');
      }
      cache.flush();
      log('authorizer cache flushed');
      return NO_CONTENT;
    }
    const found = matchRoute(routes, method, path);
    if (!found) {
      if (method === 'GET' && !path.startsWith('/v1/') && options.staticDir) {
        if (await serveStatic(options.staticDir, path, res)) return undefined;
      }
      return gatewayAnswer('MISSING_AUTHENTICATION_TOKEN');
    }
    const { route, params } = found;
    const body = await readBody(req);
    if (body === 'too large') return gatewayAnswer('REQUEST_TOO_LARGE');

    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
      ),
    );
    const requestId = randomUUID();
    const methodArn = routeArn(METHOD_ARN_BASE, method, path);

    let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
    if (route.access !== 'public') {
      const authorization = headers.authorization;
      if (authorization === undefined) return gatewayAnswer('UNAUTHORIZED');
      const policy = await authorize(authorization, {
        type: 'REQUEST',
        methodArn,
        resource: route.path,
        path,
        httpMethod: method,
        headers,
        multiValueHeaders: {},
        pathParameters: params,
        queryStringParameters: query,
        multiValueQueryStringParameters: {},
        stageVariables: {},
        requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
      });
      if (policy === 'unauthorized') return gatewayAnswer('UNAUTHORIZED');
      if (!allowedBy(policy, methodArn)) return gatewayAnswer('ACCESS_DENIED');
      const taken = buckets?.take(policy.principalId, policy.context?.role?.toString());
      if (taken !== undefined && !taken.allowed) {
        const limited = gatewayAnswer('THROTTLED');
        return {
          ...limited,
          headers: { ...limited.headers, 'Retry-After': String(taken.retryAfterSeconds) },
        };
      }
      authorizer = { principalId: policy.principalId, ...policy.context };
    }

    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders: {},
      queryStringParameters: Object.keys(query).length > 0 ? query : null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(params).length > 0 ? params : null,
      stageVariables: null,
      ...eventBody(body, headers['content-type']),
      requestContext: {
        accountId: '000000000000',
        apiId: API_ID,
        authorizer,
        protocol: 'HTTP/1.1',
        httpMethod: method,
        identity: {
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? null,
        } as APIGatewayProxyEvent['requestContext']['identity'],
        path: `/${STAGE}${path}`,
        stage: STAGE,
        requestId,
        requestTimeEpoch: clock.now().getTime(),
        resourceId: route.fn,
        resourcePath: route.path,
      },
    };
    const fn = await options.handlerOf(route);
    return fn(event, lambdaContext(route.fn));
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    let logPath = '-';
    // An aborted request or a reset socket is the client's business; it must not reach the process.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const answer = async (): Promise<APIGatewayProxyResult | undefined> => {
      const { path, query } = parseTarget(req.url ?? '/');
      logPath = printable(path);
      return handle(req, res, path, query);
    };
    answer()
      .catch((error: unknown) => {
        if (error instanceof BadRequest) return badRequest(error.message);
        if (error instanceof ClientGone) return undefined;
        log(`gateway error: ${error instanceof Error ? error.name : 'unknown'}`);
        return gatewayAnswer('DEFAULT_5XX');
      })
      .then((result) => {
        if (result) respond(res, result);
        // A request answered by no one (its client hung up) is logged as such, not with Node's default 200.
        const status = res.headersSent ? String(res.statusCode) : 'no answer (client gone)';
        log(`${printable(req.method ?? '-')} ${logPath} ${status} ${Date.now() - started}ms`);
      })
      .catch(() => undefined);
  });
  // Requests Node cannot parse never reach the handler: answer 400 in the contract's shape and close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(notHttpAnswer());
  });
  return server;
};
