import { type ErrorCode, errors } from './vocabulary.js';

/**
 * The errors the gateway makes itself, before (or instead of) calling a function, keyed by API Gateway's
 * response type. The deployed stack's gateway responses (lib/constructs/gateway-responses.ts) and the
 * local gateway (local/gateway-errors.ts) both answer with these, so a client sees the same body from
 * either. Statuses come from the contract's `errors` table.
 */
const gatewayError = (code: ErrorCode, message: string) => ({ code, status: errors[code].status, message });

export const gatewayErrors = {
  UNAUTHORIZED: gatewayError('UNAUTHENTICATED', 'Missing, unknown or revoked credential'),
  // API Gateway answers an unknown path or method with MISSING_AUTHENTICATION_TOKEN (403): it is a 404 here.
  MISSING_AUTHENTICATION_TOKEN: gatewayError('NOT_FOUND', 'No such route'),
  RESOURCE_NOT_FOUND: gatewayError('NOT_FOUND', 'No such route'),
  ACCESS_DENIED: gatewayError('FORBIDDEN', 'This credential may not use this route'),
  // The authorizer names the usage plan of the caller's role; a missing plan is a refusal, not a crash.
  INVALID_API_KEY: gatewayError('FORBIDDEN', 'This credential may not use this route'),
  WAF_FILTERED: gatewayError('FORBIDDEN', 'The request was blocked'),
  THROTTLED: gatewayError('RATE_LIMITED', 'Too many requests; retry later'),
  QUOTA_EXCEEDED: gatewayError('RATE_LIMITED', 'Too many requests; retry later'),
  REQUEST_TOO_LARGE: gatewayError('PAYLOAD_TOO_LARGE', 'The request body is too large'),
  BAD_REQUEST_BODY: gatewayError('VALIDATION_FAILED', 'The request body is not valid'),
  BAD_REQUEST_PARAMETERS: gatewayError('VALIDATION_FAILED', 'The request parameters are not valid'),
  DEFAULT_4XX: gatewayError('VALIDATION_FAILED', 'The request is not valid'),
  DEFAULT_5XX: gatewayError('INTERNAL', 'Internal error'),
} as const;
export type GatewayResponseType = keyof typeof gatewayErrors;
