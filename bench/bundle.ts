import { build, type Metafile } from 'esbuild';
import { esmRequireShim, lambdaBundleAliases } from '../lib/bundling.js';

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/**
 * Bundles an entry exactly as the house construct (lib/constructs/house-function.ts) has NodejsFunction
 * do it: ESM, minified, platform node, target node22, source maps without the sources' text, the AWS
 * SDK bundled, nothing external,
 * `module` before `main`, the same `require` shim banner and the same package aliases.
 */
export const bundleLikeHouse = async (entry: string, outfile: string): Promise<Bundle> => {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: esmRequireShim },
    external: [],
    alias: { ...lambdaBundleAliases },
    metafile: true,
    logLevel: 'error',
  });
  const output =
    result.metafile.outputs[Object.keys(result.metafile.outputs).find((name) => name.endsWith('.mjs')) ?? ''];
  return { file: outfile, bytes: output?.bytes ?? 0, metafile: result.metafile };
};

/** The heaviest packages of a bundle, by bytes of output they contribute. */
export const heaviestPackages = (metafile: Metafile, top = 12): { name: string; bytes: number }[] => {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name =
        match?.[1] ??
        (path.startsWith('functions/') ? `(ours) ${path.split('/').slice(0, 2).join('/')}` : path);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
};
