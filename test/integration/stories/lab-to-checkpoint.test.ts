import { describe, expect, it, vi } from 'vitest';
import { type InProcessDriver, startInProcessDriver } from '../../stories/in-process-driver.js';
import { labToCheckpointStories } from '../../stories/lab-to-checkpoint.cases.js';
import { aResult } from '../../support/fixtures.js';

/**
 * The lab-to-checkpoint story with the handler modules called in-process (test/stories/in-process-driver.ts);
 * test/e2e/stories/ runs the same cases over HTTP against the local stack.
 */
describe('the lab-to-checkpoint story, in-process', () => {
  let driver: InProcessDriver | undefined;
  const theDriver = (): InProcessDriver => {
    if (!driver) throw new Error('the driver did not start');
    return driver;
  };

  labToCheckpointStories(async () => {
    driver = await startInProcessDriver();
    return driver;
  });

  // What HTTP cannot see: the log lines, the queue's messages and the authorizer's policy itself.
  describe('and what only the in-process driver can look at', () => {
    it('a NOT_VALID answer is logged with the device and the reason only, for the guessing alarm', async () => {
      const { steps } = theDriver();
      const device = await steps.aDevice('Chốt Km 6');
      // Imported now, not at the top: a restart case loaded the handler modules (and this one) afresh.
      const { logger } = await import('../../../functions/observability.js');
      const info = vi.spyOn(logger, 'info');

      const verified = await steps.checkpointVerifies(device, {
        idType: 'CCCD',
        idNumber: '001099000777',
        dateOfBirth: '1999-07-07',
      });

      expect(verified.body).toMatchObject({ verdict: 'NOT_VALID' });
      const lines = info.mock.calls.filter(([message]) => message === 'not valid answered');
      expect(lines).toEqual([['not valid answered', { deviceId: device.id, reason: 'NO_VALID_RESULT' }]]);
      expect(JSON.stringify(lines)).not.toMatch(/001099000777|1999-07-07/);
      info.mockRestore();
    });

    it('nothing in the queue message reveals the ID number, the name, the birth date or the phone', async () => {
      const { steps, peekQueue } = theDriver();
      const lab = await steps.aLab();
      const result = aResult({
        sampleId: 'IT-PRIVACY',
        dateOfBirth: '1999-12-31',
        fullName: 'Phạm Minh Châu',
        phone: '0912345678',
      });

      await steps.labSubmits(lab, [result]);
      const bodies = await peekQueue();

      const body = bodies.find((text) => text.includes('IT-PRIVACY'));
      expect(body).toBeDefined();
      for (const secret of [result.citizen.idNumber, 'Phạm Minh Châu', 'Minh', '1999-12-31', '0912345678']) {
        expect(body).not.toContain(secret);
      }
    });

    it("the authorizer allows only the role's routes, with the device's own usage key, and refuses unknown credentials", async () => {
      const { steps, authorize } = theDriver();
      const device = await steps.aDevice('Chốt');

      const policy = await authorize(device.credential, 'POST', '/v1/verify');

      const statements = policy.policyDocument.Statement;
      expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow' })]);
      expect(JSON.stringify(statements)).toContain('/POST/v1/verify');
      expect(JSON.stringify(statements)).not.toContain('/v1/results');
      // Its own API key, so API Gateway meters this device alone (functions/http/policy.ts, usageKeyOf).
      expect(policy.usageIdentifierKey).toMatch(
        new RegExp(`^rg(local|dev|prod)${device.id.replace('_', '')}$`),
      );
      await expect(authorize('rg_dev_this-is-not-a-known-credential', 'POST', '/v1/verify')).rejects.toThrow(
        'Unauthorized',
      );
    });

    it('the authorizer answers a suspended lab with a Deny', async () => {
      const { steps, authorize } = theDriver();
      const lab = await steps.aLab();
      await steps.operatorSuspendsLab(lab);

      const policy = await authorize(lab.credential, 'POST', '/v1/results');

      expect(policy.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny' })]);
    });
  });
});
