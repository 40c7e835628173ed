import { describe, expect, it } from 'vitest';
import { policyFor } from '../../../functions/http/policy.js';
import { routes } from '../../../lib/routes.js';

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
