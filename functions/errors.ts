/**
 * The errors the API can answer with. Each carries its contract code and HTTP status; they are turned
 * into HTTP responses in exactly one place (functions/http/errors.ts). Messages of 4xx errors are shown
 * to the caller, so they never contain personal data; anything else becomes a generic 500.
 */

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export type ErrorCode =
  | 'MALFORMED_JSON'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(message);
    this.details = details;
  }
}

export class MalformedJsonError extends ApiError {
  override readonly name = 'MalformedJsonError';
  readonly status = 400;
  readonly code = 'MALFORMED_JSON';
  constructor(message = 'The request body is not valid JSON.') {
    super(message);
  }
}

export class ValidationFailedError extends ApiError {
  override readonly name = 'ValidationFailedError';
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';
}

export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'A valid credential is required: Authorization: Bearer <credential>.') {
    super(message);
  }
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(message = 'The request body is larger than 1 MiB.') {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

export const errorBody = (code: ErrorCode, message: string, details?: readonly ErrorDetail[]): ErrorBody => ({
  error: { code, message, ...(details && details.length > 0 ? { details: [...details] } : {}) },
});

export const INTERNAL_MESSAGE = 'Something went wrong on our side. The request can be retried safely.';
