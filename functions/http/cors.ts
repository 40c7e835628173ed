import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * CORS for the checkpoint web app: an answer to a listed origin names that origin (and varies by it);
 * other origins get no CORS header, so browsers elsewhere cannot read the answers. API Gateway answers
 * the preflight itself; this covers the actual responses, errors included.
 */
export const cors = (
  allowedOrigins: readonly string[],
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const allowed = new Set(allowedOrigins);
  const addHeaders = async (request: {
    event: APIGatewayProxyEvent;
    response: APIGatewayProxyResult | null;
  }) => {
    const origin = request.event.headers?.origin ?? request.event.headers?.Origin;
    if (!request.response || origin === undefined || !allowed.has(origin)) return;
    request.response.headers = {
      ...request.response.headers,
      'Access-Control-Allow-Origin': origin,
      Vary: 'Origin',
    };
  };
  return { after: addHeaders, onError: addHeaders };
};

export const parseOrigins = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
