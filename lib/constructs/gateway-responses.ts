import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { errorBody } from '../../contract/error-body.js';
import { gatewayErrors } from '../../contract/gateway-errors.js';
import type { ErrorCode } from '../../contract/vocabulary.js';
import { type RoleLimits, retryAfterSecondsFor } from '../credential-limits.js';

/** The contract's error body as a JSON string: the template of a gateway response or a WAF answer. */
export const errorBodyJson = (code: ErrorCode, message: string): string =>
  JSON.stringify(errorBody(code, message));

/**
 * Maps every response API Gateway makes before (or instead of) calling a function onto the contract
 * (contract/gateway-errors.ts). `corsOrigin`: the web app must be able to read these errors too.
 */
export const addGatewayResponses = (
  api: RestApi,
  corsOrigin: string | undefined,
  limits: RoleLimits,
): void => {
  const retryAfterSeconds = retryAfterSecondsFor(limits);
  for (const [type, error] of Object.entries(gatewayErrors)) {
    api.addGatewayResponse(`Gateway${type}`, {
      type: ResponseType.of(type),
      statusCode: String(error.status),
      templates: { 'application/json': errorBodyJson(error.code, error.message) },
      responseHeaders: {
        ...(corsOrigin === undefined ? {} : { 'Access-Control-Allow-Origin': `'${corsOrigin}'` }),
        ...(type === 'THROTTLED' ? { 'Retry-After': `'${retryAfterSeconds}'` } : {}),
      },
    });
  }
};
