import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stages } from '../../lib/stages.js';
import { logicalIdOf, propsOf, resourcesOf, type Synthesized, statementsOfRole, synth } from './synth.js';

describe('prod', () => {
  let prod: Synthesized;
  beforeAll(() => {
    prod = synth('prod', { alarmEmail: 'ops@example.org' });
  });

  it('protects and retains both tables', () => {
    const tables = resourcesOf(prod.template, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(propsOf(table).DeletionProtectionEnabled).toBe(true);
    }
  });

  it('retains the keys, the pepper and the queues', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::SQS::Queue']) {
      for (const resource of Object.values(resourcesOf(prod.template, type))) {
        expect(resource.DeletionPolicy, type).toBe('Retain');
      }
    }
  });

  it('reserves concurrency for verify so ingestion cannot starve checkpoints', () => {
    const verify = propsOf(
      prod.template.toJSON().Resources[logicalIdOf(prod.stack.functions.verifyHolder.fn)],
    );
    expect(verify.ReservedConcurrentExecutions).toBe(stages.prod.verifyReservedConcurrency);
  });

  it('reserves concurrency for the authorizer, so a flood of unknown credentials cannot starve the routes', () => {
    const authorizer = propsOf(
      prod.template.toJSON().Resources[logicalIdOf(prod.stack.functions.authorizeRequest.fn)],
    );
    expect(authorizer.ReservedConcurrentExecutions).toBe(stages.prod.authorizerReservedConcurrency);
    expect(stages.prod.authorizerReservedConcurrency).toBeGreaterThan(0);
  });

  it('tells the functions they run in prod and allows no localhost origin', () => {
    const fn = propsOf(prod.template.toJSON().Resources[logicalIdOf(prod.stack.functions.getHealth.fn)]);
    expect(fn).toMatchObject({ Environment: { Variables: { STAGE: 'prod' } } });
    expect(JSON.stringify(prod.template.toJSON())).not.toContain('localhost');
  });

  it('runs every function without runtime source maps: no cold start pays for decoding a map', () => {
    const functions = Object.values(resourcesOf(prod.template, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions) {
      expect(JSON.stringify(propsOf(fn).Environment ?? {})).not.toContain('--enable-source-maps');
    }
  });

  it('subscribes the alarm email to the alarm topic', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: logicalIdOf(prod.stack.monitoring.topic) },
    });
  });

  it('leaves no AwsSolutions error or warning unacknowledged', () => {
    expect(prod.nagFindings.map((finding) => finding.ruleName)).toEqual([]);
  });
});

describe('a dev stack without a built web app, during a signing-key rotation', () => {
  const previousKeyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
  let bare: Synthesized;
  beforeAll(() => {
    bare = synth('dev', {
      webAssetPath: '/nonexistent/resultgate/web/dist',
      overrides: { previousSigningKeyId: previousKeyId, signingKeyVersion: 2 },
    });
  });

  it('keeps the bucket and distribution, skips the upload and says so', () => {
    bare.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    bare.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    Annotations.fromStack(bare.stack).hasWarning(
      '/ResultGate-dev/Web',
      Match.stringLikeRegexp('Web app not built'),
    );
  });

  it('publishes the previous signing key through the custom resource, which alone may read it', () => {
    const { signing, functions } = bare.stack;
    bare.template.hasResourceProperties('Custom::PassSigningPublicKeys', {
      CurrentKeyId: { Ref: logicalIdOf(signing.key) },
      PreviousKeyId: previousKeyId,
    });
    expect(logicalIdOf(signing.key)).toMatch(/PassSigningKeyV2/);
    const kmsReads = statementsOfRole(bare.template, logicalIdOf(signing.publisher.role)).filter(
      (statement) => statement.actions.some((action) => action.startsWith('kms:')),
    );
    expect(kmsReads).toHaveLength(1);
    expect(kmsReads[0]?.actions).toEqual(['kms:GetPublicKey']);
    // The current and previous pass keys, and the rules key (its public key is published too).
    const read = (kmsReads[0]?.resources ?? []).map((resource) => JSON.stringify(resource));
    expect(read).toHaveLength(3);
    expect(read.filter((r) => r.includes(logicalIdOf(signing.key)))).toHaveLength(1);
    expect(read.filter((r) => r.includes(`:key/${previousKeyId}`))).toHaveLength(1);
    expect(read.filter((r) => r.includes(logicalIdOf(signing.rulesKey)))).toHaveLength(1);
    for (const fn of Object.values(functions)) {
      const statements = statementsOfRole(bare.template, logicalIdOf(fn.role));
      expect(JSON.stringify(statements), fn.node.id).not.toContain(previousKeyId);
      const env = propsOf(bare.template.toJSON().Resources[logicalIdOf(fn.fn)]).Environment;
      expect(JSON.stringify(env), fn.node.id).not.toContain(previousKeyId);
    }
    bare.template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/ResultGate-dev-pass-signing',
    });
  });
});
