import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { aResult, cccdFor } from '../support/fixtures.js';
import { eventually } from '../support/local-stack.js';
import type { Answer, Driver, Identity, Lab, Steps } from './steps.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hoursAgo = (n: number) => new Date(Date.now() - n * HOUR).toISOString();
const hoursAfter = (iso: string, n: number) => new Date(Date.parse(iso) + n * HOUR).toISOString();

const isoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const passAnswer = z.object({ qr: z.string() });
const facilityList = z.object({
  facilities: z.array(z.looseObject({ id: z.string(), lastResultAt: z.string().nullable() })),
});

/** The accepted answer to a batch of results, item by item. */
const allAccepted = (...sampleIds: string[]) => ({
  status: 202,
  body: {
    accepted: sampleIds.length,
    rejected: 0,
    items: sampleIds.map((sampleId, index) => ({ index, sampleId, status: 'ACCEPTED' })),
  },
});

/** The contract's VALID answer for a negative RT-PCR result sampled at `sampledAt` by `lab`. */
const validAnswer = (lab: Lab, sampledAt: string, holder: { maskedName: string; birthYear: number }) => ({
  verdict: 'VALID',
  checkedAt: isoTime,
  validUntil: hoursAfter(sampledAt, 72),
  testType: 'RT_PCR',
  sampledAt,
  facility: { id: lab.id, name: lab.name },
  holder,
  rule: defaultRule,
});

/**
 * The rule that decides for a device registered without a province or mode: the deployment's default
 * rule set (the stage's windows, RT-PCR 72 h), written at first start.
 */
const defaultRule = {
  id: 'DEFAULT',
  version: 1,
  legalBasis: 'Cấu hình triển khai / deployment configuration',
};

const notValid = { verdict: 'NOT_VALID', checkedAt: isoTime, reason: 'NO_VALID_RESULT', rule: defaultRule };

/** The manual entry for a result as submitted. */
const manualEntryFor = (result: ReturnType<typeof aResult>): Identity => ({
  idType: result.citizen.idType,
  idNumber: result.citizen.idNumber,
  dateOfBirth: result.citizen.dateOfBirth,
});

/** Given a lab has a result stored: submitted, accepted, and then found by the lab's own GET. */
const givenStored = async (steps: Steps, lab: Lab, ...results: ReturnType<typeof aResult>[]) => {
  expect(await steps.labSubmits(lab, results)).toMatchObject(allAccepted(...results.map((r) => r.sampleId)));
  for (const result of results) await steps.storedEventually(lab, result.sampleId, result.result);
};

const qrOf = (answer: Answer): string => passAnswer.parse(answer.body).qr;

/**
 * The lab-to-checkpoint story, written once: `start` gives the driver (in-process handlers or the local
 * stack over HTTP) and every case runs against it unchanged. Each case uses its own lab, devices and
 * ID numbers, so the cases do not see each other's data and no device nears its rate limit.
 */
export const labToCheckpointStories = (start: () => Promise<Driver>) => {
  let driver: Driver;
  let steps: Steps;

  beforeAll(async () => {
    driver = await start();
    steps = driver.steps;
  });

  afterAll(async () => {
    await driver?.stop();
  });

  describe('given the system is up', () => {
    it('when anyone asks, then the health check answers ok', async () => {
      expect(await steps.health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    });
  });

  describe('given a lab and a checkpoint device', () => {
    it('when the lab submits a negative result, then it is stored and the checkpoint sees VALID by manual entry', async () => {
      const lab = await steps.aLab({ name: 'CDC Quảng Ninh' });
      const device = await steps.aDevice();
      const sampledAt = hoursAgo(2);
      const resultedAt = hoursAgo(1);
      const result = aResult({
        sampleId: 'STORY-VALID',
        idNumber: '022 201 001001',
        fullName: 'Trần Thị Bình',
        dateOfBirth: '2001-02-03',
        sampledAt,
        resultedAt,
      });

      const submitted = await steps.labSubmits(lab, [result]);
      const stored = await steps.storedEventually(lab, 'STORY-VALID');
      const verified = await steps.checkpointVerifies(device, {
        idType: 'CCCD',
        idNumber: '022201001001',
        dateOfBirth: '2001-02-03',
      });

      expect(submitted).toMatchObject(allAccepted('STORY-VALID'));
      // The lab's own view: no citizen data in it.
      expect(stored).toMatchObject({ status: 200 });
      expect(stored.body).toEqual({
        sampleId: 'STORY-VALID',
        status: 'STORED',
        testType: 'RT_PCR',
        result: 'NEGATIVE',
        sampledAt,
        resultedAt,
        storedAt: isoTime,
      });
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual(
        validAnswer(lab, sampledAt, { maskedName: 'T*** T** B***', birthYear: 2001 }),
      );
    });

    it('when the holder shows a pass from the app, then the checkpoint sees VALID from the live records', async () => {
      const lab = await steps.aLab();
      const [device, app] = [await steps.aDevice(), await steps.anApp()];
      const result = aResult({ sampleId: 'STORY-PASS', idNumber: cccdFor('1990-05-01', '002002') });
      await givenStored(steps, lab, result);

      const before = Date.now();
      const issued = await steps.appIssuesPass(app, manualEntryFor(result));
      const scanned = await steps.checkpointVerifies(device, { qr: qrOf(issued) });

      expect(issued).toMatchObject({ status: 201 });
      expect(issued.body).toEqual({
        qr: expect.stringMatching(/^RG1:[\w-]+\.[\w-]+\.[\w-]+$/),
        expiresAt: isoTime,
        svg: expect.stringContaining('<svg'),
      });
      const expiresAt = Date.parse(z.object({ expiresAt: z.string() }).parse(issued.body).expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY - 1_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1_000);
      expect(scanned.status).toBe(200);
      expect(scanned.body).toEqual(
        validAnswer(lab, result.sampledAt, { maskedName: 'N***** V** A*', birthYear: 1990 }),
      );
    });

    it('when a newer positive result is stored, then the checkpoint sees NOT_VALID, by manual entry and by a pass issued while VALID', async () => {
      const lab = await steps.aLab();
      const [device, app] = [await steps.aDevice(), await steps.anApp()];
      const idNumber = cccdFor('1982-11-12', '003003');
      const negative = aResult({
        sampleId: 'STORY-NEG',
        idNumber,
        dateOfBirth: '1982-11-12',
        sampledAt: hoursAgo(6),
      });
      await givenStored(steps, lab, negative);
      const pass = qrOf(await steps.appIssuesPass(app, manualEntryFor(negative)));
      const before = await steps.checkpointVerifies(device, { qr: pass });

      const positive = aResult({
        sampleId: 'STORY-POS',
        idNumber,
        dateOfBirth: '1982-11-12',
        result: 'POSITIVE',
        sampledAt: hoursAgo(2),
      });
      await givenStored(steps, lab, positive);
      const manual = await steps.checkpointVerifies(device, manualEntryFor(negative));
      const scanned = await steps.checkpointVerifies(device, { qr: pass });

      expect(before.body).toMatchObject({ verdict: 'VALID', sampledAt: negative.sampledAt });
      expect(manual).toMatchObject({ status: 200 });
      expect(manual.body).toEqual(notValid);
      // The pass's snapshot said VALID; the live records win.
      expect(scanned).toMatchObject({ status: 200 });
      expect(scanned.body).toEqual(notValid);
    });

    it('when the lab corrects its result to INVALID, then the checkpoint sees NOT_VALID', async () => {
      const lab = await steps.aLab();
      const device = await steps.aDevice();
      const negative = aResult({
        sampleId: 'STORY-FIX',
        idNumber: cccdFor('1975-06-07', '004004'),
        dateOfBirth: '1975-06-07',
        sampledAt: hoursAgo(3),
        resultedAt: hoursAgo(2),
      });
      await givenStored(steps, lab, negative);
      const before = await steps.checkpointVerifies(device, manualEntryFor(negative));

      const correction = { ...negative, result: 'INVALID' as const, resultedAt: hoursAgo(1) };
      const corrected = await steps.labSubmits(lab, [correction]);
      const stored = await steps.storedEventually(lab, 'STORY-FIX', 'INVALID');
      const after = await steps.checkpointVerifies(device, manualEntryFor(negative));

      expect(before.body).toMatchObject({ verdict: 'VALID' });
      expect(corrected).toMatchObject(allAccepted('STORY-FIX'));
      expect(stored.body).toMatchObject({
        sampleId: 'STORY-FIX',
        result: 'INVALID',
        resultedAt: correction.resultedAt,
      });
      expect(after).toMatchObject({ status: 200 });
      expect(after.body).toEqual(notValid);
    });

    it('when the date of birth entered does not match, then the answer is that of an unknown holder', async () => {
      const lab = await steps.aLab();
      const device = await steps.aDevice();
      const result = aResult({
        sampleId: 'STORY-DOB',
        idNumber: cccdFor('1970-03-04', '005005'),
        dateOfBirth: '1970-03-04',
      });
      await givenStored(steps, lab, result);

      const wrongDate = await steps.checkpointVerifies(device, {
        ...manualEntryFor(result),
        dateOfBirth: '1970-03-05',
      });
      const unknown = await steps.checkpointVerifies(device, {
        idType: 'CCCD',
        idNumber: cccdFor('1970-03-04', '005099'),
        dateOfBirth: '1970-03-04',
      });

      expect(wrongDate).toMatchObject({ status: 200 });
      expect(wrongDate.body).toEqual(notValid);
      expect(unknown.body).toEqual(notValid);
    });

    it('when a pass was issued for a wrong birth date, then scanning it answers like an unknown holder', async () => {
      const lab = await steps.aLab();
      const [device, app] = [await steps.aDevice(), await steps.anApp()];
      const result = aResult({
        sampleId: 'STORY-PASS-DOB',
        idNumber: cccdFor('1988-03-04', '006006'),
        dateOfBirth: '1988-03-04',
      });
      await givenStored(steps, lab, result);

      const wrongPass = await steps.appIssuesPass(app, {
        ...manualEntryFor(result),
        dateOfBirth: '1988-03-05',
      });
      const unknownPass = await steps.appIssuesPass(app, {
        idType: 'CCCD',
        idNumber: cccdFor('1988-03-04', '006099'),
        dateOfBirth: '1988-03-04',
      });
      const wrong = await steps.checkpointVerifies(device, { qr: qrOf(wrongPass) });
      const unknown = await steps.checkpointVerifies(device, { qr: qrOf(unknownPass) });

      expect(wrongPass.status).toBe(201);
      expect(unknownPass.status).toBe(201);
      expect(wrong).toMatchObject({ status: 200 });
      expect(wrong.body).toEqual(notValid);
      expect(unknown.body).toEqual(notValid);
    });
  });

  describe('given credentials that may not do it', () => {
    it('when a request has no credential, an unknown one or the wrong role, then 401 or 403 in the contract shape', async () => {
      const lab = await steps.aLab();
      const device = await steps.aDevice();

      const missing = await steps.checkpointVerifies({}, { qr: 'x' });
      const unknown = await steps.checkpointVerifies(
        { credential: 'rg_dev_not-a-real-credential-at-all' },
        {
          qr: 'x',
        },
      );
      const labAtCheckpoint = await steps.checkpointVerifies(lab, { qr: 'x' });
      const deviceAsLab = await steps.labSubmits(device, [aResult()]);

      expect(missing).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
      expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
      expect(labAtCheckpoint).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      expect(deviceAsLab).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    });

    it('when an operator suspends a lab, then its next submission is refused with 403 and the list shows it SUSPENDED', async () => {
      const lab = await steps.aLab({ name: 'Phòng khám Hạ Long' });
      const result = aResult({ sampleId: 'STORY-SUSPENDED', idNumber: cccdFor('1990-05-01', '007007') });
      const before = await steps.labSubmits(lab, [result]);

      await steps.operatorSuspendsLab(lab);
      const after = await steps.labSubmits(lab, [{ ...result, sampleId: 'STORY-SUSPENDED-2' }]);
      const list = await steps.publicFacilities();

      expect(before).toMatchObject(allAccepted('STORY-SUSPENDED'));
      expect(after).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      expect(list.body).toMatchObject({
        facilities: expect.arrayContaining([expect.objectContaining({ id: lab.id, status: 'SUSPENDED' })]),
      });
    });

    it('when an operator revokes a device, then its very next request is refused with 401', async () => {
      const device = await steps.aDevice('Chốt Km 9');
      const entry = { idType: 'CCCD', idNumber: cccdFor('1990-05-01', '008008'), dateOfBirth: '1990-05-01' };
      const before = await steps.checkpointVerifies(device, entry);

      await steps.operatorRevokesDevice(device);
      const after = await steps.checkpointVerifies(device, entry);

      expect(before).toMatchObject({ status: 200, body: { verdict: 'NOT_VALID' } });
      expect(after).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    });
  });

  describe('given the public facilities list', () => {
    it('when a lab is registered and then stores its first result, then the list shows it and when it sent', async () => {
      const lab = await steps.aLab({ name: 'Trung tâm Y tế Cẩm Phả', testTypes: ['RAPID_ANTIGEN'] });
      const entryOf = (answer: Answer) =>
        facilityList.parse(answer.body).facilities.find((facility) => facility.id === lab.id);
      const registered = await steps.publicFacilities();

      const result = aResult({
        sampleId: 'STORY-FACILITY',
        testType: 'RAPID_ANTIGEN',
        idNumber: cccdFor('1990-05-01', '009009'),
      });
      await givenStored(steps, lab, result);
      const { storedAt } = z
        .object({ storedAt: z.string() })
        .parse((await steps.labChecks(lab, 'STORY-FACILITY')).body);
      // The lab's times move once the store function has finished its batch, just after the result shows.
      let listed: Answer = registered;
      await eventually(async () => {
        listed = await steps.publicFacilities();
        return entryOf(listed)?.lastResultAt !== null;
      });

      expect(registered).toMatchObject({
        status: 200,
        headers: { 'cache-control': 'public, max-age=60' },
        body: { updatedAt: isoTime },
      });
      expect(entryOf(registered)).toEqual({
        id: lab.id,
        name: 'Trung tâm Y tế Cẩm Phả',
        province: 'Quảng Ninh',
        testTypes: ['RAPID_ANTIGEN'],
        status: 'ACTIVE',
        integratedSince: null,
        lastResultAt: null,
      });
      expect(entryOf(listed)).toEqual({
        id: lab.id,
        name: 'Trung tâm Y tế Cẩm Phả',
        province: 'Quảng Ninh',
        testTypes: ['RAPID_ANTIGEN'],
        status: 'ACTIVE',
        integratedSince: storedAt,
        lastResultAt: storedAt,
      });
    });
  });

  describe('given the system stops and starts again', () => {
    it('when it restarts, then stored results and credentials still work', async () => {
      const lab = await steps.aLab();
      const device = await steps.aDevice();
      const result = aResult({ sampleId: 'STORY-RESTART', idNumber: cccdFor('1990-05-01', '010010') });
      await givenStored(steps, lab, result);
      const before = await steps.checkpointVerifies(device, manualEntryFor(result));

      await steps.restart();
      const after = await steps.checkpointVerifies(device, manualEntryFor(result));

      const valid = validAnswer(lab, result.sampledAt, { maskedName: 'N***** V** A*', birthYear: 1990 });
      expect(before.body).toEqual(valid);
      expect(after).toMatchObject({ status: 200 });
      expect(after.body).toEqual(valid);
    });

    it('when it restarts while a result is still queued, then the result is stored all the same', async () => {
      const lab = await steps.aLab();
      const device = await steps.aDevice();
      const result = aResult({
        sampleId: 'STORY-QUEUED',
        idNumber: cccdFor('1985-01-02', '011011'),
        dateOfBirth: '1985-01-02',
      });

      const submitted = await steps.labSubmits(lab, [result]);
      await steps.restart();
      await steps.storedEventually(lab, 'STORY-QUEUED');
      const verified = await steps.checkpointVerifies(device, manualEntryFor(result));

      expect(submitted).toMatchObject(allAccepted('STORY-QUEUED'));
      expect(verified.body).toEqual(
        validAnswer(lab, result.sampledAt, { maskedName: 'N***** V** A*', birthYear: 1985 }),
      );
    });
  });
};
