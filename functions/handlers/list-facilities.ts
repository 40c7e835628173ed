import { systemClock } from '../../contract/clock.js';
import { makeRegistryTable } from '../adapters/registry-table.js';
import { makeRevocationsTable } from '../adapters/revocations-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { listFacilities } from '../domain/facilities.js';
import { apiHandler } from '../http/api-handler.js';

const config = loadConfig(['REGISTRY_TABLE', 'RETENTION_DAYS']);
const registry = makeRegistryTable(dynamo, config.REGISTRY_TABLE);
const revocations = makeRevocationsTable(dynamo, config.REGISTRY_TABLE);

/** The contract's cache lifetime: the list changes slowly, and the public may poll it. */
const CACHE_CONTROL = 'public, max-age=60';

/** GET /v1/facilities: the public registry of labs, their status and when they last sent results. */
export const handler = apiHandler(async () => ({
  status: 200,
  body: await listFacilities({
    registry,
    revocations,
    retentionDays: config.RETENTION_DAYS,
    clock: systemClock,
  }),
  headers: { 'Cache-Control': CACHE_CONTROL },
}));
