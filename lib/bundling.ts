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
 * Packages swapped for a smaller stand-in (esbuild `alias`; paths relative to the project root, where
 * esbuild runs). The SDK's default credential chain becomes the environment alone, which is where Lambda
 * puts a function's credentials: see functions/clients/lambda-credentials.ts.
 */
export const lambdaBundleAliases: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './functions/clients/lambda-credentials.ts',
};
