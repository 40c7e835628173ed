import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability.js';

export interface LambdaHandlerOptions {
  /** Functions that count something flush their metrics after each invocation; the others would only log "no metrics". */
  readonly metrics?: boolean;
}

/**
 * The middleware every function starts from: the Lambda context in its logs and, where it counts
 * something, metrics flushed after each invocation (errors included). API routes add CORS and the error
 * mapping on top (http/api-handler.ts); the other triggers use it as it is.
 */
export const lambdaHandler = <TEvent, TResult>(options: LambdaHandlerOptions = {}) => {
  const handler = middy<TEvent, TResult, Error, Context>().use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  if (options.metrics) handler.use(logMetrics(metrics));
  return handler;
};
