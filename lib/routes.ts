/**
 * The functions behind the routes of contract/routes.ts, and what each needs. The CDK stack builds API
 * Gateway methods and Lambda functions from both, and the local gateway (`npm start`) serves the same
 * handlers from them, so the two cannot drift; every route's function must have a spec here.
 */

import type { ApiFunctionName } from '../contract/routes.js';

/** What a function needs from the platform: the CDK stack turns each into environment and a grant. */
export type Need =
  | 'resultsTable:read'
  | 'resultsTable:write'
  | 'registryTable:read'
  | 'registryTable:write'
  /** UpdateItem only: the authorizer's lastUsedAt on a principal. */
  | 'registryTable:recordUse'
  /** UpdateItem only: the pass-request count of a holder's day (contract/limits.ts). */
  | 'resultsTable:countPassRequests'
  | 'resultsQueue:send'
  | 'resultsQueue:consume'
  | 'pepper'
  | 'signingKey:sign'
  | 'signingKey:publicKey'
  | 'rulesKey:sign'
  | 'rulesKey:publicKey';

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
    description: 'Maps a bearer credential to a principal {id, role}; records its last use',
    needs: ['registryTable:read', 'registryTable:recordUse'],
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
  withdrawResult: {
    entry: 'functions/handlers/withdraw-result.ts',
    description: 'Withdraws one stored result of a lab from every verdict',
    needs: ['resultsTable:read', 'resultsTable:write'],
    timeoutSeconds: 10,
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
    // registryTable:read: the published rule sets (RULESET items), read at cold start and every 30-60 s.
    needs: ['resultsTable:read', 'registryTable:read', 'pepper', 'signingKey:publicKey'],
    timeoutSeconds: 5,
    memoryMb: 1024,
  },
  issuePass: {
    entry: 'functions/handlers/issue-pass.ts',
    description: 'Signs a QR pass for a citizen-app user',
    // registryTable:read: the VN/ENTRY rule set decides whether a pass carries a snapshot.
    needs: [
      'resultsTable:read',
      'resultsTable:countPassRequests',
      'registryTable:read',
      'pepper',
      'signingKey:sign',
    ],
    timeoutSeconds: 10,
    memoryMb: 1024,
  },
  getKeys: {
    entry: 'functions/handlers/get-keys.ts',
    description: 'Publishes the pass-signing and rules-signing public keys (JWKS)',
    needs: ['signingKey:publicKey', 'rulesKey:publicKey'],
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
  getRules: {
    entry: 'functions/handlers/get-rules.ts',
    description: 'Publishes the rule sets in force or scheduled, signed, for offline checkpoints',
    needs: ['registryTable:read', 'rulesKey:sign'],
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  getDeviceMe: {
    entry: 'functions/handlers/get-device-me.ts',
    description: 'Tells a checkpoint device its jurisdiction and mode',
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
} as const satisfies Record<string, FunctionSpec> & Record<ApiFunctionName, FunctionSpec>;

export type FunctionName = keyof typeof functions;
