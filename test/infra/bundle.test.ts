import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functions } from '../../lib/routes.js';
import { logicalIdOf, type Synthesized, synth } from './synth.js';

const functionNames = Object.keys(functions) as FunctionName[];

/** One real synth, bundling every handler with the local esbuild as `cdk synth` does. */
describe('bundles', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth('dev', { bundle: true });
  });

  const bundleOf = (name: FunctionName): string => {
    const resource =
      synthesized.template.toJSON().Resources[logicalIdOf(synthesized.stack.functions[name].fn)];
    const assetPath: unknown = resource?.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${name} has no asset path`);
    return path.join(synthesized.outdir, assetPath);
  };

  it.each(functionNames)('bundles %s as minified ESM with the require shim and a source map', (name) => {
    const dir = bundleOf(name);
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __rgCreateRequire } from 'node:module';")).toBe(true);
    expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });

  it.each(functionNames)('%s takes credentials from the environment only (lib/bundling.ts)', (name) => {
    const map: unknown = JSON.parse(readFileSync(path.join(bundleOf(name), 'index.mjs.map'), 'utf8'));
    const sources = (map as { sources: string[] }).sources;
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
});
