import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';

export interface DataProps {
  readonly stage: StageConfig;
}

/**
 * The two tables. Results are keyed by the holder pseudonym (HMAC of the ID with the pepper) and expire
 * through TTL on `expiresAt`; the registry holds labs, devices, app clients and credential hashes.
 * Both are on demand, with point-in-time recovery and a customer-managed key that rotates yearly.
 */
export class Data extends Construct {
  readonly key: Key;
  readonly resultsTable: Table;
  readonly registryTable: Table;

  constructor(scope: Construct, id: string, { stage }: DataProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: `ResultGate ${stage.name}: encrypts the results and registry tables`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });

    const common = {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.removalPolicy,
    } as const;

    this.resultsTable = new Table(this, 'Results', { ...common, timeToLiveAttribute: 'expiresAt' });
    this.registryTable = new Table(this, 'Registry', common);
  }
}
