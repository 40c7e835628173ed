import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stages, withDomainsFromContext } from '../../lib/stages.js';
import { logicalIdOf, propsOf, resourcesOf, type Synthesized, synth } from './synth.js';

const apiCertificateArn =
  'arn:aws:acm:ap-southeast-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const webCertificateArn =
  'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
const apiDomain = { name: 'api.covid.example.gov.vn', certificateArn: apiCertificateArn };
const webDomain = { name: 'kiemtra.covid.example.gov.vn', certificateArn: webCertificateArn };

/** The page's config.json as staged in the cloud assembly (the bucket deployment uploads it). */
const stagedConfigJson = (synthesized: Synthesized): unknown => {
  for (const entry of readdirSync(synthesized.outdir)) {
    const file = path.join(synthesized.outdir, entry, 'config.json');
    if (entry.startsWith('asset.') && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  }
  throw new Error('no config.json staged');
};

/** The environment variables of the verify function (CORS origins among them). */
const corsOf = (synthesized: Synthesized): unknown => {
  const fn =
    synthesized.template.toJSON().Resources[logicalIdOf(synthesized.stack.functions.verifyHolder.fn)];
  return JSON.stringify(propsOf(fn).Environment);
};

describe('a prod stack on the province’s own domains', () => {
  let onDomains: Synthesized;
  beforeAll(() => {
    onDomains = synth('prod', { overrides: { apiDomain, webDomain } });
  });

  it('gives the API a regional custom domain with its certificate and the TLS 1.3 policy, strict SNI', () => {
    onDomains.template.resourceCountIs('AWS::ApiGateway::DomainName', 1);
    onDomains.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: apiDomain.name,
      RegionalCertificateArn: apiCertificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: stages.prod.apiTlsPolicy,
      EndpointAccessMode: 'STRICT',
    });
  });

  it('maps the stage at the domain root and turns the execute-api address off', () => {
    onDomains.template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: Match.anyValue() },
      RestApiId: { Ref: logicalIdOf(onDomains.stack.api.api) },
      Stage: { Ref: Match.stringLikeRegexp('DeploymentStage') },
    });
    onDomains.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: true,
    });
    expect(onDomains.stack.api.url).toBe(`https://${apiDomain.name}`);
  });

  it('serves the page on its domain with the us-east-1 certificate and TLS 1.3', () => {
    onDomains.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [webDomain.name],
        ViewerCertificate: {
          AcmCertificateArn: webCertificateArn,
          MinimumProtocolVersion: 'TLSv1.3_2025',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });

  it("writes the API's domain into the page's config.json and allows the page's domain by CORS", () => {
    expect(stagedConfigJson(onDomains)).toEqual({
      apiBaseUrl: `https://${apiDomain.name}`,
      offlineRulesMaxAgeHours: stages.prod.offlineRulesMaxAgeHours,
      staleLabHours: stages.prod.staleLabHours,
    });
    expect(corsOf(onDomains)).toContain(`https://${webDomain.name}`);
  });

  it('outputs the names the province points its DNS records at', () => {
    const outputs = onDomains.template.toJSON().Outputs;
    expect(outputs.ApiUrl.Value).toBe(`https://${apiDomain.name}`);
    expect(outputs.WebUrl.Value).toBe(`https://${webDomain.name}`);
    expect(JSON.stringify(outputs.ApiDomainTarget.Value)).toContain('RegionalDomainName');
    expect(JSON.stringify(outputs.WebDomainTarget.Value)).toContain('DomainName');
  });

  it('leaves no AwsSolutions error or warning unacknowledged', () => {
    expect(onDomains.nagFindings.map((finding) => finding.ruleName)).toEqual([]);
  });
});

describe('a stack without custom domains', () => {
  let plain: Synthesized;
  beforeAll(() => {
    plain = synth('prod');
  });

  it('has no domain, no mapping, keeps the execute-api address and the default certificate', () => {
    plain.template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    plain.template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    const [restApi] = Object.values(resourcesOf(plain.template, 'AWS::ApiGateway::RestApi'));
    expect(propsOf(restApi ?? {}).DisableExecuteApiEndpoint).toBeUndefined();
    const [distribution] = Object.values(resourcesOf(plain.template, 'AWS::CloudFront::Distribution'));
    expect(JSON.stringify(distribution)).not.toContain('Aliases');
    const outputs = plain.template.toJSON().Outputs;
    expect(Object.keys(outputs)).not.toContain('ApiDomainTarget');
    expect(Object.keys(outputs)).not.toContain('WebDomainTarget');
    expect(plain.stack.api.url).toContain('execute-api');
  });
});

describe('domains from CDK context', () => {
  const contextOf =
    (values: Record<string, string>) =>
    (key: string): unknown =>
      values[key];

  it('takes both pairs from -c settings', () => {
    const stage = withDomainsFromContext(
      stages.prod,
      contextOf({
        apiDomain: apiDomain.name,
        apiCertificateArn,
        webDomain: webDomain.name,
        webCertificateArn,
      }),
    );
    expect(stage.apiDomain).toEqual(apiDomain);
    expect(stage.webDomain).toEqual(webDomain);
  });

  it('changes nothing without them', () => {
    expect(withDomainsFromContext(stages.dev, contextOf({}))).toEqual(stages.dev);
  });

  it('refuses half a pair, a bad host name, and a page certificate outside us-east-1', () => {
    expect(() => withDomainsFromContext(stages.prod, contextOf({ apiDomain: apiDomain.name }))).toThrow(
      /apiCertificateArn/,
    );
    expect(() =>
      withDomainsFromContext(stages.prod, contextOf({ apiDomain: 'API_example', apiCertificateArn })),
    ).toThrow(/not a lower-case host name/);
    expect(() =>
      withDomainsFromContext(
        stages.prod,
        contextOf({ webDomain: webDomain.name, webCertificateArn: apiCertificateArn }),
      ),
    ).toThrow(/us-east-1/);
  });
});
