import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeRegistryTable, type RegistryTable } from '../../functions/adapters/registry-table.js';
import { readStackInfo } from '../../local/data-dir.js';
import { localDynamoClient, localSqsClient } from '../../local/emulators.js';

/** What the admin commands act on: the local stack of `npm start`, or a deployed stack. */
export interface Target {
  readonly description: string;
  readonly registry: RegistryTable;
  readonly sqs: SQSClient;
  readonly resultsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** The local stack running from `dataDir` (it must be running: its dynalite holds the data files). */
export const localTarget = async ({ dataDir }: { dataDir: string }): Promise<Target> => {
  const info = await readStackInfo(dataDir);
  const dynamo = DynamoDBDocumentClient.from(localDynamoClient(info.dynamodbEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    description: `local stack at ${info.url}`,
    registry: makeRegistryTable(dynamo, info.registryTable),
    sqs: localSqsClient(info.sqsEndpoint),
    resultsQueueUrl: info.resultsQueueUrl,
    deadLetterQueueUrl: info.deadLetterQueueUrl,
  };
};
