import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistryTable, type RegistryTable } from '../../../functions/adapters/registry-table.js';
import { makeRegistryCommands } from '../../../functions/domain/registry.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

const HOUR = 3_600_000;

let emulators: TestEmulators;
let registry: RegistryTable;
let listFacilities: typeof import('../../../functions/handlers/list-facilities.js').handler;
let checkFreshness: typeof import('../../../functions/handlers/check-freshness.js').handler;

beforeAll(async () => {
  emulators = await startTestEmulators();
  emulators.applyEnv();
  process.env.STALE_LAB_HOURS = '24';
  registry = makeRegistryTable(emulators.dynamo, emulators.names.registryTable);
  ({ handler: listFacilities } = await import('../../../functions/handlers/list-facilities.js'));
  ({ handler: checkFreshness } = await import('../../../functions/handlers/check-freshness.js'));
});

afterAll(async () => {
  await emulators?.stop();
});

describe('the registry table behind the facilities list and the freshness check', () => {
  it('publishes each lab with its stored-result times and reports only the silent lab as stale', async () => {
    // Given a lab registered two days ago that stored a result an hour ago, and one that never sent any
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    const commands = makeRegistryCommands(registry, { now: () => twoDaysAgo });
    const active = await commands.addLab({
      name: 'CDC Quảng Ninh',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    const silent = await commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RAPID_ANTIGEN'],
    });
    await commands.addDevice('Chốt Km 5');
    const storedAt = new Date(Date.now() - HOUR).toISOString();
    await registry.recordStored(active.id, { first: storedAt, last: storedAt });

    // When the public reads the list
    const response = await listFacilities(
      apiEvent({ method: 'GET', path: '/v1/facilities' }),
      lambdaContext(),
    );

    // Then both labs appear with their lifecycle, ordered by name within the province, and nothing else
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Cache-Control': 'public, max-age=60' });
    const body: unknown = JSON.parse(response.body);
    expect(body).toMatchObject({
      facilities: [
        { id: silent.id, status: 'ACTIVE', integratedSince: null, lastResultAt: null },
        { id: active.id, status: 'ACTIVE', integratedSince: storedAt, lastResultAt: storedAt },
      ],
    });
    expect(response.body).not.toContain('credentialHash');

    // And the hourly check reports the silent lab only
    const report = await checkFreshness(
      {
        version: '0',
        id: 'e',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '0',
        time: '',
        region: 'us-east-1',
        resources: [],
        detail: {},
      },
      lambdaContext(),
    );
    expect(report.stale.map((lab) => lab.id)).toEqual([silent.id]);
  });
});
