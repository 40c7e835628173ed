import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Role } from '../../contract/vocabulary.js';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { authenticate } from '../domain/authenticate.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { policyFor, usageKeyOf } from '../http/policy.js';
import { logger } from '../observability.js';

const config = loadConfig(['REGISTRY_TABLE', 'STAGE']);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);

/** How long the answer may wait for the lastUsedAt write; past it the write goes on unawaited. */
export const LAST_USED_WAIT_MS = 150;

/**
 * Records when the credential was last used, without ever failing or holding up the request: a failed
 * write is logged, and the answer waits at most LAST_USED_WAIT_MS. It is awaited at all because Lambda
 * freezes the sandbox once the handler returns, so an unawaited write might never be sent. This runs only
 * on authorizer-cache misses (at most once per cache TTL per credential), so the wait is rare.
 */
const recordUse = async (id: string, role: Role): Promise<void> => {
  const write = registry.recordUse(id, role, new Date().toISOString()).catch((error: unknown) => {
    logger.warn('last use not recorded', { principalId: id, error });
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, LAST_USED_WAIT_MS);
    timer.unref();
  });
  await Promise.race([write, late]);
  clearTimeout(timer);
};

/**
 * The REQUEST authorizer: the bearer credential's hash → principal {id, role}. Unknown or revoked
 * credentials throw `Unauthorized` (API Gateway answers 401); a suspended lab gets a Deny (403); others
 * get an Allow on their role's routes, with the principal in the context for the handler, and the
 * principal's own API-key value, so its role's usage plan throttles each credential on its own.
 *
 * A plain function, not lambdaHandler: API Gateway's authorizer contract (a policy, or exactly the error
 * 'Unauthorized') leaves no response to shape and nothing to count, and the local gateway calls it as
 * `(event) => policy`, with no Lambda context.
 */
export const handler = async (
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> => {
  const header = event.headers?.Authorization ?? event.headers?.authorization;
  try {
    const principal = await authenticate(header, registry);
    await recordUse(principal.id, principal.role);
    return policyFor(
      principal.id,
      principal.role,
      event.methodArn,
      {
        role: principal.role,
        name: principal.name,
        testTypes: (principal.testTypes ?? []).join(','),
        // A device's rule scope travels with the principal, so verify reads no registry item for it.
        ...(principal.jurisdiction === undefined ? {} : { jurisdiction: principal.jurisdiction }),
        ...(principal.mode === undefined ? {} : { mode: principal.mode }),
      },
      usageKeyOf(config.STAGE, principal.id),
    );
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      logger.info('credential refused');
      throw new Error('Unauthorized');
    }
    if (error instanceof ForbiddenError) {
      logger.info('principal suspended');
      return policyFor('suspended', undefined, event.methodArn, { reason: error.message });
    }
    throw error;
  }
};
