/**
 * Stands in for `node:stream/web` inside the Lambda bundles (lib/bundling.ts aliases it here). The only
 * importer there is middy 6, which takes `ReadableStream` to recognise a streamed response; none of the
 * functions streams. Importing `node:stream/web` loads every web stream (writable, transform, compression,
 * text encoding) at each cold start; Node's global `ReadableStream` is the same class, loaded alone, and
 * the AWS SDK loads it anyway. Importing any other name by name fails the bundle, loudly;
 * test/infra/bundle.test.ts holds that a bundle has this file exactly when it has middy.
 */
export const { ReadableStream } = globalThis;
