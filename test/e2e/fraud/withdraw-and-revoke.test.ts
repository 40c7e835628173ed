import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { readRulesDocumentClaims } from '../../../contract/rules-document.js';
import { facilityListSchema } from '../../../functions/schemas/facilities.js';
import { aResult, cccdFor } from '../../support/fixtures.js';
import { eventually, startStack, type TestStack } from '../../support/local-stack.js';

const HOUR = 3_600_000;

/**
 * Fraud response over HTTP on the local stack: a lab withdraws a result (DELETE /v1/results/{sampleId})
 * and an operator revokes a lab's results (`results revoke`); both count for no verdict from the next
 * request on, a correction does not bring them back, and the public list and signed rules say so.
 */
describe('withdrawing and revoking results on the local stack', () => {
  let stack: TestStack;
  let device: string;

  /** A holder of their own per test, so that one test's results never decide another's verdict. */
  const holder = (serial: string) => {
    const dateOfBirth = '1988-02-03';
    return { dateOfBirth, idNumber: cccdFor(dateOfBirth, serial) };
  };
  const verdictOf = async (who: { idNumber: string; dateOfBirth: string }) => {
    const response = await stack.call('POST', '/v1/verify', device, { idType: 'CCCD', ...who });
    return z.object({ verdict: z.string() }).parse(response.body).verdict;
  };
  const stored = (lab: string, sampleId: string) => async () =>
    (await stack.call('GET', `/v1/results/${sampleId}`, lab)).status === 200;
  const send = async (lab: string, result: ReturnType<typeof aResult>) => {
    const response = await stack.call('POST', '/v1/results', lab, { results: [result] });
    expect(response.status).toBe(202);
  };

  beforeAll(async () => {
    stack = await startStack();
    device = (await stack.addDevice()).credential;
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('withdraws a lab’s own result: 204 twice, GET shows WITHDRAWN, the next verify is NOT_VALID', async () => {
    const lab = await stack.addLab('Bệnh viện Bãi Cháy');
    const who = holder('700001');
    await send(lab.credential, aResult({ sampleId: 'WD-1', ...who }));
    await eventually(stored(lab.credential, 'WD-1'));
    expect(await verdictOf(who)).toBe('VALID');

    const first = await stack.call('DELETE', '/v1/results/WD-1', lab.credential);
    const second = await stack.call('DELETE', '/v1/results/WD-1', lab.credential);

    expect(first.status).toBe(204);
    expect(first.body).toBeUndefined();
    expect(second.status).toBe(204);
    expect(await verdictOf(who)).toBe('NOT_VALID');
    const shown = await stack.call('GET', '/v1/results/WD-1', lab.credential);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ sampleId: 'WD-1', status: 'WITHDRAWN' });
  });

  it('answers 404 in the contract’s error shape for another lab’s sample and an unknown one', async () => {
    const owner = await stack.addLab('CDC Quảng Ninh');
    const other = await stack.addLab('Bệnh viện Cẩm Phả');
    const who = holder('700002');
    await send(owner.credential, aResult({ sampleId: 'WD-2', ...who }));
    await eventually(stored(owner.credential, 'WD-2'));

    const foreign = await stack.call('DELETE', '/v1/results/WD-2', other.credential);
    const unknown = await stack.call('DELETE', '/v1/results/NEVER-SENT', owner.credential);

    for (const response of [foreign, unknown]) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({
        error: { code: 'NOT_FOUND', message: expect.stringContaining('retry') },
      });
    }
    expect(await verdictOf(who)).toBe('VALID');
  });

  it('refuses DELETE to a checkpoint device (403) and without a credential (401)', async () => {
    expect((await stack.call('DELETE', '/v1/results/WD-2', device)).status).toBe(403);
    expect((await stack.call('DELETE', '/v1/results/WD-2')).status).toBe(401);
  });

  it('keeps a withdrawn result withdrawn when the lab corrects it later', async () => {
    const lab = await stack.addLab('Trung tâm Y tế Vân Đồn');
    const who = holder('700003');
    const sampledAt = new Date(Date.now() - 2 * HOUR).toISOString();
    await send(lab.credential, aResult({ sampleId: 'WD-3', ...who, sampledAt, result: 'POSITIVE' }));
    await eventually(stored(lab.credential, 'WD-3'));
    expect((await stack.call('DELETE', '/v1/results/WD-3', lab.credential)).status).toBe(204);

    const corrected = aResult({
      sampleId: 'WD-3',
      ...who,
      sampledAt,
      result: 'NEGATIVE',
      resultedAt: new Date(Date.now() - HOUR).toISOString(),
    });
    await send(lab.credential, corrected);
    await eventually(async () => {
      const body = (await stack.call('GET', '/v1/results/WD-3', lab.credential)).body;
      return z.object({ result: z.string() }).parse(body).result === 'NEGATIVE';
    });

    expect((await stack.call('GET', '/v1/results/WD-3', lab.credential)).body).toMatchObject({
      status: 'WITHDRAWN',
      result: 'NEGATIVE',
    });
    expect(await verdictOf(who)).toBe('NOT_VALID');
  });

  it('revokes a lab’s results in a window: NOT_VALID at once, REVOKED in the list, the window in the rules', async () => {
    const lab = await stack.addLab('Phòng khám Hạ Long');
    const inside = holder('700004');
    const outside = holder('700005');
    const now = Date.now();
    await send(
      lab.credential,
      aResult({ sampleId: 'RV-1', ...inside, sampledAt: new Date(now - 3 * HOUR).toISOString() }),
    );
    await send(
      lab.credential,
      aResult({ sampleId: 'RV-2', ...outside, sampledAt: new Date(now - HOUR).toISOString() }),
    );
    await eventually(stored(lab.credential, 'RV-1'));
    await eventually(stored(lab.credential, 'RV-2'));
    expect(await verdictOf(inside)).toBe('VALID');
    const from = new Date(now - 4 * HOUR).toISOString();
    const to = new Date(now - 2 * HOUR).toISOString();

    const revokeWindow = async () =>
      z
        .object({ created: z.boolean(), revoked: z.number() })
        .parse(
          await stack.admin(
            'results',
            'revoke',
            '--lab',
            lab.id,
            '--from',
            from,
            '--to',
            to,
            '--reason',
            'Giấy xét nghiệm giả',
          ),
        );
    const revoked = await revokeWindow();
    const again = await revokeWindow();

    expect(revoked).toEqual({ created: true, revoked: 1 });
    expect(again).toEqual({ created: false, revoked: 1 });
    expect(await verdictOf(inside)).toBe('NOT_VALID');
    expect(await verdictOf(outside)).toBe('VALID');
    expect((await stack.call('GET', '/v1/results/RV-1', lab.credential)).body).toMatchObject({
      status: 'REVOKED',
    });
    const list = facilityListSchema.parse((await stack.call('GET', '/v1/facilities')).body);
    expect(list.facilities.find((f) => f.id === lab.id)?.status).toBe('REVOKED');
    // The rules document is reused for up to 60 s by a warm function; a fresh one lists the window.
    await eventually(async () => {
      const { jws } = z.object({ jws: z.string() }).parse((await stack.call('GET', '/v1/rules')).body);
      const payload = JSON.parse(
        Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as unknown;
      return (readRulesDocumentClaims(payload)?.revoked ?? []).some(
        (w) => w.labId === lab.id && w.from === from && w.to === to,
      );
    }, 70_000);
  }, 120_000);

  it('revokes one sample with --sample, and refuses an empty reason, from ≥ to and an unknown lab', async () => {
    const lab = await stack.addLab('Bệnh viện Uông Bí');
    const who = holder('700006');
    await send(lab.credential, aResult({ sampleId: 'RV-3', ...who }));
    await eventually(stored(lab.credential, 'RV-3'));

    await stack.admin('results', 'revoke', '--lab', lab.id, '--sample', 'RV-3', '--reason', 'Sai người');

    expect(await verdictOf(who)).toBe('NOT_VALID');
    const day = '2021-09-10';
    await expect(
      stack.admin('results', 'revoke', '--lab', lab.id, '--from', day, '--to', day, '--reason', 'x'),
    ).rejects.toThrow(/--from must be before --to/);
    await expect(
      stack.admin('results', 'revoke', '--lab', lab.id, '--sample', 'RV-3', '--reason', '  '),
    ).rejects.toThrow(/--reason must not be empty/);
    await expect(
      stack.admin('results', 'revoke', '--lab', 'lab_0000000000000000', '--sample', 'RV-3', '--reason', 'x'),
    ).rejects.toThrow(/No lab lab_0000000000000000/);
  });
});
