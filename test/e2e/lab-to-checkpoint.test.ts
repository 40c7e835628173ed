import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aResult } from '../support/fixtures.js';
import { eventually, startStack, type TestStack } from '../support/local-stack.js';

/** The whole path over HTTP, as the README walks it: lab → queue → store → checkpoint. */
describe('the local stack, from lab to checkpoint', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('answers the health check', async () => {
    const health = await stack.call('GET', '/v1/health');

    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('shows VALID at the checkpoint for a fresh negative result, and keeps it across a restart', async () => {
    // Given a lab and a checkpoint device
    const lab = await stack.addLab();
    const device = await stack.addDevice();
    const result = aResult({ sampleId: 'E2E-1', idNumber: '022 090 001234', dateOfBirth: '1990-05-01' });

    // When the lab submits a negative result
    const submitted = await stack.call('POST', '/v1/results', lab.credential, { results: [result] });

    // Then it is accepted, stored, and the checkpoint sees VALID
    expect(submitted).toMatchObject({ status: 202, body: { accepted: 1, rejected: 0 } });
    await eventually(
      async () => (await stack.call('GET', '/v1/results/E2E-1', lab.credential)).status === 200,
    );
    const manual = { idType: 'CCCD', idNumber: '022090001234', dateOfBirth: '1990-05-01' };
    const verdict = await stack.call('POST', '/v1/verify', device.credential, manual);
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({
      verdict: 'VALID',
      testType: 'RT_PCR',
      facility: { id: lab.id, name: 'Bệnh viện Bãi Cháy' },
      holder: { maskedName: 'N***** V** A*', birthYear: 1990 },
    });

    // And after Ctrl-C and a new start, results and credentials are still there
    await stack.restart();
    const again = await stack.call('POST', '/v1/verify', device.credential, manual);
    expect(again.body).toMatchObject({ verdict: 'VALID' });
  });

  it('keeps a result that was still queued when the stack stopped', async () => {
    const lab = await stack.addLab();
    const device = await stack.addDevice();
    const result = aResult({ sampleId: 'E2E-QUEUED', dateOfBirth: '1985-01-02' });

    await stack.call('POST', '/v1/results', lab.credential, { results: [result] });
    await stack.restart();

    await eventually(
      async () => (await stack.call('GET', '/v1/results/E2E-QUEUED', lab.credential)).status === 200,
    );
    const verdict = await stack.call('POST', '/v1/verify', device.credential, {
      idType: 'CCCD',
      idNumber: result.citizen.idNumber,
      dateOfBirth: '1985-01-02',
    });
    expect(verdict.body).toMatchObject({ verdict: 'VALID' });
  });

  it('refuses a missing credential with 401 and a wrong role with 403, in the contract shape', async () => {
    const lab = await stack.addLab();

    const missing = await stack.call('POST', '/v1/verify', undefined, { qr: 'x' });
    const unknown = await stack.call('POST', '/v1/verify', 'rg_dev_not-a-real-credential-at-all', {
      qr: 'x',
    });
    const wrongRole = await stack.call('POST', '/v1/verify', lab.credential, { qr: 'x' });

    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(wrongRole).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('answers NOT_VALID when the date of birth does not match', async () => {
    const lab = await stack.addLab();
    const device = await stack.addDevice();
    const result = aResult({ sampleId: 'E2E-DOB', dateOfBirth: '1970-03-04' });
    await stack.call('POST', '/v1/results', lab.credential, { results: [result] });
    await eventually(
      async () => (await stack.call('GET', '/v1/results/E2E-DOB', lab.credential)).status === 200,
    );

    const verdict = await stack.call('POST', '/v1/verify', device.credential, {
      idType: 'CCCD',
      idNumber: result.citizen.idNumber,
      dateOfBirth: '1970-03-05',
    });

    expect(verdict.body).toMatchObject({ verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT' });
  });
});
