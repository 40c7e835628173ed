import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { allowedBy, compiledResourceCount, MAX_COMPILED_RESOURCES } from '../../../local/routing.js';

const BASE = 'arn:aws:execute-api:us-east-1:000000000000:local/local';

const policy = (
  ...statements: { readonly effect: 'Allow' | 'Deny'; readonly resource: string | string[] }[]
): APIGatewayAuthorizerResult => ({
  principalId: 'device-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: statements.map(({ effect, resource }) => ({
      Action: 'execute-api:Invoke',
      Effect: effect,
      Resource: resource,
    })),
  },
});

describe('allowedBy (the local gateway’s reading of an authorizer policy)', () => {
  it('matches `*` across anything and every other character literally, answer after answer', () => {
    const allow = policy({ effect: 'Allow', resource: `${BASE}/GET/v1/results/*` });
    // The same policy asked again and again, for ARNs that match and ARNs that do not: a pattern read
    // once answers for every later ARN as it did for the first.
    for (let i = 0; i < 3; i += 1) {
      expect(allowedBy(allow, `${BASE}/GET/v1/results/S-1`)).toBe(true);
      expect(allowedBy(allow, `${BASE}/GET/v1/results/a/b`)).toBe(true);
      expect(allowedBy(allow, `${BASE}/POST/v1/results/S-1`)).toBe(false);
      expect(allowedBy(allow, `${BASE}/GET/v1/results`)).toBe(false);
    }
    // `?` matches exactly one character, as in IAM.
    const one = policy({ effect: 'Allow', resource: `${BASE}/GET/v1/results/S-?` });
    expect(allowedBy(one, `${BASE}/GET/v1/results/S-7`)).toBe(true);
    expect(allowedBy(one, `${BASE}/GET/v1/results/S-`)).toBe(false);
    expect(allowedBy(one, `${BASE}/GET/v1/results/S-77`)).toBe(false);
    // `.`, `+` and `(` in a pattern are not regular-expression syntax.
    const literal = policy({ effect: 'Allow', resource: `${BASE}/GET/v1/a.b+(c)` });
    expect(allowedBy(literal, `${BASE}/GET/v1/a.b+(c)`)).toBe(true);
    expect(allowedBy(literal, `${BASE}/GET/v1/aXb+(c)`)).toBe(false);
    expect(allowedBy(literal, `${BASE}/GET/v1/a.bb(c)`)).toBe(false);
  });

  it('lets a matching Deny win over an Allow, and allows nothing without a matching Allow', () => {
    const arn = `${BASE}/POST/v1/verify`;
    expect(allowedBy(policy({ effect: 'Allow', resource: `${BASE}/*` }), arn)).toBe(true);
    expect(
      allowedBy(
        policy({ effect: 'Allow', resource: `${BASE}/*` }, { effect: 'Deny', resource: [`${BASE}/POST/*`] }),
        arn,
      ),
    ).toBe(false);
    expect(allowedBy(policy({ effect: 'Deny', resource: `${BASE}/GET/*` }), arn)).toBe(false);
    expect(allowedBy(policy({ effect: 'Allow', resource: [] }), arn)).toBe(false);
  });

  it('keeps at most a bounded number of patterns compiled, and answers rightly past the bound', () => {
    // More distinct patterns than the gateway keeps compiled: each is still read for what it says.
    let most = 0;
    for (let i = 0; i < 2.5 * MAX_COMPILED_RESOURCES; i += 1) {
      const allow = policy({ effect: 'Allow', resource: `${BASE}/GET/v1/results/S-${i}` });
      expect(allowedBy(allow, `${BASE}/GET/v1/results/S-${i}`)).toBe(true);
      expect(allowedBy(allow, `${BASE}/GET/v1/results/S-${i + 1}`)).toBe(false);
      most = Math.max(most, compiledResourceCount());
    }
    expect(most).toBe(MAX_COMPILED_RESOURCES);
  });
});
