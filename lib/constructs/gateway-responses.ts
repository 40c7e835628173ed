import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { errorBody } from '../../contract/error-body.js';
import { gatewayErrors } from '../../contract/gateway-errors.js';
import { credentialLimits } from '../../contract/limits.js';
import type { ErrorCode } from '../../contract/vocabulary.js';

/**
 * `Retry-After` of a throttled (429) answer. A gateway response is a static template and cannot compute
 * the wait, so it carries the slowest role's refill time: one request of the checkpoint budget
 * (0.2/s) comes back after ceil(1 / 0.2) = 5 s; faster roles are told to wait a little longer than needed.
 */
export const retryAfterSeconds = Math.ceil(
  1 / Math.min(...Object.values(credentialLimits).map((limit) => limit.ratePerSecond)),
);

/** The contract's error body as a JSON string: the template of a gateway response or a WAF answer. */
export const errorBodyJson = (code: ErrorCode, message: string): string =>
  JSON.stringify(errorBody(code, message));

/**
 * Maps every response API Gateway makes before (or instead of) calling a function onto the contract
 * (contract/gateway-errors.ts). `corsOrigin`: the web app must be able to read these errors too.
 */
export const addGatewayResponses = (api: RestApi, corsOrigin: string | undefined): void => {
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
