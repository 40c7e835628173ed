import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { loadConfig } from '../config.js';
import { type LambdaHandlerOptions, lambdaHandler } from '../lambda-handler.js';
import { cors, parseOrigins } from './cors.js';
import { errorResponses } from './errors.js';
import { type Reply, toResult } from './reply.js';

export type { Reply } from './reply.js';

const allowedOrigins = parseOrigins(loadConfig(['CORS_ALLOWED_ORIGINS']).CORS_ALLOWED_ORIGINS);

/**
 * An API route: the house middleware (lambda-handler.ts), CORS headers for the web app's origin, and every
 * thrown error turned into the contract's error shape (registered last, so it sees every error). The
 * route's function only reads the event, calls the domain and returns a Reply.
 */
export const apiHandler = (
  fn: (event: APIGatewayProxyEvent) => Promise<Reply>,
  options: LambdaHandlerOptions = {},
) =>
  // CORS before the error handler: onError runs in reverse order, so errors get their headers too.
  lambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>(options)
    .use(cors(allowedOrigins))
    .use(errorResponses())
    .handler(async (event) => toResult(await fn(event)));
