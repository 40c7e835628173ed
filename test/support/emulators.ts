import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ensureTables,
  LOCAL_AWS,
  LOCAL_NAMES,
  localDynamoClient,
  localSqsClient,
  startDynalite,
  startQueues,
} from '../../local/emulators.js';

export const TEST_PEPPER = 'ab'.repeat(32);

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
  const env: Record<string, string> = {
    STAGE: 'local',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: queues.server.address,
    RESULTS_TABLE: LOCAL_NAMES.resultsTable,
    REGISTRY_TABLE: LOCAL_NAMES.registryTable,
    RESULTS_QUEUE_URL: queues.resultsQueueUrl,
    PEPPER: TEST_PEPPER,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  return {
    dynamo,
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
