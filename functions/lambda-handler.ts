import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Logger, logger, type Metrics, metrics } from './observability.js';

export interface LambdaHandlerOptions {
  /** Functions that count something publish their metrics after each invocation (observability.ts). */
  readonly metrics?: boolean;
}

/** Gives the logger the invocation being served, so each line names it (function, request id, cold start). */
export const logInvocation = <TEvent, TResult>(
  log: Logger,
): middy.MiddlewareObj<TEvent, TResult, Error, Context> => ({
  before: (request) => log.addContext(request.context),
});

/** Publishes what an invocation counted once it has answered or failed (after the error mapping, if any). */
export const publishMetrics = <TEvent, TResult>(
  registry: Metrics,
): middy.MiddlewareObj<TEvent, TResult, Error, Context> => {
  const publish = () => registry.publishStoredMetrics();
  return { after: publish, onError: publish };
};

/**
 * The middleware every function starts from: the Lambda context in its logs and, where it counts
 * something, metrics flushed after each invocation (errors included). API routes add CORS and the error
 * mapping on top (http/api-handler.ts); the other triggers use it as it is.
 */
export const lambdaHandler = <TEvent, TResult>(options: LambdaHandlerOptions = {}) => {
  const handler = middy<TEvent, TResult, Error, Context>().use(logInvocation(logger));
  if (options.metrics) handler.use(publishMetrics(metrics));
  return handler;
};
