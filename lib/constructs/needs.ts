import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Need } from '../routes.js';
import type { StageConfig } from '../stages.js';
import type { HouseFunction } from './house-function.js';
import type { Ingestion } from './ingestion.js';

/** What the needs of lib/routes.ts refer to. */
export interface Platform {
  readonly stage: StageConfig;
  readonly resultsTable: ITable;
  readonly registryTable: ITable;
  readonly ingestion: Ingestion;
  readonly pepper: ISecret;
  readonly signingKey: IKey;
  /** The JWKS of the pass-signing public keys, current first: a deploy-time value (lib/constructs/signing.ts). */
  readonly signingPublicKeys: string;
  /** Signs the rules document of GET /v1/rules only (lib/constructs/signing.ts). */
  readonly rulesKey: IKey;
  /** The JWKS of the rules-signing public key: a deploy-time value. */
  readonly rulesPublicKeys: string;
}

/**
 * Turns each need of a function into its environment variable (the names functions/config.ts reads)
 * and the least privilege behind it. A need without wiring does not compile.
 */
export const grantNeeds = (fn: HouseFunction, needs: readonly Need[], platform: Platform): void => {
  const { stage } = platform;
  for (const need of needs) {
    switch (need) {
      case 'resultsTable:read':
        fn.readTable('RESULTS_TABLE', platform.resultsTable);
        break;
      case 'resultsTable:write':
        fn.writeTable('RESULTS_TABLE', platform.resultsTable);
        break;
      case 'registryTable:read':
        fn.readTable('REGISTRY_TABLE', platform.registryTable);
        break;
      case 'registryTable:write':
        fn.writeTable('REGISTRY_TABLE', platform.registryTable);
        break;
      case 'resultsTable:countPassRequests':
        fn.updateTable('RESULTS_TABLE', platform.resultsTable);
        break;
      case 'registryTable:recordUse':
        fn.updateTable('REGISTRY_TABLE', platform.registryTable);
        break;
      case 'resultsQueue:send':
        fn.sendTo('RESULTS_QUEUE_URL', platform.ingestion.queue);
        break;
      case 'resultsQueue:consume':
        platform.ingestion.addConsumer(fn.fn);
        break;
      case 'pepper':
        fn.readSecret('PEPPER_SECRET_ID', platform.pepper);
        fn.addEnvironment('PEPPER_VERSION', String(stage.pepperVersion));
        break;
      case 'signingKey:sign':
        fn.signWith('SIGNING_KEY_ID', platform.signingKey);
        break;
      case 'signingKey:publicKey':
        // Configuration, not a permission: the keys were read from KMS at deployment.
        fn.addEnvironment('SIGNING_PUBLIC_KEYS', platform.signingPublicKeys);
        break;
      case 'rulesKey:sign':
        // The key policy names this function's role alone for kms:Sign.
        fn.signWith('RULES_SIGNING_KEY_ID', platform.rulesKey);
        break;
      case 'rulesKey:publicKey':
        fn.addEnvironment('RULES_PUBLIC_KEYS', platform.rulesPublicKeys);
        break;
      default: {
        const unwired: never = need;
        throw new Error(`No wiring for need ${String(unwired)}`);
      }
    }
  }
};
