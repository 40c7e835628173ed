import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { Route } from '../contract/routes.js';

/**
 * What API Gateway does before a function runs, for the local gateway and the in-process test driver:
 * find the route of a method and path, and decide whether an authorizer's policy allows its method ARN.
 */

export interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export const compileRoutes = (routes: readonly Route[]): CompiledRoute[] =>
  routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, pattern: new RegExp(`^${source}$`), names };
  });

/** The path was checked to decode as a whole, so each parameter (never spanning a `/`) decodes too. */
export const matchRoute = (routes: readonly CompiledRoute[], method: string, path: string) => {
  for (const { route, pattern, names } of routes) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (match) {
      const params = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return { route, params };
    }
  }
  return undefined;
};

/**
 * Compiled resource patterns. Policies come from the authorizer, which names a few ARNs per role, so the
 * set is small; it is emptied if it ever grows past a bound, so no policy can make it grow for good.
 */
const compiledResources = new Map<string, RegExp>();
export const MAX_COMPILED_RESOURCES = 1_000;

/** How many patterns are kept compiled now (never more than MAX_COMPILED_RESOURCES): for tests. */
export const compiledResourceCount = (): number => compiledResources.size;

/** IAM-style matching of a policy resource against a method ARN: `*` matches any run of characters, `?` one. */
const resourceMatches = (pattern: string, arn: string): boolean => {
  let compiled = compiledResources.get(pattern);
  if (compiled === undefined) {
    if (compiledResources.size >= MAX_COMPILED_RESOURCES) compiledResources.clear();
    const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    compiled = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.split('?').map(literal).join('.'))
        .join('.*')}$`,
    );
    compiledResources.set(pattern, compiled);
  }
  return compiled.test(arn);
};

export const allowedBy = (policy: APIGatewayAuthorizerResult, arn: string): boolean => {
  const matching = policy.policyDocument.Statement.filter((statement) => {
    const resource = 'Resource' in statement ? statement.Resource : undefined;
    const resources = resource === undefined ? [] : Array.isArray(resource) ? resource : [resource];
    return resources.some((r) => resourceMatches(String(r), arn));
  });
  return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
};
