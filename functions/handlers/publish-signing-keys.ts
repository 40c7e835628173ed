import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import * as z from 'zod';
import { buildJwks } from '../adapters/public-keys.js';
import { loadKmsPublicKey } from '../adapters/signer.js';
import { kms } from '../clients/kms.js';
import { lambdaHandler } from '../lambda-handler.js';
import { logger } from '../observability.js';

/** What the stack passes (lib/constructs/signing.ts): the current signing key and, during a rotation, the previous one. */
const propertiesSchema = z.object({
  CurrentKeyId: z.string().min(1),
  PreviousKeyId: z.string().min(1).optional(),
});

export interface PublishedKeys {
  /** The JWKS JSON that becomes SIGNING_PUBLIC_KEYS of the verify and keys functions. */
  readonly Jwks: string;
}

const PHYSICAL_ID = 'pass-signing-public-keys';

/**
 * Deploy-time custom resource (CDK Provider framework): reads the public half of the pass-signing keys
 * with kms:GetPublicKey, current first, and answers the JWKS that GET /v1/keys publishes. CloudFormation
 * runs it again whenever the key ids change (a rotation); on Delete there is nothing to undo.
 */
export const handler = lambdaHandler<
  CdkCustomResourceEvent,
  CdkCustomResourceResponse<PublishedKeys>
>().handler(async (event) => {
  const physicalId = event.RequestType === 'Create' ? PHYSICAL_ID : event.PhysicalResourceId;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };

  const properties = propertiesSchema.safeParse(event.ResourceProperties);
  if (!properties.success) {
    throw new Error('The custom resource needs CurrentKeyId and, optionally, PreviousKeyId (KMS key ids)');
  }
  const { CurrentKeyId, PreviousKeyId } = properties.data;
  const keyIds = PreviousKeyId === undefined ? [CurrentKeyId] : [CurrentKeyId, PreviousKeyId];
  const entries = await Promise.all(keyIds.map((keyId) => loadKmsPublicKey(kms, keyId)));
  const jwks = buildJwks(entries);
  logger.info('signing public keys published', { kids: jwks.keys.map((key) => key.kid) });
  return { PhysicalResourceId: physicalId, Data: { Jwks: JSON.stringify(jwks) } };
});
