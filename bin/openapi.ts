/**
 * `npm run openapi`: writes the OpenAPI document generated from the zod schemas to docs/openapi.json.
 * `npm run openapi -- --check` only compares, and exits 1 when the committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderOpenApiDocument } from '../functions/openapi/document.js';
import { projectRoot } from '../lib/paths.js';

const file = join(projectRoot, 'docs', 'openapi.json');
const fresh = renderOpenApiDocument();

if (process.argv.includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== fresh) {
    process.stderr.write('docs/openapi.json is stale: run `npm run openapi` and commit the result.\n');
    process.exitCode = 1;
  }
} else {
  await writeFile(file, fresh);
  process.stdout.write(`wrote ${file}\n`);
}
