import type { HolderIdentity } from '../../contract/identity.js';
import type { ErrorDetail } from '../errors.js';

/** What POST /v1/verify's body may be, shared by its hand reader and its zod schemas. */

export const MAX_QR_LENGTH = 4096;

/**
 * Either form may name another mode of the checkpoint's jurisdiction (`"mode": "FREIGHT"`); without it,
 * the device's own mode applies.
 */
export type VerifyRequest =
  | { readonly kind: 'scan'; readonly qr: string; readonly mode?: string }
  | { readonly kind: 'manual'; readonly identity: HolderIdentity; readonly mode?: string };

export const MODE_MESSAGE = 'must be 2-30 of A-Z and _, e.g. ENTRY or FREIGHT';

export type VerifyRequestReading =
  | VerifyRequest
  | { readonly kind: 'invalid'; readonly details: ErrorDetail[] };

/** A body with a `qr` member is a scan; any other is a manual entry (errors name the fields meant). */
export const isScan = (body: unknown): body is { qr: unknown } =>
  typeof body === 'object' && body !== null && 'qr' in body;
