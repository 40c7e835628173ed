import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext as localLambdaContext } from '../local/lambda-context.js';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** An API Gateway REST proxy event as the deployed gateway (and the local one) hands it to a handler. */
export const apiEvent = (
  method: 'GET' | 'POST',
  resource: string,
  body: unknown,
  authorizer: Record<string, string> | undefined,
): APIGatewayProxyEvent => ({
  resource,
  path: resource,
  httpMethod: method,
  headers: { 'content-type': 'application/json' },
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  isBase64Encoded: false,
  body: body === undefined ? null : JSON.stringify(body),
  requestContext: {
    accountId: '111122223333',
    apiId: 'bench',
    authorizer: authorizer ?? null,
    protocol: 'HTTP/1.1',
    httpMethod: method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '127.0.0.1',
      user: null,
      userAgent: 'bench',
      userArn: null,
    },
    path: resource,
    stage: 'bench',
    requestId: 'bench',
    requestTimeEpoch: 0,
    resourceId: 'bench',
    resourcePath: resource,
  },
});

/**
 * A fresh context per invocation, as Lambda gives one: its deadline starts with the invocation. (One context
 * shared by the whole run would reach its deadline five seconds in, and middy would time every later
 * request out.)
 */
export const lambdaContext = (): Context => localLambdaContext('bench', 5_000);
