import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../functions/domain/registry.js';
import { lambdaContext } from '../../support/fixtures.js';
import { aLab } from './labs.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const HOUR = 3_600_000;

const scheduledEvent = (): ScheduledEvent => ({
  version: '0',
  id: 'event-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'ap-southeast-1',
  resources: ['arn:aws:events:ap-southeast-1:000000000000:rule/FreshnessSchedule'],
  detail: {},
});

/** What the function writes, one JSON document per line: EMF metrics and logs (stdout, stderr). */
const captureOutput = () => {
  const lines: Record<string, unknown>[] = [];
  const collect = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim().startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(collect),
    vi.spyOn(process.stderr, 'write').mockImplementation(collect),
  ];
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
};

const emfValue = (lines: readonly Record<string, unknown>[], metric: string) =>
  lines.filter((line) => '_aws' in line && metric in line).map((line) => line[metric]);

const labsInTable = (labs: readonly Principal[]) =>
  dynamo
    .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ROLE#lab' } })
    .resolves({ Items: labs.map((lab) => ({ pk: 'ROLE#lab', sk: lab.id, ...lab })) });

describe('check-freshness (scheduled)', () => {
  let handler: typeof import('../../../functions/handlers/check-freshness.js').handler;

  beforeAll(async () => {
    vi.stubEnv('REGISTRY_TABLE', 'registry-under-test');
    vi.stubEnv('STALE_LAB_HOURS', '24');
    vi.stubEnv('AWS_REGION', 'ap-southeast-1');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    ({ handler } = await import('../../../functions/handlers/check-freshness.js'));
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    dynamo.reset();
  });

  it('emits StaleLabs with the number of stale active labs and logs only their ids', async () => {
    const now = Date.now();
    labsInTable([
      aLab({ id: 'lab_stale', name: 'Bệnh viện A', lastResultAt: new Date(now - 30 * HOUR).toISOString() }),
      aLab({ id: 'lab_fresh', lastResultAt: new Date(now - HOUR).toISOString() }),
      aLab({ id: 'lab_quiet', status: 'SUSPENDED', createdAt: new Date(now - 90 * HOUR).toISOString() }),
    ]);
    const out = captureOutput();

    const report = await handler(scheduledEvent(), lambdaContext());
    out.restore();

    expect(report.stale.map((lab) => lab.id)).toEqual(['lab_stale']);
    expect(emfValue(out.lines, 'StaleLabs')).toEqual([1]);
    const emf = out.lines.find((line) => 'StaleLabs' in line);
    expect(JSON.stringify(emf)).toContain('"Namespace":"ResultGate"');
    expect(emf).toMatchObject({ service: 'resultgate' });
    const warning = out.lines.find((line) => line.message === 'stale labs');
    expect(warning).toMatchObject({ staleLabIds: ['lab_stale'], staleLabs: 1, activeLabs: 2 });
    expect(JSON.stringify(out.lines)).not.toContain('Bệnh viện A');
  });

  it('emits StaleLabs 0 when every active lab is fresh, so the alarm always has data', async () => {
    labsInTable([aLab({ lastResultAt: new Date().toISOString() })]);
    const out = captureOutput();

    await handler(scheduledEvent(), lambdaContext());
    out.restore();

    expect(emfValue(out.lines, 'StaleLabs')).toEqual([0]);
  });

  it('emits StaleLabs 0 when no lab is registered yet', async () => {
    labsInTable([]);
    const out = captureOutput();

    await handler(scheduledEvent(), lambdaContext());
    out.restore();

    expect(emfValue(out.lines, 'StaleLabs')).toEqual([0]);
  });

  it('reads the registry table the configuration names', async () => {
    labsInTable([]);
    const out = captureOutput();

    await handler(scheduledEvent(), lambdaContext());
    out.restore();

    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.TableName).toBe('registry-under-test');
  });
});
