import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { authenticate } from '../domain/authenticate.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { policyFor, usageKeyOf } from '../http/policy.js';
import { logger } from '../observability.js';

const config = loadConfig(['REGISTRY_TABLE', 'STAGE']);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);

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
