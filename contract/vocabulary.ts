/**
 * The contract's words, in one place for the functions, the CDK app, the local stack, the CLIs, the
 * checkpoint page and the tests. Dependency-free: no AWS, Node or DOM imports.
 */

export const roles = ['lab', 'checkpoint', 'app'] as const;
export type Role = (typeof roles)[number];
export const isRole = (value: unknown): value is Role => (roles as readonly unknown[]).includes(value);

export const idTypes = ['CCCD', 'CMND', 'PASSPORT'] as const;
export type IdType = (typeof idTypes)[number];

export const testTypes = ['RT_PCR', 'RAPID_ANTIGEN'] as const;
export type TestType = (typeof testTypes)[number];
export const isTestType = (value: unknown): value is TestType =>
  (testTypes as readonly unknown[]).includes(value);

/** A test's result (`result` in a lab's submission). */
export const outcomes = ['NEGATIVE', 'POSITIVE', 'INVALID'] as const;
export type Outcome = (typeof outcomes)[number];
export const isOutcome = (value: unknown): value is Outcome =>
  (outcomes as readonly unknown[]).includes(value);

export const verdicts = ['VALID', 'NOT_VALID'] as const;
export type Verdict = (typeof verdicts)[number];

/** Why a holder is NOT_VALID: no record, positive, expired or a wrong birth date look the same. */
export const notValidReasons = ['NO_VALID_RESULT', 'PASS_INVALID'] as const;
export type NotValidReason = (typeof notValidReasons)[number];

/** Every error code of the contract, with its HTTP status and the message a layer uses by default. */
export const errors = {
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  UNAUTHENTICATED: {
    status: 401,
    message: 'A valid credential is required: Authorization: Bearer <credential>.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'This credential may not use this route (wrong role, or a suspended lab).',
  },
  NOT_FOUND: { status: 404, message: 'There is no such route.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than 1 MiB.' },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests from this credential; retry after Retry-After seconds.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. The request can be retried safely.' },
} as const satisfies Record<string, { status: number; message: string }>;
export type ErrorCode = keyof typeof errors;
/** The codes in the table's order (the order the OpenAPI document lists them in). */
export const errorCodes = Object.keys(errors) as [ErrorCode, ...ErrorCode[]];

/** The service name every log line and metric carries, and the metrics namespace. */
export const SERVICE = 'resultgate';
export const METRICS_NAMESPACE = 'ResultGate';
