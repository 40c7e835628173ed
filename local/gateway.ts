import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { type ErrorCode, errorBody, INTERNAL_MESSAGE } from '../functions/errors.js';
import { routeArn } from '../functions/http/policy.js';
import { JSON_CONTENT_TYPE } from '../functions/http/reply.js';
import type { Route } from '../lib/routes.js';
import { lambdaContext } from './lambda-context.js';

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
}

/** API Gateway's own limit is 10 MiB; the handlers enforce the contract's 1 MiB themselves. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const API_ID = 'local';
const STAGE = 'local';
const METHOD_ARN_BASE = `arn:aws:execute-api:us-east-1:000000000000:${API_ID}/${STAGE}`;

const GATEWAY_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'A valid credential is required: Authorization: Bearer <credential>.',
  FORBIDDEN: 'This credential may not use this route (wrong role, or a suspended lab).',
  NOT_FOUND: 'There is no such route.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the gateway accepts.',
};

const STATUS: Record<ErrorCode, number> = {
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

/** A gateway-made error, in the same shape as the deployed stack's gateway responses. */
const gatewayError = (code: ErrorCode): APIGatewayProxyResult => ({
  statusCode: STATUS[code],
  headers: { 'Content-Type': JSON_CONTENT_TYPE },
  body: JSON.stringify(errorBody(code, GATEWAY_MESSAGES[code] ?? INTERNAL_MESSAGE)),
});

const matchRoute = (routes: readonly Route[], method: string, path: string) => {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (match) {
      const params = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return { route, params };
    }
  }
  return undefined;
};

/** IAM-style matching of a policy resource against a method ARN (`*` matches anything). */
const resourceMatches = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(arn);

const allowedBy = (policy: APIGatewayAuthorizerResult, arn: string): boolean => {
  const matching = policy.policyDocument.Statement.filter((statement) => {
    const resource = 'Resource' in statement ? statement.Resource : undefined;
    const resources = resource === undefined ? [] : Array.isArray(resource) ? resource : [resource];
    return resources.some((r) => resourceMatches(String(r), arn));
  });
  return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
};

const readBody = async (req: IncomingMessage): Promise<Buffer | 'too large'> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > GATEWAY_MAX_BODY) return 'too large';
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

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

/**
 * The local API Gateway: turns each HTTP request into the REST API event the deployed function receives,
 * runs the same authorizer first for protected routes (no caching, so a revoked credential stops at
 * once), and turns the result back into an HTTP response.
 */
export const createGateway = (options: GatewayOptions): Server => {
  const log = options.log ?? (() => undefined);

  const respond = (res: ServerResponse, result: APIGatewayProxyResult): void => {
    res.writeHead(
      result.statusCode,
      Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)])),
    );
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<APIGatewayProxyResult | undefined> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const found = matchRoute(options.routes, method, url.pathname);
    if (!found) {
      if (method === 'GET' && !url.pathname.startsWith('/v1/') && options.staticDir) {
        if (await serveStatic(options.staticDir, url.pathname, res)) return undefined;
      }
      return gatewayError('NOT_FOUND');
    }
    const { route, params } = found;
    const body = await readBody(req);
    if (body === 'too large') return gatewayError('PAYLOAD_TOO_LARGE');

    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
      ),
    );
    const query = Object.fromEntries(url.searchParams);
    const requestId = randomUUID();
    const methodArn = routeArn(METHOD_ARN_BASE, method, url.pathname);

    let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
    if (route.access !== 'public') {
      if (headers.authorization === undefined) return gatewayError('UNAUTHENTICATED');
      const authorize = await options.authorizer();
      const policy = await authorize({
        type: 'REQUEST',
        methodArn,
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders: {},
        pathParameters: params,
        queryStringParameters: query,
        multiValueQueryStringParameters: {},
        stageVariables: {},
        requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
      }).catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Unauthorized') return 'unauthorized' as const;
        throw error;
      });
      if (policy === 'unauthorized') return gatewayError('UNAUTHENTICATED');
      if (!allowedBy(policy, methodArn)) return gatewayError('FORBIDDEN');
      authorizer = { principalId: policy.principalId, ...policy.context };
    }

    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders: {},
      queryStringParameters: Object.keys(query).length > 0 ? query : null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(params).length > 0 ? params : null,
      stageVariables: null,
      body: body.byteLength > 0 ? body.toString('utf8') : null,
      isBase64Encoded: false,
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
        path: `/${STAGE}${url.pathname}`,
        stage: STAGE,
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: route.fn,
        resourcePath: route.path,
      },
    };
    const fn = await options.handlerOf(route);
    return fn(event, lambdaContext(route.fn));
  };

  return createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch((error: unknown) => {
        log(`gateway error: ${error instanceof Error ? error.name : 'unknown'}`);
        return gatewayError('INTERNAL');
      })
      .then((result) => {
        if (result) respond(res, result);
        log(
          `${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname} ${res.statusCode} ${Date.now() - started}ms`,
        );
      });
  });
};
