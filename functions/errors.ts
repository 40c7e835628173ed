/**
 * The errors the API can answer with. Each carries its contract code and HTTP status; they are turned
 * into HTTP responses in exactly one place (functions/http/errors.ts). Messages of 4xx errors are shown
 * to the caller, so they never contain personal data; anything else becomes a generic 500.
 */

import type { ErrorDetail } from '../contract/error-body.js';
import { type ErrorCode, errors } from '../contract/vocabulary.js';

export type { ErrorDetail } from '../contract/error-body.js';
export type { ErrorCode } from '../contract/vocabulary.js';

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
  readonly status = errors.MALFORMED_JSON.status;
  readonly code = 'MALFORMED_JSON';
  constructor(message: string = errors.MALFORMED_JSON.message) {
    super(message);
  }
}

export class ValidationFailedError extends ApiError {
  override readonly name = 'ValidationFailedError';
  readonly status = errors.VALIDATION_FAILED.status;
  readonly code = 'VALIDATION_FAILED';
}

export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  readonly status = errors.UNAUTHENTICATED.status;
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string = errors.UNAUTHENTICATED.message) {
    super(message);
  }
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  readonly status = errors.FORBIDDEN.status;
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = errors.NOT_FOUND.status;
  readonly code = 'NOT_FOUND';
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = errors.PAYLOAD_TOO_LARGE.status;
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(message: string = errors.PAYLOAD_TOO_LARGE.message) {
    super(message);
  }
}

export const INTERNAL_MESSAGE = errors.INTERNAL.message;
