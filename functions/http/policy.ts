import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { routes } from '../../contract/routes.js';
import type { Role } from '../../contract/vocabulary.js';

/**
 * The API Gateway API-key value that meters one principal (a lab, device or app) on its role's usage plan,
 * so every credential has its own throttle. Derived, not secret: the key source is the authorizer (the
 * gateway ignores x-api-key headers), and the bearer credential is what grants access. API-key values are
 * 20–128 alphanumerics and unique per account and Region, hence the stage in it. Used by the authorizer
 * (as `usageIdentifierKey`) and by the admin CLI (which creates the key); the two must agree.
 */
export const usageKeyOf = (stage: string, principalId: string): string => {
  const value = `rg${stage}${principalId}`.replace(/[^A-Za-z0-9]/g, '');
  if (value.length < 20 || value.length > 128)
    throw new Error(`No API-key value can be derived for ${principalId}: ${value.length} characters`);
  return value;
};

/** `arn:aws:execute-api:region:account:api/stage/METHOD/path` → `arn:aws:execute-api:region:account:api/stage`. */
const stageArn = (methodArn: string): string => methodArn.split('/').slice(0, 2).join('/');

/** A route's resource ARN pattern: path parameters become `*`. */
export const routeArn = (base: string, method: string, path: string): string =>
  `${base}/${method}${path.replace(/\{[^}]+\}/g, '*')}`;

/**
 * The policy for a principal: Allow on every route of its role, and nothing else. The gateway caches the
 * policy per credential for all routes, so it must name them all, not just the one being called.
 */
export const policyFor = (
  principalId: string,
  role: Role | undefined,
  methodArn: string,
  context: Record<string, string>,
  usageIdentifierKey?: string,
): APIGatewayAuthorizerResult => {
  const base = stageArn(methodArn);
  const allowed = role === undefined ? [] : routes.filter((route) => route.access === role);
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement:
        allowed.length === 0
          ? [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${base}/*` }]
          : [
              {
                Action: 'execute-api:Invoke',
                Effect: 'Allow',
                Resource: allowed.map((route) => routeArn(base, route.method, route.path)),
              },
            ],
    },
    context,
    ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
  };
};
