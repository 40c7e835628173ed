import type { HolderIdentity } from '../../contract/identity.js';
import type { ErrorDetail } from '../errors.js';

/** What POST /v1/verify's body may be, shared by its hand reader and its zod schemas. */

export const MAX_QR_LENGTH = 4096;

export type VerifyRequest =
  | { readonly kind: 'scan'; readonly qr: string }
  | { readonly kind: 'manual'; readonly identity: HolderIdentity };

export type VerifyRequestReading =
  | VerifyRequest
  | { readonly kind: 'invalid'; readonly details: ErrorDetail[] };

/** A body with a `qr` member is a scan; any other is a manual entry (errors name the fields meant). */
export const isScan = (body: unknown): body is { qr: unknown } =>
  typeof body === 'object' && body !== null && 'qr' in body;
