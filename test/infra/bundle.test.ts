import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HouseFunction } from '../../lib/constructs/house-function.js';
import { type FunctionName, functions } from '../../lib/routes.js';
import { logicalIdOf, type Synthesized, synth } from './synth.js';

const functionNames = Object.keys(functions) as FunctionName[];

/** One real synth, bundling every handler with the local esbuild as `cdk synth` does. */
describe('bundles', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth('dev', { bundle: true });
  });

  const bundleOfFunction = (fn: HouseFunction): string => {
    const resource = synthesized.template.toJSON().Resources[logicalIdOf(fn.fn)];
    const assetPath: unknown = resource?.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${fn.node.path} has no asset path`);
    return path.join(synthesized.outdir, assetPath);
  };
  const bundleOf = (name: FunctionName): string => bundleOfFunction(synthesized.stack.functions[name]);
  const sourcesOf = (dir: string): string[] => {
    const map: unknown = JSON.parse(readFileSync(path.join(dir, 'index.mjs.map'), 'utf8'));
    return (map as { sources: string[] }).sources;
  };
  const kmsClientSources = (dir: string) =>
    sourcesOf(dir).filter((source) => source.includes('node_modules/@aws-sdk/client-kms/'));

  it.each(functionNames)('bundles %s as minified ESM with the require shim and a source map', (name) => {
    const dir = bundleOf(name);
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __rgCreateRequire } from 'node:module';")).toBe(true);
    expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
    // Mappings only: a stack trace needs no source text, and the asset stays small.
    expect(readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')).not.toContain('"sourcesContent"');
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });

  it.each(functionNames)('%s takes credentials from the environment only (lib/bundling.ts)', (name) => {
    const sources = sourcesOf(bundleOf(name));
    const usesAws = sources.some((source) => source.includes('node_modules/@aws-sdk/'));
    if (!usesAws) return;
    expect(sources.some((source) => source.endsWith('functions/clients/lambda-credentials.ts'))).toBe(true);
    const chain = sources.filter((source) =>
      /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients)\//.test(
        source,
      ),
    );
    expect(chain).toEqual([]);
  });

  it.each(functionNames)(
    '%s loads no node:stream/web: its one import is the stand-in (lib/bundling.ts)',
    (name) => {
      const dir = bundleOf(name);
      expect(readFileSync(path.join(dir, 'index.mjs'), 'utf8')).not.toContain('stream/web');
      const middy = sourcesOf(dir).some((source) => source.includes('node_modules/@middy/core/'));
      const standIn = sourcesOf(dir).some((source) => source.endsWith('functions/stand-ins/web-streams.ts'));
      expect(standIn).toBe(middy);
    },
  );

  it.each(functionNames)(
    '%s makes one DynamoDB client at most: the caching low-level one or the DocumentClient',
    (name) => {
      const sources = sourcesOf(bundleOf(name));
      const clients = ['functions/clients/dynamodb-client.ts', 'functions/clients/dynamodb.ts'].filter(
        (client) => sources.some((source) => source.endsWith(client)),
      );
      expect(clients.length).toBeLessThanOrEqual(1);
    },
  );

  it.each(['verifyHolder', 'getKeys'] as const)(
    '%s carries no KMS client: its keys are configuration',
    (name) => {
      expect(kmsClientSources(bundleOf(name))).toEqual([]);
    },
  );

  it('verifyHolder carries no schema library: a refused body is explained by hand (verify-body-explain.ts)', () => {
    const sources = sourcesOf(bundleOf('verifyHolder'));
    expect(sources.some((source) => source.endsWith('functions/schemas/verify-body-explain.ts'))).toBe(true);
    expect(sources.filter((source) => source.includes('node_modules/zod/'))).toEqual([]);
  });

  it('bundles the deploy-time key publisher like every function, with the KMS client it calls', () => {
    const dir = bundleOfFunction(synthesized.stack.signing.publisher);
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __rgCreateRequire } from 'node:module';")).toBe(true);
    expect(sourcesOf(dir).some((source) => source.endsWith('functions/clients/lambda-credentials.ts'))).toBe(
      true,
    );
    expect(kmsClientSources(dir)).not.toEqual([]);
  });
});
