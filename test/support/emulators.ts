import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildJwks, publicKeyEntryFromPem } from '../../functions/adapters/public-keys.js';
import { generateSigningKeyPem } from '../../functions/adapters/signer.js';
import {
  ensureTables,
  LOCAL_NAMES,
  localDynamoClient,
  localFunctionEnv,
  localSqsClient,
  startDynalite,
  startQueues,
} from '../../local/emulators.js';

export const TEST_PEPPER = 'ab'.repeat(32);
/** The pass-signing key whose public half the handlers get in SIGNING_PUBLIC_KEYS, as the local stack does. */
export const TEST_SIGNING_KEY_PEM = generateSigningKeyPem();

/**
 * In-memory dynalite and fauxqs on free ports, with the stack's tables and queues: what integration
 * tests run against. `env` is the configuration a handler module reads when it is imported.
 */
export const startTestEmulators = async (options: { visibilityTimeoutSeconds?: number } = {}) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const db = await startDynalite();
  const dynamoClient = localDynamoClient(db.endpoint);
  await ensureTables(dynamoClient);
  const queues = await startQueues({ visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1 });
  const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = localSqsClient(queues.server.address);
  const env = localFunctionEnv({
    dynamodbEndpoint: db.endpoint,
    sqsEndpoint: queues.server.address,
    resultsQueueUrl: queues.resultsQueueUrl,
    pepper: TEST_PEPPER,
    signingPublicKeys: JSON.stringify(buildJwks([publicKeyEntryFromPem(TEST_SIGNING_KEY_PEM)])),
    logLevel: 'ERROR',
  });
  return {
    dynamo,
    /** The low-level client under `dynamo`, for adapters that take one (the checkpoint's read). */
    dynamoClient,
    sqs,
    queues,
    names: LOCAL_NAMES,
    env,
    /** Sets the handler configuration in this process (vitest gives each test file its own modules). */
    applyEnv: () => Object.assign(process.env, env),
    stop: async () => {
      dynamo.destroy();
      sqs.destroy();
      await queues.server.stop();
      await db.close();
    },
  };
};

export type TestEmulators = Awaited<ReturnType<typeof startTestEmulators>>;
