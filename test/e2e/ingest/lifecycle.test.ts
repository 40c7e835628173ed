import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { aResult } from '../../support/fixtures.js';
import { startStack, type TestStack } from '../../support/local-stack.js';

/** The lab and device lifecycle over HTTP: `npm run admin` changes take effect at once locally. */
describe('lab and device lifecycle, over HTTP against the local stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  const submit = (credential: string, sampleId: string) =>
    stack.call('POST', '/v1/results', credential, { results: [aResult({ sampleId })] });

  it('refuses a suspended lab’s results with 403 FORBIDDEN and accepts them again after resume', async () => {
    // Given an active lab whose results are accepted
    const lab = await stack.addLab();
    expect(await submit(lab.credential, 'L-1')).toMatchObject({ status: 202 });

    // When the operator suspends it
    await stack.admin('lab', 'suspend', lab.id);
    const whileSuspended = await submit(lab.credential, 'L-2');

    // Then its results are refused in the contract's shape
    expect(whileSuspended).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await stack.admin('lab', 'list')).toMatchObject({
      labs: expect.arrayContaining([expect.objectContaining({ id: lab.id, status: 'SUSPENDED' })]),
    });

    // And after resume they are accepted again
    await stack.admin('lab', 'resume', lab.id);
    expect(await submit(lab.credential, 'L-3')).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('refuses the old credential with 401 at once after `lab rotate`, and accepts the new one', async () => {
    const lab = await stack.addLab();
    expect(await submit(lab.credential, 'R-1')).toMatchObject({ status: 202 });

    const rotated = z
      .object({ id: z.string(), credential: z.string() })
      .parse(await stack.admin('lab', 'rotate', lab.id));
    const fresh = rotated.credential;

    expect(rotated.id).toBe(lab.id);
    expect(fresh).not.toBe(lab.credential);
    expect(await submit(lab.credential, 'R-2')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect(await submit(fresh, 'R-3')).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('refuses a revoked device with 401 at once', async () => {
    const device = await stack.addDevice();
    const manual = { idType: 'CCCD', idNumber: '022090001234', dateOfBirth: '1990-05-01' };
    expect(await stack.call('POST', '/v1/verify', device.credential, manual)).toMatchObject({ status: 200 });

    await stack.admin('device', 'revoke', device.id);

    expect(await stack.call('POST', '/v1/verify', device.credential, manual)).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
  });

  it('refuses a lab credential on GET /v1/results/{sampleId} after suspension too', async () => {
    const lab = await stack.addLab();
    await stack.admin('lab', 'suspend', lab.id);

    const response = await stack.call('GET', '/v1/results/ANY-1', lab.credential);

    expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });
});
