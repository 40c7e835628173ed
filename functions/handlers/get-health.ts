import { apiHandler } from '../http/api-handler.js';

export const handler = apiHandler(async () => ({ status: 200, body: { status: 'ok' } }));
