import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger, metrics } from '../observability.js';
import { errorResponses } from './errors.js';
import { type Reply, toResult } from './reply.js';

export type { Reply } from './reply.js';

export interface ApiHandlerOptions {
  /** Routes that add metrics flush them after each invocation; the others would only log "no metrics". */
  readonly metrics?: boolean;
}

/**
 * Wraps an API route's function in the standard middleware: Lambda context in the logs, metrics flushed
 * after each invocation, and every thrown error turned into the contract's error shape (registered last,
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
  return handler.use(errorResponses()).handler(async (event) => toResult(await fn(event)));
};
