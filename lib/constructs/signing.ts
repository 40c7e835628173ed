import { CustomResource, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../routes.js';
import type { StageConfig } from '../stages.js';
import { HouseFunction } from './house-function.js';
import { houseProvider } from './house-provider.js';

/**
 * What the account (its IAM administrators, and CloudFormation) may do with the signing key: administer
 * it and read its public half, never sign. kms:Sign is granted in the key policy to the pass issuer's
 * role alone (HouseFunction.signWith), so no IAM policy in the account can hand signing to anyone else.
 * Not `kms:Create*`: it covers kms:CreateGrant, and a grant can carry Sign, so anyone whose IAM policy
 * allows CreateGrant (often given on `*`) could give themselves signing. Only rewriting the key policy
 * (kms:PutKeyPolicy, an administrator's act that CloudTrail records) can change who signs.
 */
export const SIGNING_KEY_ACCOUNT_ACTIONS = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

export interface SigningProps {
  readonly stage: StageConfig;
  /** Encrypts the custom-resource functions' log groups. */
  readonly logsKey: IKey;
}

/**
 * The deploy-time function behind the public-keys custom resource. Not in lib/routes.ts: it serves no
 * route and never runs outside a deployment.
 */
export const publisherSpec: FunctionSpec = {
  entry: 'functions/handlers/publish-signing-keys.ts',
  description: 'At deployment, reads the pass-signing public keys from KMS and answers their JWKS',
  needs: [],
  timeoutSeconds: 30,
  memoryMb: 256,
};

/**
 * The pass-signing key: an asymmetric KMS key (P-256, ES256 signatures) whose private half never leaves
 * KMS. Bumping `signingKeyVersion` in lib/stages.ts creates a new key and moves the alias to it; see
 * the README ("Rotating the pass-signing key") for the rotation steps.
 *
 * Its public keys (current, and the previous one during a rotation) are read once, at deployment, by a
 * custom resource, and handed to the verify and keys functions as configuration (`publicKeysJwks`, the
 * JWKS JSON that GET /v1/keys publishes), so those functions need no KMS permission or client.
 */
export class Signing extends Construct {
  readonly key: Key;
  /** The function that reads the public keys at deployment (kms:GetPublicKey on the keys only). */
  readonly publisher: HouseFunction;
  readonly publicKeys: CustomResource;
  /** The JWKS JSON, current key first: a deploy-time token for SIGNING_PUBLIC_KEYS. */
  readonly publicKeysJwks: string;
  /**
   * The key that signs the rules document of GET /v1/rules, and only that: a key of its own, so that the
   * function serving a public route never holds the power to sign a pass. kms:Sign goes to the rules
   * function's role alone (HouseFunction.signWith, through the need `rulesKey:sign`).
   */
  readonly rulesKey: Key;
  /** The JWKS JSON of the rules key: a deploy-time token for RULES_PUBLIC_KEYS (GET /v1/keys). */
  readonly rulesPublicKeysJwks: string;

  constructor(scope: Construct, id: string, { stage, logsKey }: SigningProps) {
    super(scope, id);
    this.key = new Key(this, `PassSigningKeyV${stage.signingKeyVersion}`, {
      // kms:Get* lets IAM grant kms:GetPublicKey (the deploy-time publisher reads the public key).
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountAdministersButDoesNotSign',
            principals: [new AccountRootPrincipal()],
            actions: [...SIGNING_KEY_ACCOUNT_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
      description: `ResultGate ${stage.name}: signs QR passes (ES256), version ${stage.signingKeyVersion}`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      // Asymmetric keys cannot rotate automatically; rotation is the versioned replacement above.
      enableKeyRotation: false,
      removalPolicy: stage.removalPolicy,
    });
    this.key.addAlias(`alias/${Stack.of(this).stackName}-pass-signing`);

    this.rulesKey = new Key(this, 'RulesSigningKey', {
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountAdministersButDoesNotSign',
            principals: [new AccountRootPrincipal()],
            actions: [...SIGNING_KEY_ACCOUNT_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
      description: `ResultGate ${stage.name}: signs the checkpoint rules document of GET /v1/rules (ES256), never passes`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      enableKeyRotation: false,
      removalPolicy: stage.removalPolicy,
    });
    this.rulesKey.addAlias(`alias/${Stack.of(this).stackName}-rules-signing`);

    // A house function behind the Provider framework, not the stock AwsCustomResource: that one decodes
    // every SDK response as UTF-8 text, which corrupts the binary (DER) public key KMS answers with.
    const previousKeyId = stage.previousSigningKeyId;
    this.publisher = new HouseFunction(this, 'PublicKeysPublisher', { spec: publisherSpec, stage, logsKey });
    this.publisher.readPublicKeysOf(
      previousKeyId === undefined ? [this.key, this.rulesKey] : [this.key, previousKeyId, this.rulesKey],
    );

    const provider = houseProvider(this, 'PublicKeysProvider', {
      stage,
      logsKey,
      handler: this.publisher,
      relays: 'relays the public-keys custom resource to its publisher',
      handlerName: 'the publisher',
    });

    // The key ids are the resource's properties: a new key (a rotation) or a change of the previous one
    // changes them, so CloudFormation runs the publisher again and the functions get the new JWKS.
    this.publicKeys = new CustomResource(this, 'PublicKeys', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PassSigningPublicKeys',
      properties: {
        CurrentKeyId: this.key.keyId,
        ...(previousKeyId === undefined ? {} : { PreviousKeyId: previousKeyId }),
      },
    });
    this.publicKeysJwks = this.publicKeys.getAttString('Jwks');
    // The same publisher reads the rules key's public half into a JWKS of its own: kept apart from the
    // pass keys, so the verify function never accepts a pass signed with it.
    const rulesPublicKeys = new CustomResource(this, 'RulesPublicKeys', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::RulesSigningPublicKeys',
      properties: { CurrentKeyId: this.rulesKey.keyId },
    });
    this.rulesPublicKeysJwks = rulesPublicKeys.getAttString('Jwks');
  }
}
