import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { loadConfig } from '../config.js';
import { logger, metrics } from '../observability.js';
import { cors, parseOrigins } from './cors.js';
import { errorResponses } from './errors.js';
import { type Reply, toResult } from './reply.js';

export type { Reply } from './reply.js';

const allowedOrigins = parseOrigins(loadConfig(['CORS_ALLOWED_ORIGINS']).CORS_ALLOWED_ORIGINS);

export interface ApiHandlerOptions {
  /** Routes that add metrics flush them after each invocation; the others would only log "no metrics". */
  readonly metrics?: boolean;
}

/**
 * Wraps an API route's function in the standard middleware: Lambda context in the logs, metrics flushed
 * after each invocation, CORS headers for the web app's origin, and every thrown error turned into the contract's error shape (registered last,
 * so it sees errors from everything before it).
 */
export const apiHandler = (
  fn: (event: APIGatewayProxyEvent) => Promise<Reply>,
  options: ApiHandlerOptions = {},
) => {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  if (options.metrics) handler.use(logMetrics(metrics));
  // CORS before the error handler: onError runs in reverse order, so errors get their headers too.
  return handler
    .use(cors(allowedOrigins))
    .use(errorResponses())
    .handler(async (event) => toResult(await fn(event)));
};
