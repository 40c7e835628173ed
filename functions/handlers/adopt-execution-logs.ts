import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { adoptExecutionLogGroup, NEVER_EXPIRE } from '../adapters/execution-log-group.js';
import { logs } from '../clients/logs.js';
import { logger } from '../observability.js';

/** Reads a property the construct (lib/constructs/execution-logs.ts) always sets. */
const property = (event: CdkCustomResourceEvent, name: string): string => {
  const value: unknown = event.ResourceProperties[name];
  if (typeof value !== 'string' || value === '')
    throw new Error(`Custom resource property ${name} is missing`);
  return value;
};

/**
 * Deploy-time custom resource (lib/constructs/execution-logs.ts): makes or adopts the API stage's
 * execution-log group with the logs key and the stage's retention (adapters/execution-log-group.ts). Its
 * physical id is the log group's name. Delete leaves the group: API Gateway owns it and the logs in it
 * keep their retention.
 */
export const handler = async (event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> => {
  const name = property(event, 'LogGroupName');
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const kmsKeyArn = property(event, 'KmsKeyArn');
  const retention = property(event, 'RetentionDays');
  const retentionDays = retention === NEVER_EXPIRE ? NEVER_EXPIRE : Number(retention);
  if (retentionDays !== NEVER_EXPIRE && !(Number.isInteger(retentionDays) && retentionDays > 0))
    throw new Error(`Custom resource property RetentionDays is not a number of days: ${retention}`);
  const { created } = await adoptExecutionLogGroup(logs, { name, kmsKeyArn, retentionDays });
  logger.info(created ? 'execution log group created' : 'execution log group adopted', { retentionDays });
  return { PhysicalResourceId: name };
};
