import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The one SQS client of a function instance (locally pointed at fauxqs by AWS_ENDPOINT_URL_SQS). The
 * endpoint comes from configuration, never from a QueueUrl's host: in AWS the two agree, and locally the
 * emulator's queue URLs name a host that is not its address.
 */
export const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
