import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { hashCredential, type Principal, type Registry } from './registry.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/**
 * Maps an `Authorization` header to its principal. Missing, malformed, unknown, rotated-away or revoked
 * credentials are UNAUTHENTICATED; a suspended lab is FORBIDDEN. The header is matched exactly as it
 * arrives (HTTP has already dropped the spaces and tabs around it): one credential has one header text, so
 * it has one entry in the gateway's authorizer cache, which the header keys. Trimming here let
 * `Bearer <credential>` followed by no-break spaces pass as a new text each time: an authorizer call and a
 * registry write per request, around the cache and ahead of the per-credential rate limit.
 */
export const authenticate = async (
  authorization: string | undefined,
  registry: Pick<Registry, 'principalByCredential'>,
): Promise<Principal> => {
  const credential = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (credential === undefined) throw new UnauthenticatedError();
  const hash = hashCredential(credential);
  const principal = await registry.principalByCredential(hash);
  if (!principal || principal.credentialHash !== hash || principal.status === 'REVOKED') {
    throw new UnauthenticatedError('The credential is unknown or has been revoked.');
  }
  if (principal.status === 'SUSPENDED') throw new ForbiddenError('This lab is suspended.');
  return principal;
};
