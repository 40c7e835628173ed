/**
 * The one list of the API's routes: method, path, who may call it, and the function that serves it.
 * Dependency-free, for the CDK stack, the local gateway, the OpenAPI document and the page.
 */
import type { Role } from './vocabulary.js';

/** The functions that serve HTTP routes (lib/routes.ts gives each its entry file and needs). */
export type ApiFunctionName =
  | 'getHealth'
  | 'submitResults'
  | 'getResult'
  | 'withdrawResult'
  | 'verifyHolder'
  | 'issuePass'
  | 'getKeys'
  | 'listFacilities'
  | 'getOpenapi'
  | 'getRules'
  | 'getDeviceMe';

export type Access = 'public' | Role;

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway resource path; `{name}` marks a path parameter. */
  readonly path: string;
  readonly access: Access;
  readonly fn: ApiFunctionName;
}

export const routes = [
  { method: 'GET', path: '/v1/health', access: 'public', fn: 'getHealth' },
  { method: 'POST', path: '/v1/results', access: 'lab', fn: 'submitResults' },
  { method: 'GET', path: '/v1/results/{sampleId}', access: 'lab', fn: 'getResult' },
  { method: 'DELETE', path: '/v1/results/{sampleId}', access: 'lab', fn: 'withdrawResult' },
  { method: 'POST', path: '/v1/verify', access: 'checkpoint', fn: 'verifyHolder' },
  { method: 'POST', path: '/v1/passes', access: 'app', fn: 'issuePass' },
  { method: 'GET', path: '/v1/keys', access: 'public', fn: 'getKeys' },
  { method: 'GET', path: '/v1/facilities', access: 'public', fn: 'listFacilities' },
  { method: 'GET', path: '/v1/openapi.json', access: 'public', fn: 'getOpenapi' },
  { method: 'GET', path: '/v1/rules', access: 'public', fn: 'getRules' },
  { method: 'GET', path: '/v1/devices/me', access: 'checkpoint', fn: 'getDeviceMe' },
] as const satisfies readonly Route[];
