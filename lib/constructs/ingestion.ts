import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';

/** Receives before a result moves to the dead-letter queue. */
export const maxReceiveCount = 5;
/** How long an accepted result may wait in the queue (the store function normally takes it in seconds). */
export const resultsRetention = Duration.days(4);
/** The dead-letter queue keeps failed results longer than the source, to leave time for a redrive. */
export const deadLetterRetention = Duration.days(14);
/** Small batching window: results are stored within about a second even at low traffic. */
export const maxBatchingWindow = Duration.seconds(1);

export interface IngestionProps {
  readonly stage: StageConfig;
  /** Timeout of the slowest consumer: the visibility timeout is at least six times it (AWS guidance). */
  readonly consumerTimeout: Duration;
}

/**
 * The results queue between the ingest API (which acknowledges a lab once a result is durably queued)
 * and the store function, with its dead-letter queue. Both are encrypted with a customer-managed key
 * and refuse non-TLS access.
 */
export class Ingestion extends Construct {
  readonly key: Key;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  private readonly stage: StageConfig;

  constructor(scope: Construct, id: string, { stage, consumerTimeout }: IngestionProps) {
    super(scope, id);
    this.stage = stage;
    const removalPolicy: RemovalPolicy = stage.removalPolicy;

    this.key = new Key(this, 'Key', {
      description: `ResultGate ${stage.name}: encrypts the results queue and its dead-letter queue`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
      removalPolicy,
    });

    this.queue = new Queue(this, 'ResultsQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      // Data keys are reused for 5 minutes, so a burst costs few KMS calls.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: resultsRetention,
      visibilityTimeout: Duration.seconds(6 * consumerTimeout.toSeconds() + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      removalPolicy,
    });
  }

  /**
   * Connects the consumer: partial batch failures are reported so one bad result is retried alone, and
   * `maxConcurrency` caps how many consumers run at once.
   */
  addConsumer(fn: IFunction): void {
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: this.stage.storeBatchSize,
        maxBatchingWindow,
        maxConcurrency: this.stage.storeMaxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
