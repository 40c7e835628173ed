import document from '../../docs/openapi.json' with { type: 'json' };
import { apiHandler } from '../http/api-handler.js';

/**
 * GET /v1/openapi.json: the committed OpenAPI document. It is generated from the zod schemas by
 * `npm run openapi` (functions/openapi/document.ts), and a test fails when the committed file differs from
 * a fresh generation; importing the file keeps the generator and its schemas out of this function's
 * bundle and its cold start.
 */
export const handler = apiHandler(async () => ({
  status: 200,
  body: document,
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
