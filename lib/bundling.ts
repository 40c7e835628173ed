/**
 * How every Lambda function is bundled, shared by the house construct (lib/constructs/house-function.ts)
 * and the benchmark (bench/bundle.ts), so that what is measured is what is deployed.
 */

/**
 * ESM bundles have no `require`; some dependencies (and the AWS SDK's CommonJS corners) still call it.
 * The shim gives the bundle a real `require` bound to the module's own URL.
 */
export const esmRequireShim =
  "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);";

/**
 * Modules swapped for a smaller stand-in (esbuild `alias`; paths relative to the project root, where
 * esbuild runs), each cutting what every cold start parses or loads:
 * - the SDK's default credential chain becomes the environment alone, which is where Lambda puts a
 *   function's credentials: see functions/clients/lambda-credentials.ts;
 * - `node:stream/web` (or `stream/web`) becomes Node's global `ReadableStream`, the one name imported from it: see
 *   functions/stand-ins/web-streams.ts.
 */
export const lambdaBundleAliases: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './functions/clients/lambda-credentials.ts',
  'node:stream/web': './functions/stand-ins/web-streams.ts',
  'stream/web': './functions/stand-ins/web-streams.ts',
};

/**
 * The CDK writes "Bundling asset <path>..." to stderr for every function on every synth, with no switch
 * to turn it off, so `cdk synth -q` would not be quiet. The app drops exactly those progress lines;
 * everything else on stderr (errors, warnings, esbuild's errors) passes through.
 */
export const silenceBundlingProgress = (stream: NodeJS.WriteStream = process.stderr): void => {
  const write = stream.write.bind(stream);
  const progress = /^Bundling asset \S+\.\.\.\n$/;
  stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string' && progress.test(chunk)) return true;
    return Reflect.apply(write, stream, [chunk, ...rest]);
  }) as typeof stream.write;
};
