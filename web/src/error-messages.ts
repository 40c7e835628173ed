/**
 * What the officer reads when the API says no: every contract error code (and field path) mapped to a
 * message in the page's own words. The server's English `message`s are never shown.
 */
import type { ErrorCode } from '../../contract/vocabulary.js';
import type { ApiOutcome } from './api.js';
import type { MessageKey } from './i18n.js';

export interface Message {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

export type ApiProblem = Exclude<ApiOutcome<unknown>, { kind: 'ok' }>;

const codeMessages: Readonly<Record<ErrorCode, MessageKey>> = {
  MALFORMED_JSON: 'errMalformed',
  VALIDATION_FAILED: 'errInvalidRequest',
  UNAUTHENTICATED: 'errUnauthorized',
  FORBIDDEN: 'errForbidden',
  NOT_FOUND: 'errNotFound',
  PAYLOAD_TOO_LARGE: 'errTooLarge',
  RATE_LIMITED: 'errRateLimitedSoon',
  INTERNAL: 'errServer',
};

/** VALIDATION_FAILED on POST /v1/verify names one of these members in `details[].path`. */
const fieldMessages: Readonly<Record<string, MessageKey>> = {
  idType: 'errInvalidIdType',
  idNumber: 'errInvalidIdNumber',
  dateOfBirth: 'errInvalidDob',
  qr: 'errInvalidQr',
};

/** Object.hasOwn is newer than the browsers the page supports (Safari 14). */
const hasOwn = (record: object, key: string): boolean => Object.hasOwn(record, key);

const isErrorCode = (code: string | undefined): code is ErrorCode =>
  code !== undefined && hasOwn(codeMessages, code);

/** The message for a refused request; a code outside the contract reads as "not accepted". */
export function problemMessage(problem: ApiProblem): Message {
  switch (problem.kind) {
    case 'unauthenticated':
      return { key: 'errUnauthorized' };
    case 'forbidden':
      return { key: 'errForbidden' };
    case 'rateLimited':
      return problem.retryAfterSeconds === undefined
        ? { key: 'errRateLimitedSoon' }
        : { key: 'errRateLimited', params: { seconds: problem.retryAfterSeconds } };
    case 'unreachable':
      return { key: 'errNetwork' };
    case 'serverError':
      return { key: 'errServer' };
    case 'rejected': {
      if (problem.code === 'VALIDATION_FAILED') {
        const field = problem.fields.find((path) => hasOwn(fieldMessages, path));
        const key = field === undefined ? undefined : fieldMessages[field];
        if (key) return { key };
      }
      return { key: isErrorCode(problem.code) ? codeMessages[problem.code] : 'errInvalidRequest' };
    }
  }
}
