import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { hashCredential, type Principal, type Registry } from './registry.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/**
 * Maps an `Authorization` header to its principal. Missing, malformed, unknown, rotated-away or revoked
 * credentials are UNAUTHENTICATED; a suspended lab is FORBIDDEN.
 */
export const authenticate = async (
  authorization: string | undefined,
  registry: Pick<Registry, 'principalByCredential'>,
): Promise<Principal> => {
  const credential = authorization === undefined ? undefined : BEARER.exec(authorization.trim())?.[1];
  if (credential === undefined) throw new UnauthenticatedError();
  const hash = hashCredential(credential);
  const principal = await registry.principalByCredential(hash);
  if (!principal || principal.credentialHash !== hash || principal.status === 'REVOKED') {
    throw new UnauthenticatedError('The credential is unknown or has been revoked.');
  }
  if (principal.status === 'SUSPENDED') throw new ForbiddenError('This lab is suspended.');
  return principal;
};
