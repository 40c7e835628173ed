import type { ErrorCode } from './vocabulary.js';

/** One field's problem: `path` like `results[1].citizen.idNumber`. Never carries personal data. */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** The contract's error shape, answered by every layer (functions, API Gateway, the local gateway). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** `details` only when there are some: an empty list is left out. */
export const errorBody = (code: ErrorCode, message: string, details?: readonly ErrorDetail[]): ErrorBody => ({
  error: { code, message, ...(details && details.length > 0 ? { details: [...details] } : {}) },
});
