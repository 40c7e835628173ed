import {
  AssociateKmsKeyCommand,
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteRetentionPolicyCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';

/**
 * The retention of events kept for good (the stage's RetentionDays.INFINITE), as the custom resource's
 * RetentionDays property carries it from the construct (lib/constructs/execution-logs.ts) to the handler.
 */
export const NEVER_EXPIRE = 'never expire';

export interface ExecutionLogGroup {
  /** `API-Gateway-Execution-Logs_<rest api id>/<stage>`: the name API Gateway writes to. */
  readonly name: string;
  /** The stack's logs key (lib/constructs/logs-key.ts). */
  readonly kmsKeyArn: string;
  /** Days the events are kept; NEVER_EXPIRE keeps them for good. */
  readonly retentionDays: number | typeof NEVER_EXPIRE;
}

/**
 * API Gateway writes a stage's execution logs to a log group it makes itself on its first write, with no
 * key of ours and kept forever. This makes it first, encrypted with the logs key and with the stage's
 * retention; or, when an earlier deployment let API Gateway make it, adopts it: the key applies to what is
 * written from then on (older events keep CloudWatch's own encryption) and the retention to all of it.
 * Idempotent: every call leaves the same state.
 */
export const adoptExecutionLogGroup = async (
  client: CloudWatchLogsClient,
  { name, kmsKeyArn, retentionDays }: ExecutionLogGroup,
): Promise<{ readonly created: boolean }> => {
  let created = true;
  try {
    await client.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: kmsKeyArn }));
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    created = false;
    await client.send(new AssociateKmsKeyCommand({ logGroupName: name, kmsKeyId: kmsKeyArn }));
  }
  if (retentionDays === NEVER_EXPIRE) {
    // A group just made has no retention policy; an adopted one may have one from an earlier deploy.
    if (!created) await client.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
  } else {
    await client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: retentionDays }));
  }
  return { created };
};
