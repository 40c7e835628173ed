import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { type Role, roles } from '../../lib/routes.js';
import { ForbiddenError, MalformedJsonError, PayloadTooLargeError } from '../errors.js';
import { testTypes } from '../schemas/common.js';

export const MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as JSON: 413 over 1 MiB, MALFORMED_JSON when it is not JSON. */
export const readJsonBody = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  if (raw.byteLength === 0)
    throw new MalformedJsonError('The request body is empty; a JSON object is expected.');
  try {
    // Fatal decoding: bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    return JSON.parse(utf8.decode(raw)) as unknown;
  } catch {
    throw new MalformedJsonError();
  }
};

/**
 * The principal the authorizer put in the request context. Authorizer context values are strings, so
 * a lab's test types travel as a comma-separated list.
 */
const callerSchema = z.object({
  principalId: z.string().check(z.minLength(1)),
  role: z.enum(roles),
  name: z._default(z.string(), ''),
  testTypes: z.pipe(
    z.pipe(
      z._default(z.string(), ''),
      z.transform((value: string) => value.split(',').filter((t) => t !== '')),
    ),
    z.array(z.enum(testTypes)),
  ),
});

export type Caller = z.infer<typeof callerSchema>;

/** The caller, who must have `role`. The gateway enforces roles already; this is defence in depth. */
export const callerOf = (event: Pick<APIGatewayProxyEvent, 'requestContext'>, role: Role): Caller => {
  const parsed = callerSchema.safeParse(event.requestContext.authorizer ?? {});
  if (!parsed.success || parsed.data.role !== role)
    throw new ForbiddenError(`This route is for the ${role} role.`);
  return parsed.data;
};
