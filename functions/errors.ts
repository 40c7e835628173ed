/**
 * The errors the API can answer with. Each carries its contract code, and so its HTTP status; they are
 * turned into HTTP responses in exactly one place (functions/http/errors.ts). Messages of 4xx errors are
 * shown to the caller, so they never contain personal data; anything else becomes a generic 500.
 */

import type { ErrorDetail } from '../contract/error-body.js';
import { type ErrorCode, errors } from '../contract/vocabulary.js';

export type { ErrorDetail } from '../contract/error-body.js';
export type { ErrorCode } from '../contract/vocabulary.js';

export abstract class ApiError extends Error {
  abstract readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(message);
    this.details = details;
  }

  /** The contract's status of the code: one table (contract/vocabulary.ts) for every layer. */
  get status(): number {
    return errors[this.code].status;
  }
}

export class MalformedJsonError extends ApiError {
  override readonly name = 'MalformedJsonError';
  readonly code = 'MALFORMED_JSON';
  constructor(message: string = errors.MALFORMED_JSON.message) {
    super(message);
  }
}

export class ValidationFailedError extends ApiError {
  override readonly name = 'ValidationFailedError';
  readonly code = 'VALIDATION_FAILED';
}

export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string = errors.UNAUTHENTICATED.message) {
    super(message);
  }
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(message: string = errors.PAYLOAD_TOO_LARGE.message) {
    super(message);
  }
}

export const INTERNAL_MESSAGE = errors.INTERNAL.message;
