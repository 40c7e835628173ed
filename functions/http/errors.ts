import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorBody } from '../../contract/error-body.js';
import { ApiError, INTERNAL_MESSAGE } from '../errors.js';
import { logger } from '../observability.js';
import { toResult } from './reply.js';

/**
 * The one place where errors become HTTP. A 4xx ApiError is answered with its code and message; anything
 * else is logged in full and answered with a generic 500 that reveals nothing of the internals.
 */
export const errorResponses = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const { error } = request;
    if (error instanceof ApiError) {
      logger.info('request refused', { status: error.status, code: error.code });
      request.response = toResult({
        status: error.status,
        body: errorBody(error.code, error.message, error.details),
      });
      return;
    }
    logger.error('request failed', { error });
    request.response = toResult({ status: 500, body: errorBody('INTERNAL', INTERNAL_MESSAGE) });
  },
});
