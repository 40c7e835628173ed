import { Stack } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageConfig } from '../stages.js';

export interface SigningProps {
  readonly stage: StageConfig;
}

/**
 * The pass-signing key: an asymmetric KMS key (P-256, ES256 signatures) whose private half never leaves
 * KMS. Bumping `signingKeyVersion` in lib/stages.ts creates a new key and moves the alias to it; see
 * the README ("Rotating the pass-signing key") for the rotation steps.
 */
export class Signing extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, { stage }: SigningProps) {
    super(scope, id);
    this.key = new Key(this, `PassSigningKeyV${stage.signingKeyVersion}`, {
      description: `ResultGate ${stage.name}: signs QR passes (ES256), version ${stage.signingKeyVersion}`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      // Asymmetric keys cannot rotate automatically; rotation is the versioned replacement above.
      enableKeyRotation: false,
      removalPolicy: stage.removalPolicy,
    });
    this.key.addAlias(`alias/${Stack.of(this).stackName}-pass-signing`);
  }
}
