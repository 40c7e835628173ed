/**
 * The one list of routes and functions. The CDK stack builds API Gateway methods and Lambda functions
 * from it, and the local gateway (`npm start`) serves the same handlers from it, so the two cannot drift.
 */

import type { Role } from '../contract/vocabulary.js';

export { type Role, roles } from '../contract/vocabulary.js';

/** What a function needs from the platform: the CDK stack turns each into environment and a grant. */
export type Need =
  | 'resultsTable:read'
  | 'resultsTable:write'
  | 'registryTable:read'
  | 'registryTable:write'
  | 'resultsQueue:send'
  | 'resultsQueue:consume'
  | 'pepper'
  | 'signingKey:sign'
  | 'signingKey:publicKey';

export interface FunctionSpec {
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly needs: readonly Need[];
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const functions = {
  authorizeRequest: {
    entry: 'functions/handlers/authorize-request.ts',
    description: 'Maps a bearer credential to a principal {id, role}',
    needs: ['registryTable:read'],
    timeoutSeconds: 5,
    memoryMb: 512,
  },
  getHealth: {
    entry: 'functions/handlers/get-health.ts',
    description: 'Liveness answer',
    needs: [],
    timeoutSeconds: 3,
    memoryMb: 256,
  },
  submitResults: {
    entry: 'functions/handlers/submit-results.ts',
    description: 'Validates a lab batch and queues the accepted results',
    needs: ['resultsQueue:send', 'pepper'],
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  getResult: {
    entry: 'functions/handlers/get-result.ts',
    description: 'Tells a lab whether one of its samples is stored',
    needs: ['resultsTable:read'],
    timeoutSeconds: 5,
    memoryMb: 512,
  },
  storeResults: {
    entry: 'functions/handlers/store-results.ts',
    description: 'Stores queued results under the holder pseudonym',
    needs: ['resultsQueue:consume', 'resultsTable:read', 'resultsTable:write', 'registryTable:write'],
    timeoutSeconds: 30,
    memoryMb: 1024,
  },
  verifyHolder: {
    entry: 'functions/handlers/verify-holder.ts',
    description: 'Answers VALID or NOT_VALID for a holder at a checkpoint',
    needs: ['resultsTable:read', 'pepper', 'signingKey:publicKey'],
    timeoutSeconds: 5,
    memoryMb: 1024,
  },
  issuePass: {
    entry: 'functions/handlers/issue-pass.ts',
    description: 'Signs a QR pass for a citizen-app user',
    needs: ['resultsTable:read', 'pepper', 'signingKey:sign'],
    timeoutSeconds: 10,
    memoryMb: 1024,
  },
  getKeys: {
    entry: 'functions/handlers/get-keys.ts',
    description: 'Publishes the pass-signing public keys (JWKS)',
    needs: ['signingKey:publicKey'],
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  listFacilities: {
    entry: 'functions/handlers/list-facilities.ts',
    description: 'Publishes the registry of integrated facilities',
    needs: ['registryTable:read'],
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  getOpenapi: {
    entry: 'functions/handlers/get-openapi.ts',
    description: 'Serves the OpenAPI document',
    needs: [],
    timeoutSeconds: 3,
    memoryMb: 256,
  },
  checkFreshness: {
    entry: 'functions/handlers/check-freshness.ts',
    description: 'Reports active labs that have sent nothing for too long (scheduled)',
    needs: ['registryTable:read'],
    timeoutSeconds: 30,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export type Access = 'public' | Role;

export interface Route {
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path; `{name}` marks a path parameter. */
  readonly path: string;
  readonly access: Access;
  readonly fn: FunctionName;
}

export const routes = [
  { method: 'GET', path: '/v1/health', access: 'public', fn: 'getHealth' },
  { method: 'POST', path: '/v1/results', access: 'lab', fn: 'submitResults' },
  { method: 'GET', path: '/v1/results/{sampleId}', access: 'lab', fn: 'getResult' },
  { method: 'POST', path: '/v1/verify', access: 'checkpoint', fn: 'verifyHolder' },
  { method: 'POST', path: '/v1/passes', access: 'app', fn: 'issuePass' },
  { method: 'GET', path: '/v1/keys', access: 'public', fn: 'getKeys' },
  { method: 'GET', path: '/v1/facilities', access: 'public', fn: 'listFacilities' },
  { method: 'GET', path: '/v1/openapi.json', access: 'public', fn: 'getOpenapi' },
] as const satisfies readonly Route[];
