import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { facilityListSchema } from '../../../functions/schemas/facilities.js';
import { aResult } from '../../support/fixtures.js';
import { eventually, startStack, type TestStack } from '../../support/local-stack.js';

const CONTRACT_FIELDS = ['id', 'integratedSince', 'lastResultAt', 'name', 'province', 'status', 'testTypes'];
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** GET /v1/facilities over HTTP, as the public and the media read it. */
describe('the public facilities list on the local stack', () => {
  let stack: TestStack;

  const facilities = async () => {
    const response = await stack.call('GET', '/v1/facilities');
    return { ...response, list: facilityListSchema.parse(response.body) };
  };
  const facility = async (id: string) => (await facilities()).list.facilities.find((f) => f.id === id);

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('answers without a credential, cacheable for 60 seconds', async () => {
    const response = await stack.call('GET', '/v1/facilities');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('shows a lab with no results yet with null integratedSince and lastResultAt', async () => {
    const lab = await stack.addLab('Trung tâm Y tế Vân Đồn', 'RAPID_ANTIGEN');

    expect(await facility(lab.id)).toEqual({
      id: lab.id,
      name: 'Trung tâm Y tế Vân Đồn',
      province: 'Quảng Ninh',
      testTypes: ['RAPID_ANTIGEN'],
      status: 'ACTIVE',
      integratedSince: null,
      lastResultAt: null,
    });
  });

  it('gives a lab integratedSince and lastResultAt once one of its results is stored', async () => {
    const lab = await stack.addLab('CDC Quảng Ninh');
    const before = new Date().toISOString();

    await stack.call('POST', '/v1/results', lab.credential, { results: [aResult({ sampleId: 'FAC-1' })] });
    await eventually(async () => (await facility(lab.id))?.lastResultAt != null);

    const listed = await facility(lab.id);
    expect(listed?.integratedSince).toMatch(RFC3339_UTC);
    expect(listed?.lastResultAt).toBe(listed?.integratedSince);
    expect(String(listed?.lastResultAt) >= before).toBe(true);
  });

  it('keeps integratedSince and moves lastResultAt with a later result', async () => {
    const lab = await stack.addLab('Bệnh viện Đa khoa tỉnh');
    await stack.call('POST', '/v1/results', lab.credential, { results: [aResult({ sampleId: 'FAC-2' })] });
    await eventually(async () => (await facility(lab.id))?.lastResultAt != null);
    const first = await facility(lab.id);

    await stack.call('POST', '/v1/results', lab.credential, { results: [aResult({ sampleId: 'FAC-3' })] });
    await eventually(async () => (await facility(lab.id))?.lastResultAt !== first?.lastResultAt);

    const later = await facility(lab.id);
    expect(later?.integratedSince).toBe(first?.integratedSince);
    expect(String(later?.lastResultAt) > String(first?.lastResultAt)).toBe(true);
  });

  it('shows a suspended lab as SUSPENDED, and ACTIVE again once resumed', async () => {
    const lab = await stack.addLab('Bệnh viện Cẩm Phả');

    await stack.admin('lab', 'suspend', lab.id);
    const suspended = await facility(lab.id);
    await stack.admin('lab', 'resume', lab.id);
    const resumed = await facility(lab.id);

    expect(suspended?.status).toBe('SUSPENDED');
    expect(resumed?.status).toBe('ACTIVE');
  });

  it('never lists checkpoint devices or app backends', async () => {
    const device = await stack.addDevice('Chốt Km 5');
    const app = await stack.addApp('Bluezone');

    const { list } = await facilities();

    const ids = list.facilities.map((f) => f.id);
    expect(ids).not.toContain(device.id);
    expect(ids).not.toContain(app.id);
    expect(ids.every((id) => id.startsWith('lab_'))).toBe(true);
  });

  it('carries no field beyond the contract, and no credential material', async () => {
    const lab = await stack.addLab('Phòng xét nghiệm Hạ Long');

    const response = await stack.call('GET', '/v1/facilities');

    const body = z.object({ facilities: z.array(z.record(z.string(), z.unknown())) }).parse(response.body);
    expect(Object.keys(z.record(z.string(), z.unknown()).parse(response.body)).sort()).toEqual([
      'facilities',
      'updatedAt',
    ]);
    for (const entry of body.facilities) expect(Object.keys(entry).sort()).toEqual(CONTRACT_FIELDS);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(lab.credential);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain('credentialHash');
  });

  it('orders the labs by province then name, and dates the list at the time it was read', async () => {
    const before = new Date().toISOString();

    const { list } = await facilities();

    expect(list.updatedAt >= before).toBe(true);
    const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
    const sorted = [...list.facilities].sort(
      (a, b) => collator.compare(a.province, b.province) || collator.compare(a.name, b.name),
    );
    expect(list.facilities.map((f) => f.id)).toEqual(sorted.map((f) => f.id));
  });
});
