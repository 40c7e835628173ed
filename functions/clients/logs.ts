import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

/** The one CloudWatch Logs client of a function instance (deploy-time only: no route uses it). */
export const logs = new CloudWatchLogsClient({});
