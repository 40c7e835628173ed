import { describe, expect, it } from 'vitest';
import { routes } from '../../../contract/routes.js';
import { policyFor, usageKeyOf } from '../../../functions/http/policy.js';

const methodArn = 'arn:aws:execute-api:ap-southeast-1:123456789012:abc123/prod/POST/v1/results';

describe('policyFor', () => {
  it("allows every route of the principal's role, with path parameters as wildcards, and nothing else", () => {
    const policy = policyFor('lab_1', 'lab', methodArn, { role: 'lab' }, 'usage-key-of-the-lab-plan');

    const [statement] = policy.policyDocument.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow' });
    const resources = statement && 'Resource' in statement ? statement.Resource : [];
    expect(resources).toEqual(
      routes
        .filter((route) => route.access === 'lab')
        .map(
          (route) =>
            `arn:aws:execute-api:ap-southeast-1:123456789012:abc123/prod/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
        ),
    );
    expect(resources).toContain(
      'arn:aws:execute-api:ap-southeast-1:123456789012:abc123/prod/GET/v1/results/*',
    );
    expect(policy.usageIdentifierKey).toBe('usage-key-of-the-lab-plan');
  });

  it('denies everything when there is no role (a suspended lab)', () => {
    const policy = policyFor('suspended', undefined, methodArn, {});

    expect(policy.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: 'arn:aws:execute-api:ap-southeast-1:123456789012:abc123/prod/*',
      },
    ]);
  });
});

describe('usageKeyOf', () => {
  it('derives the API-key value from the stage and the principal id, alphanumerics only', () => {
    expect(usageKeyOf('prod', 'dev_9a8b7c6d5e4f3a2b')).toBe('rgproddev9a8b7c6d5e4f3a2b');
    expect(usageKeyOf('dev', 'lab_3f9a1c2b4d5e6f70')).toBe('rgdevlab3f9a1c2b4d5e6f70');
  });

  it('gives each stage its own value, as API-key values are unique per account and Region', () => {
    expect(usageKeyOf('dev', 'app_0a1b2c3d4e5f6a7b')).not.toBe(usageKeyOf('prod', 'app_0a1b2c3d4e5f6a7b'));
  });

  it('yields 20 to 128 alphanumerics for every id the registry issues', () => {
    for (const id of ['lab_0000000000000000', 'dev_ffffffffffffffff', 'app_0123456789abcdef']) {
      for (const stage of ['local', 'dev', 'prod'])
        expect(usageKeyOf(stage, id)).toMatch(/^[A-Za-z0-9]{20,128}$/);
    }
  });

  it('refuses an id too short or too long to make a valid value, rather than a key API Gateway rejects', () => {
    expect(() => usageKeyOf('dev', 'x_1')).toThrow('No API-key value');
    expect(() => usageKeyOf('dev', 'a'.repeat(130))).toThrow('No API-key value');
  });
});
