import { describe, expect, it } from 'vitest';
import { PASS_SNAPSHOTS_PER_HOLDER_PER_DAY } from '../../../contract/limits.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { makeIssuePass } from '../../../functions/domain/issue-pass.js';
import { decodePass, passClaims } from '../../../functions/domain/pass-codec.js';
import { createKeyRing } from '../../../functions/domain/pass-keys.js';
import { birthDateCheck, holderKey } from '../../../functions/domain/pseudonym.js';
import { makeVerifyByIdentity, makeVerifyByPass } from '../../../functions/domain/verify-holder.js';
import { b64json, highSTwinOf, segmentsOf } from '../pass/fixtures.js';
import {
  clockAt,
  identity,
  key,
  memoryHolders,
  memoryPassRequests,
  pepper,
  rule,
  scope,
  stored,
} from './fakes.js';

const current = createLocalSigner(generateSigningKeyPem());
const previous = createLocalSigner(generateSigningKeyPem());
const ring = createKeyRing([current.publicKey, previous.publicKey]);
const lifetimeSeconds = 7 * 24 * 3600;
const ruleRef = { id: 'DEFAULT', version: 1, legalBasis: 'Cấu hình triển khai / deployment configuration' };

const issuer = (
  holders: ReturnType<typeof memoryHolders>,
  at: string,
  signer = current,
  requests = memoryPassRequests(),
) =>
  makeIssuePass({
    pepper: async () => pepper,
    holders: holders.port,
    requests,
    signer: async () => signer,
    clock: clockAt(at),
    rule: async () => rule,
    lifetimeSeconds,
  });

const claimsOf = (qr: string, at: string) => {
  const decoded = decodePass(qr, ring, new Date(at));
  if (!decoded.ok) throw new Error(`pass refused: ${decoded.reason}`);
  return decoded.claims;
};

describe('issuing a pass', () => {
  it('carries a snapshot of the valid negative when the holder is VALID', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });

    const pass = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    expect(claimsOf(pass.qr, '2021-09-10T12:00:00Z')).toEqual({
      v: 1,
      sub: key,
      bdc: birthDateCheck(pepper, key, identity.dateOfBirth),
      kv: pepper.version,
      iat: Date.parse('2021-09-10T12:00:00Z') / 1000,
      exp: Date.parse('2021-09-17T12:00:00Z') / 1000,
      snap: {
        testType: 'RT_PCR',
        sampledAt: '2021-09-10T01:30:00.000Z',
        validUntil: '2021-09-13T01:30:00.000Z',
        maskedName: 'N***** T** Á**',
        birthYear: 1990,
        // The result's lab, so an offline checkpoint can apply revoked windows.
        labId: 'lab-1',
      },
    });
  });

  it('answers the QR text, its expiry and an SVG of it', async () => {
    const holders = memoryHolders();

    const pass = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    expect(pass.qr).toMatch(/^RG1:/);
    expect(pass.expiresAt).toBe('2021-09-17T12:00:00.000Z');
    expect(pass.svg).toMatch(/^<svg /);
  });

  it('carries a snapshot only when the VN/ENTRY rule in force at issue makes the holder VALID', async () => {
    const holders = memoryHolders({
      [key]: [stored('2021-09-10T08:30:00+07:00', { testType: 'RAPID_ANTIGEN' })],
    });
    const rtPcrOnly = { ...rule, id: 'VN-ENTRY', accept: [{ testType: 'RT_PCR' as const, hours: 72 }] };
    const issue = (ruleSet: typeof rule) =>
      makeIssuePass({
        pepper: async () => pepper,
        holders: holders.port,
        requests: memoryPassRequests(),
        signer: async () => current,
        clock: clockAt('2021-09-10T12:00:00Z'),
        rule: async () => ruleSet,
        lifetimeSeconds,
      })(identity);

    const underDefault = await issue(rule);
    const underRtPcrOnly = await issue(rtPcrOnly);

    expect(claimsOf(underDefault.qr, '2021-09-10T12:00:00Z')).toHaveProperty('snap');
    expect(claimsOf(underRtPcrOnly.qr, '2021-09-10T12:00:00Z')).not.toHaveProperty('snap');
  });

  it('reads the holder results once', async () => {
    const holders = memoryHolders();

    await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    expect(holders.reads).toEqual([key]);
  });

  it.each([
    ['no record', []],
    ['only a positive', [stored('2021-09-10T08:30:00+07:00', { result: 'POSITIVE' })]],
    ['an expired negative', [stored('2021-09-01T08:30:00+07:00')]],
    [
      'a negative followed by a positive',
      [stored('2021-09-09T08:00:00Z'), stored('2021-09-10T08:00:00Z', { result: 'POSITIVE' })],
    ],
  ])('carries no snapshot with %s', async (_case, results) => {
    const holders = memoryHolders({ [key]: results });

    const pass = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    expect(claimsOf(pass.qr, '2021-09-10T12:00:00Z')).not.toHaveProperty('snap');
  });

  it('carries no snapshot when the birth date given does not match the records', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });

    const pass = await issuer(holders, '2021-09-10T12:00:00Z')({ ...identity, dateOfBirth: '1990-05-18' });

    expect(claimsOf(pass.qr, '2021-09-10T12:00:00Z')).toEqual({
      v: 1,
      sub: key,
      bdc: birthDateCheck(pepper, key, '1990-05-18'),
      kv: pepper.version,
      iat: Date.parse('2021-09-10T12:00:00Z') / 1000,
      exp: Date.parse('2021-09-17T12:00:00Z') / 1000,
    });
  });

  it('makes the same pass for a wrong birth date as for no record', async () => {
    const withRecord = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const withoutRecord = memoryHolders();

    const wrongBirthDate = await issuer(
      withRecord,
      '2021-09-10T12:00:00Z',
    )({ ...identity, dateOfBirth: '1991-01-01' });
    const noRecord = await issuer(
      withoutRecord,
      '2021-09-10T12:00:00Z',
    )({ ...identity, dateOfBirth: '1991-01-01' });

    expect(wrongBirthDate.qr.split('.')[1]).toBe(noRecord.qr.split('.')[1]);
    expect(wrongBirthDate.qr.length).toBe(noRecord.qr.length);
  });

  it('binds the pass to the birth date given by its keyed check, not the date', async () => {
    const holders = memoryHolders();
    const issue = issuer(holders, '2021-09-10T12:00:00Z');

    const right = claimsOf((await issue(identity)).qr, '2021-09-10T12:00:00Z');
    const wrong = claimsOf(
      (await issue({ ...identity, dateOfBirth: '1990-05-18' })).qr,
      '2021-09-10T12:00:00Z',
    );

    expect(right.bdc).toBe(stored('2021-09-10T08:30:00+07:00').birthDateCheck);
    expect(wrong.bdc).not.toBe(right.bdc);
    expect(wrong.sub).toBe(right.sub);
  });

  it('never puts the ID number or the name in the pass', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });

    const pass = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    const payload = Buffer.from(pass.qr.split('.')[1] ?? '', 'base64url').toString('utf8');
    expect(payload).not.toContain(identity.idNumber);
    expect(payload).not.toContain(identity.dateOfBirth);
    expect(payload).not.toContain('Nguyễn');
  });
});

describe("a holder's daily pass limit (contract/limits.ts)", () => {
  const day = '2021-09-10T12:00:00Z';
  /** Every CCCD birth date of 1990 (the year is in the number), as a guesser would try them. */
  const datesOf1990 = Array.from({ length: 365 }, (_, i) =>
    new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10),
  );

  it(`gives the first ${PASS_SNAPSHOTS_PER_HOLDER_PER_DAY} passes of a day a snapshot, and no later one`, async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const issue = issuer(holders, day);

    const passes = [];
    for (let i = 0; i < PASS_SNAPSHOTS_PER_HOLDER_PER_DAY + 2; i += 1) passes.push(await issue(identity));

    const withSnapshot = passes.map((pass) => 'snap' in claimsOf(pass.qr, day));
    expect(withSnapshot).toEqual([...Array(PASS_SNAPSHOTS_PER_HOLDER_PER_DAY).fill(true), false, false]);
  });

  it('closes the birth-date oracle: guessing every date gives no pass a snapshot, the right one included', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const issue = issuer(holders, day);
    const over: number[] = [];
    // The right date (1990-05-17) is the 137th guess.
    expect(datesOf1990.indexOf(identity.dateOfBirth)).toBeGreaterThan(PASS_SNAPSHOTS_PER_HOLDER_PER_DAY);

    const snapshots = [];
    for (const dateOfBirth of datesOf1990) {
      const pass = await issue({ ...identity, dateOfBirth }, (count) => over.push(count));
      snapshots.push('snap' in claimsOf(pass.qr, day));
    }

    expect(snapshots.filter(Boolean)).toEqual([]);
    // Seen: every request past the limit is reported, with the day's count.
    expect(over).toHaveLength(datesOf1990.length - PASS_SNAPSHOTS_PER_HOLDER_PER_DAY);
    expect(over[0]).toBe(PASS_SNAPSHOTS_PER_HOLDER_PER_DAY + 1);
  });

  it('still binds a pass past the limit to its birth date: it scans VALID online for the holder', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const issue = issuer(holders, day);
    for (let i = 0; i < PASS_SNAPSHOTS_PER_HOLDER_PER_DAY; i += 1) await issue(identity);

    const late = await issue(identity);
    const { answer } = await makeVerifyByPass({ keyRing: ring, holders: holders.port, clock: clockAt(day) })(
      late.qr,
      scope,
    );

    expect(claimsOf(late.qr, day)).not.toHaveProperty('snap');
    expect(answer.verdict).toBe('VALID');
  });

  it('counts per holder and per UTC day: another holder is untouched, the next day starts afresh', async () => {
    const other = { ...identity, idNumber: '001190099999' };
    const otherKey = holderKey(pepper, other.idType, other.idNumber);
    const holders = memoryHolders({
      [key]: [stored('2021-09-10T08:30:00+07:00')],
      [otherKey]: [
        stored('2021-09-10T08:30:00+07:00', {
          birthDateCheck: birthDateCheck(pepper, otherKey, other.dateOfBirth),
        }),
      ],
    });
    const requests = memoryPassRequests();
    for (let i = 0; i < PASS_SNAPSHOTS_PER_HOLDER_PER_DAY; i += 1)
      await issuer(holders, day, current, requests)({ ...identity, dateOfBirth: '1990-01-01' });

    const sameDay = await issuer(holders, '2021-09-10T23:59:59Z', current, requests)(identity);
    const otherHolder = await issuer(holders, day, current, requests)(other);
    const nextDay = await issuer(holders, '2021-09-11T00:00:00Z', current, requests)(identity);

    expect(claimsOf(sameDay.qr, '2021-09-10T23:59:59Z')).not.toHaveProperty('snap');
    expect(claimsOf(otherHolder.qr, day)).toHaveProperty('snap');
    expect(claimsOf(nextDay.qr, '2021-09-11T00:00:00Z')).toHaveProperty('snap');
  });

  it('counts a holder with no record as well, so the work does not tell who has results', async () => {
    const holders = memoryHolders();
    const requests = memoryPassRequests();

    await issuer(holders, day, current, requests)(identity);

    expect([...requests.counts.values()]).toEqual([1]);
  });
});

describe('verifying a scanned pass', () => {
  const verifier = (holders: ReturnType<typeof memoryHolders>, at: string) => (qr: string) =>
    makeVerifyByPass({ keyRing: ring, holders: holders.port, clock: clockAt(at) })(qr, scope);

  it('answers VALID from the live records', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    const { answer } = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(answer).toEqual({
      verdict: 'VALID',
      checkedAt: '2021-09-11T00:00:00.000Z',
      validUntil: '2021-09-13T01:30:00.000Z',
      testType: 'RT_PCR',
      sampledAt: '2021-09-10T01:30:00.000Z',
      facility: { id: 'lab-1', name: 'CDC Quảng Ninh' },
      holder: { maskedName: 'N***** T** Á**', birthYear: 1990 },
      rule: ruleRef,
    });
  });

  it('lets a positive result stored after issue override the snapshot', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    holders.byKey[key]?.push(stored('2021-09-11T08:00:00+07:00', { result: 'POSITIVE', sampleId: 'S-2' }));

    const { answer } = await verifier(holders, '2021-09-11T06:00:00Z')(qr);

    expect(answer).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: '2021-09-11T06:00:00.000Z',
      reason: 'NO_VALID_RESULT',
      rule: ruleRef,
    });
  });

  it('answers VALID for a pass issued before the negative arrived', async () => {
    const holders = memoryHolders();
    const { qr } = await issuer(holders, '2021-09-09T12:00:00Z')(identity);
    holders.byKey[key] = [stored('2021-09-10T08:30:00+07:00')];

    const { answer } = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(answer).toMatchObject({ verdict: 'VALID', validUntil: '2021-09-13T01:30:00.000Z' });
  });

  it('accepts a pass signed by the previous key', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z', previous)(identity);

    const { answer } = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(answer.verdict).toBe('VALID');
  });

  it('answers PASS_INVALID for an expired pass without reading the records', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-16T08:30:00+07:00')] });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    holders.reads.length = 0;

    const outcome = await verifier(holders, '2021-09-17T12:00:00Z')(qr);

    expect(outcome).toEqual({
      answer: {
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-17T12:00:00.000Z',
        reason: 'PASS_INVALID',
        rule: ruleRef,
      },
      refused: 'EXPIRED',
    });
    expect(holders.reads).toEqual([]);
  });

  it('answers PASS_INVALID for a forged pass; its one read (made during the check) is not used', async () => {
    const holders = memoryHolders({
      [key]: [stored('2021-09-10T08:30:00+07:00')],
      ['b'.repeat(64)]: [stored('2021-09-10T08:30:00+07:00')],
    });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    const [header, payload = '', signature] = qr.slice('RG1:'.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'b'.repeat(64) })).toString(
      'base64url',
    );
    holders.reads.length = 0;

    const outcome = await verifier(
      holders,
      '2021-09-11T00:00:00Z',
    )(`RG1:${header}.${forgedPayload}.${signature}`);

    expect(outcome).toEqual({
      answer: {
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-11T00:00:00.000Z',
        reason: 'PASS_INVALID',
        rule: ruleRef,
      },
      refused: 'BAD_SIGNATURE',
    });
    expect(holders.reads).toEqual(['b'.repeat(64)]);
  });

  it.each([
    ['a malformed text', 'RG1:not-a-pass', 'MALFORMED'],
    ['an ID number', '001190012345', 'MALFORMED'],
  ])('answers PASS_INVALID for %s', async (_case, qr, reason) => {
    const holders = memoryHolders();

    const outcome = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(outcome).toMatchObject({
      answer: { verdict: 'NOT_VALID', reason: 'PASS_INVALID', rule: ruleRef },
      refused: reason,
    });
  });

  it('answers PASS_INVALID for a pass signed by a key outside the ring', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const outsider = createLocalSigner(generateSigningKeyPem());
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z', outsider)(identity);

    const outcome = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(outcome).toMatchObject({
      answer: { reason: 'PASS_INVALID', rule: ruleRef },
      refused: 'UNKNOWN_KEY',
    });
  });

  it('answers a pass asked for with a wrong birth date exactly like an unknown holder', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const wrong = await issuer(holders, '2021-09-10T12:00:00Z')({ ...identity, dateOfBirth: '1990-05-18' });
    const unknown = await issuer(holders, '2021-09-10T12:00:00Z')({ ...identity, idNumber: '001190099999' });
    const right = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    const verify = verifier(holders, '2021-09-11T00:00:00Z');

    const wrongAnswer = await verify(wrong.qr);
    const unknownAnswer = await verify(unknown.qr);
    const rightAnswer = await verify(right.qr);

    expect(wrongAnswer).toEqual({
      answer: {
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-11T00:00:00.000Z',
        reason: 'NO_VALID_RESULT',
        rule: ruleRef,
      },
    });
    expect(JSON.stringify(wrongAnswer)).toBe(JSON.stringify(unknownAnswer));
    expect(rightAnswer.answer.verdict).toBe('VALID');
  });

  it('counts only the results of the pass birth date, as manual entry does', async () => {
    const otherDate = birthDateCheck(pepper, key, '1990-05-18');
    const holders = memoryHolders({
      [key]: [
        stored('2021-09-10T08:30:00+07:00', { birthDateCheck: otherDate, sampleId: 'S-other' }),
        stored('2021-09-09T08:30:00+07:00'),
      ],
    });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    const clock = clockAt('2021-09-11T00:00:00Z');
    const byIdentity = makeVerifyByIdentity({
      pepper: async () => pepper,
      holders: holders.port,
      clock,
    });

    const { answer } = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(answer).toMatchObject({ verdict: 'VALID', sampledAt: '2021-09-09T01:30:00.000Z' });
    expect(answer).toEqual(await byIdentity(identity, scope));
  });

  it('answers PASS_INVALID for an authentic pass issued before passes carried bdc, without reading', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const { bdc: _, ...unbound } = passClaims({
      citizenKey: key,
      birthDateCheck: birthDateCheck(pepper, key, identity.dateOfBirth),
      keyVersion: pepper.version,
      now: new Date('2021-09-10T12:00:00Z'),
      lifetimeSeconds,
    });
    const header = b64json({ alg: 'ES256', kid: current.kid, typ: 'JWT' });
    const payload = b64json(unbound);
    const signature = await current.sign(new TextEncoder().encode(`${header}.${payload}`));

    const outcome = await verifier(
      holders,
      '2021-09-11T00:00:00Z',
    )(`RG1:${header}.${payload}.${Buffer.from(signature).toString('base64url')}`);

    expect(outcome).toEqual({
      answer: {
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-11T00:00:00.000Z',
        reason: 'PASS_INVALID',
        rule: ruleRef,
      },
      refused: 'UNBOUND',
    });
    expect(holders.reads).toEqual([]);
  });

  it('answers PASS_INVALID for the high-S twin of a genuine pass, without reading', async () => {
    const holders = memoryHolders({ [key]: [stored('2021-09-10T08:30:00+07:00')] });
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);
    holders.reads.length = 0;

    const outcome = await verifier(holders, '2021-09-11T00:00:00Z')(highSTwinOf(qr));

    expect(outcome).toEqual({
      answer: {
        verdict: 'NOT_VALID',
        checkedAt: '2021-09-11T00:00:00.000Z',
        reason: 'PASS_INVALID',
        rule: ruleRef,
      },
      refused: 'MALFORMED',
    });
    expect(holders.reads).toEqual([]);
    expect(segmentsOf(highSTwinOf(qr))[2]).not.toBe(segmentsOf(qr)[2]);
  });

  it('answers NOT_VALID with the same shape for a valid pass of a holder with no record', async () => {
    const holders = memoryHolders();
    const { qr } = await issuer(holders, '2021-09-10T12:00:00Z')(identity);

    const { answer } = await verifier(holders, '2021-09-11T00:00:00Z')(qr);

    expect(answer).toEqual({
      verdict: 'NOT_VALID',
      checkedAt: '2021-09-11T00:00:00.000Z',
      reason: 'NO_VALID_RESULT',
      rule: ruleRef,
    });
  });
});
