import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildJwks,
  parseSigningPublicKeys,
  publicKeyEntry,
} from '../../../functions/adapters/public-keys.js';
import { handler } from '../../../functions/handlers/publish-signing-keys.js';
import { lambdaContext } from '../../support/fixtures.js';

/** The Provider framework's call: an event and a Lambda context. */
const publish = (event: CdkCustomResourceEvent) => handler(event, lambdaContext());

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

const currentKeyId = '11111111-2222-3333-4444-555555555555';
const previousKeyId = '66666666-7777-8888-9999-000000000000';
const current = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const previous = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

const givenKmsKeys = () => {
  kms
    .on(GetPublicKeyCommand, { KeyId: currentKeyId })
    .resolves({ KeyId: currentKeyId, KeySpec: 'ECC_NIST_P256', PublicKey: spki(current) });
  kms
    .on(GetPublicKeyCommand, { KeyId: previousKeyId })
    .resolves({ KeyId: previousKeyId, KeySpec: 'ECC_NIST_P256', PublicKey: spki(previous) });
};

const common = {
  ServiceToken: 'arn:aws:lambda:ap-southeast-1:111122223333:function:framework-onEvent',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'arn:aws:cloudformation:ap-southeast-1:111122223333:stack/ResultGate-dev/1',
  RequestId: 'request-1',
  LogicalResourceId: 'SigningPublicKeys',
  ResourceType: 'Custom::PassSigningPublicKeys',
};
const properties = (keys: { CurrentKeyId?: string; PreviousKeyId?: string }) => ({
  ServiceToken: common.ServiceToken,
  ...keys,
});
const create = (keys: { CurrentKeyId?: string; PreviousKeyId?: string }): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Create',
  ResourceProperties: properties(keys),
});
const update = (keys: { CurrentKeyId?: string; PreviousKeyId?: string }): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Update',
  PhysicalResourceId: 'pass-signing-public-keys',
  ResourceProperties: properties(keys),
  OldResourceProperties: properties({ CurrentKeyId: previousKeyId }),
});

describe('the signing public keys publisher (custom resource)', () => {
  it('answers on Create the JWKS of the current key, then the previous one', async () => {
    givenKmsKeys();

    const answer = await publish(create({ CurrentKeyId: currentKeyId, PreviousKeyId: previousKeyId }));

    expect(answer.PhysicalResourceId).toBe('pass-signing-public-keys');
    expect(JSON.parse(answer.Data?.Jwks ?? '')).toEqual(
      buildJwks([publicKeyEntry(current), publicKeyEntry(previous)]),
    );
    expect(kms.commandCalls(GetPublicKeyCommand).map((call) => call.args[0].input)).toEqual(
      expect.arrayContaining([{ KeyId: currentKeyId }, { KeyId: previousKeyId }]),
    );
  });

  it('answers on Update (a rotation) the new JWKS under the same physical id', async () => {
    givenKmsKeys();

    const answer = await publish(update({ CurrentKeyId: currentKeyId, PreviousKeyId: previousKeyId }));

    expect(answer.PhysicalResourceId).toBe('pass-signing-public-keys');
    expect(parseSigningPublicKeys(answer.Data?.Jwks ?? '').map((entry) => entry.kid)).toEqual([
      publicKeyEntry(current).kid,
      publicKeyEntry(previous).kid,
    ]);
  });

  it('publishes the current key alone when there is no previous one', async () => {
    givenKmsKeys();

    const answer = await publish(update({ CurrentKeyId: currentKeyId }));

    expect(parseSigningPublicKeys(answer.Data?.Jwks ?? '').map((entry) => entry.kid)).toEqual([
      publicKeyEntry(current).kid,
    ]);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('does nothing on Delete', async () => {
    givenKmsKeys();

    const answer = await publish({
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: 'pass-signing-public-keys',
      ResourceProperties: properties({ CurrentKeyId: currentKeyId, PreviousKeyId: previousKeyId }),
    });

    expect(answer).toEqual({ PhysicalResourceId: 'pass-signing-public-keys' });
    expect(kms.calls()).toHaveLength(0);
  });

  it('fails the deployment when a key is not a P-256 signing key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'RSA_2048', PublicKey: spki(rsa) });

    await expect(publish(create({ CurrentKeyId: currentKeyId }))).rejects.toThrow(/ECC_NIST_P256/);
  });

  it('fails the deployment without a current key id, asking KMS nothing', async () => {
    await expect(publish(create({ PreviousKeyId: previousKeyId }))).rejects.toThrow(/CurrentKeyId/);
    expect(kms.calls()).toHaveLength(0);
  });
});
