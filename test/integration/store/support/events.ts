import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS record as the Lambda event source hands it to the store function. */
export const sqsRecord = (messageId: string, body: string, receiveCount = 1): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(Date.now()),
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:resultgate-results',
  awsRegion: 'us-east-1',
});

export const sqsEvent = (records: readonly SQSRecord[]): SQSEvent => ({ Records: [...records] });
