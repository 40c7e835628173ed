import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DEFAULT_MODE, isJurisdiction, isMode, NATIONAL } from '../../contract/rules.js';
import { isTestType, type Role } from '../../contract/vocabulary.js';
import { ForbiddenError, MalformedJsonError, PayloadTooLargeError } from '../errors.js';
import type { TestType } from '../schemas/common.js';
import { hasDuplicateKey } from './json.js';

export const MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as JSON: 413 over 1 MiB; MALFORMED_JSON when it is not JSON, not UTF-8, or names a key
 * twice in one object. The gateways hand `application/*` bodies over base64-encoded (binary media types),
 * so their bytes are the client's own and invalid UTF-8 cannot be hidden by a lossy conversion.
 */
export const readJsonBody = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  if (raw.byteLength === 0)
    throw new MalformedJsonError('The request body is empty; a JSON object is expected.');
  let text: string;
  let parsed: unknown;
  // A body that arrives as text went through a UTF-8 conversion on the way, which turns bytes that are
  // not UTF-8 into U+FFFD: the replacement character is never real data, so it marks a broken body.
  if (!event.isBase64Encoded && event.body?.includes('\uFFFD')) throw new MalformedJsonError();
  try {
    // Fatal decoding: bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    text = utf8.decode(raw);
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedJsonError();
  }
  if (hasDuplicateKey(text)) {
    throw new MalformedJsonError('The request body names the same key twice in one object.');
  }
  return parsed;
};

export interface Caller {
  readonly principalId: string;
  readonly role: Role;
  readonly name: string;
  /** A lab's registered test types; empty for other roles. */
  readonly testTypes: TestType[];
  /**
   * A checkpoint device's province and default mode (contract/rules.ts); `VN` and `ENTRY` for a device
   * registered before rule sets, and for other roles.
   */
  readonly jurisdiction: string;
  readonly mode: string;
}

/**
 * The principal the authorizer put in the request context (functions/handlers/authorize-request.ts), or
 * undefined when it is not one. Context values are strings, so a lab's test types travel as a
 * comma-separated list.
 */
const readCaller = (context: Record<string, unknown>, role: Role): Caller | undefined => {
  const { principalId, name = '', testTypes: listed = '' } = context;
  const { jurisdiction = NATIONAL, mode = DEFAULT_MODE } = context;
  if (typeof principalId !== 'string' || principalId === '' || context.role !== role) return undefined;
  if (typeof name !== 'string' || typeof listed !== 'string') return undefined;
  if (!isJurisdiction(jurisdiction) || !isMode(mode)) return undefined;
  const types = listed.split(',').filter((type) => type !== '');
  if (!types.every(isTestType)) return undefined;
  return { principalId, role, name, testTypes: types, jurisdiction, mode };
};

/** The caller, who must have `role`. The gateway enforces roles already; this is defence in depth. */
export const callerOf = (event: Pick<APIGatewayProxyEvent, 'requestContext'>, role: Role): Caller => {
  const caller = readCaller(event.requestContext.authorizer ?? {}, role);
  if (!caller) throw new ForbiddenError(`This route is for the ${role} role.`);
  return caller;
};
