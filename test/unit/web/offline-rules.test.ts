import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../../contract/rules.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { encodePass } from '../../../functions/domain/pass-codec.js';
import { signRulesDocument } from '../../../functions/domain/rules-document.js';
import type { PublicJwk } from '../../../web/src/jws.js';
import { verifyRulesDocument } from '../../../web/src/offline-rules.js';
import { bench } from './controller-bench.js';

/**
 * The page offline with signed rules: the rule in force for the device's jurisdiction and mode at the
 * instant of the scan decides, with the same evaluation as the API; without usable rules, CANNOT CHECK.
 */

const passSigner = createLocalSigner(generateSigningKeyPem());
const rulesSigner = createLocalSigner(generateSigningKeyPem());
const passJwk: PublicJwk = { ...passSigner.publicKey.jwk, kid: passSigner.kid };
const rulesJwk: PublicJwk = { ...rulesSigner.publicKey.jwk, kid: rulesSigner.kid, signs: 'rules' };
const keys = [passJwk, rulesJwk];

const signedAt = new Date('2021-08-20T10:00:00Z');
const midnight = '2021-08-20T17:00:00Z'; // 00:00 on 21 Aug in Vietnam
const rule = (version: number, validFrom: string, hours: number): RuleSet => ({
  id: 'QN-ENTRY',
  version,
  jurisdiction: 'VN-13',
  mode: 'ENTRY',
  validFrom,
  legalBasis: `doc-${version}`,
  description: { vi: 'Xét nghiệm', en: 'Test' },
  accept: [{ testType: 'RT_PCR', hours }],
  tests: [
    {
      name: 'negative',
      checkedAt: validFrom,
      results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: validFrom }],
      expect: {
        verdict: 'VALID',
        validUntil: new Date(Date.parse(validFrom) + hours * 3600_000).toISOString(),
      },
    },
  ],
});
const ruleSets = [rule(1, '2021-07-13T00:00:00+07:00', 72), rule(2, midnight, 48)];
const rulesDocument = (iat = signedAt, sets: RuleSet[] = ruleSets) =>
  signRulesDocument(
    {
      v: 1,
      iat: Math.floor(iat.getTime() / 1000),
      exp: Math.floor(iat.getTime() / 1000) + 60,
      ruleSets: sets,
    },
    rulesSigner,
  );

/** Sampled 60 h before midnight: valid under v1 (72 h) until 12 h after it, not under v2 (48 h). */
const sampledAt = new Date(Date.parse(midnight) - 60 * 3600_000).toISOString();
const pass = (signer = passSigner, labId?: string) =>
  encodePass(
    {
      v: 1,
      sub: 'a'.repeat(64),
      bdc: 'b'.repeat(64),
      kv: 1,
      iat: Math.floor(Date.parse(sampledAt) / 1000),
      exp: Math.floor(Date.parse(sampledAt) / 1000) + 7 * 86_400,
      snap: {
        testType: 'RT_PCR',
        sampledAt,
        // The issuing rule's verdict: the page does not use it offline.
        validUntil: '2021-09-30T00:00:00.000Z',
        maskedName: 'N***** V** A*',
        birthYear: 1990,
        ...(labId === undefined ? {} : { labId }),
      },
    },
    signer,
  );

const device = { jurisdiction: 'VN-13', mode: 'ENTRY' };
const offlineAt = async (
  at: Date,
  held: { rulesJws?: string; device?: typeof device; rulesFetchedAt?: Date; clockMark?: Date },
  maxAgeHours = 24,
  labId?: string,
) => {
  const { send, scan } = bench({
    credential: 'rg_dev_1',
    verify: () => ({ kind: 'unreachable' }),
    clock: () => at,
    maxAgeHours,
    held: { keys, ...held },
  });
  await send({ type: 'nextScanChosen' });
  return (await scan(await pass(passSigner, labId))).screen;
};

describe('the signed rules document on the page', () => {
  it('verifies with the rules key only, and refuses a pass key, a pass, and a changed payload', async () => {
    const jws = await rulesDocument();
    const [header = '', payload = '', signature = ''] = jws.split('.');
    const changed = `${header}.${Buffer.from(JSON.stringify({ v: 1, iat: 1, exp: 2, ruleSets: [] })).toString('base64url')}.${signature}`;

    expect((await verifyRulesDocument(jws, keys))?.ruleSets).toHaveLength(2);
    expect(await verifyRulesDocument(jws, [{ ...rulesJwk, signs: undefined }])).toBeUndefined();
    expect(await verifyRulesDocument(changed, keys)).toBeUndefined();
    expect(await verifyRulesDocument((await pass()).slice(4), keys)).toBeUndefined();
    expect(payload).not.toBe('');
  });
});

describe('checking offline with the rules', () => {
  it('applies the version in force at the scan: v1 before midnight, v2 from midnight, each named', async () => {
    const rulesJws = await rulesDocument();
    const before = await offlineAt(new Date(Date.parse(midnight) - 1000), { rulesJws, device });
    const after = await offlineAt(new Date(midnight), { rulesJws, device });

    expect(before).toMatchObject({
      name: 'result',
      answer: {
        source: 'offline',
        verdict: {
          verdict: 'VALID',
          validUntil: new Date(Date.parse(sampledAt) + 72 * 3600_000).toISOString(),
          rule: { id: 'QN-ENTRY', version: 1, legalBasis: 'doc-1' },
        },
      },
    });
    expect(after).toMatchObject({
      answer: {
        verdict: { verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT', rule: { id: 'QN-ENTRY', version: 2 } },
      },
    });
  });

  it('says CANNOT CHECK when the rules were signed longer ago than the stage allows', async () => {
    const rulesJws = await rulesDocument();
    const at = new Date(signedAt.getTime() + 24 * 3600_000 + 1000);

    expect(await offlineAt(at, { rulesJws, device })).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'RULES_TOO_OLD' } },
    });
    expect(await offlineAt(at, { rulesJws, device }, 48)).toMatchObject({
      answer: { verdict: { verdict: 'NOT_VALID', rule: { version: 2 } } },
    });
  });

  it('says CANNOT CHECK when neither its province nor the country has a rule in force for it', async () => {
    // This document holds Quảng Ninh's rule only: no country-wide rule to fall back on.
    const rulesJws = await rulesDocument();

    expect(
      await offlineAt(signedAt, { rulesJws, device: { jurisdiction: 'VN-01', mode: 'ENTRY' } }),
    ).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'NO_RULE_IN_FORCE' } },
    });
    expect(
      await offlineAt(signedAt, { rulesJws, device: { jurisdiction: 'VN-13', mode: 'FREIGHT' } }),
    ).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'NO_RULE_IN_FORCE' } },
    });
  });

  it('falls back as the API does: to the country rule for its mode, then to the country default', async () => {
    const national = (id: string, mode: string, hours: number): RuleSet => ({
      ...rule(1, '1970-01-01T00:00:00Z', hours),
      id,
      jurisdiction: 'VN',
      mode,
      legalBasis: id,
    });
    // Quảng Ninh's own ENTRY rule only from after the scan: until then the country's decides.
    const scheduled = { ...rule(1, '2021-08-25T00:00:00+07:00', 24), id: 'QN-LATER' };
    const rulesJws = await rulesDocument(signedAt, [
      national('DEFAULT', 'ENTRY', 72),
      national('VN-FREIGHT', 'FREIGHT', 24),
      scheduled,
    ]);
    const at = new Date(Date.parse(midnight) - 1000);
    const ruleOf = async (profile: typeof device) =>
      ((await offlineAt(at, { rulesJws, device: profile })) as { answer: { verdict: { rule?: unknown } } })
        .answer.verdict.rule;

    expect(await ruleOf({ jurisdiction: 'VN-01', mode: 'ENTRY' })).toMatchObject({ id: 'DEFAULT' });
    expect(await ruleOf({ jurisdiction: 'VN-13', mode: 'ENTRY' })).toMatchObject({ id: 'DEFAULT' });
    expect(await ruleOf({ jurisdiction: 'VN-13', mode: 'FREIGHT' })).toMatchObject({ id: 'VN-FREIGHT' });
    expect(await offlineAt(at, { rulesJws, device: { jurisdiction: 'VN-13', mode: 'ENTRY' } })).toMatchObject(
      {
        answer: { verdict: { verdict: 'VALID', rule: { id: 'DEFAULT', version: 1 } } },
      },
    );
  });

  it('counts the snapshot lab under a rule that lists labs, as the API counts the stored result', async () => {
    const listed = 'lab_3f9a1c2b4d5e6f70';
    const base = rule(1, '2021-07-13T00:00:00+07:00', 72);
    const onlyListed: RuleSet = {
      ...base,
      labIds: [listed],
      tests: base.tests.map((test) => ({ ...test, expect: { verdict: 'NOT_VALID' } })),
    };
    const rulesJws = await rulesDocument(signedAt, [onlyListed]);
    const at = new Date(Date.parse(midnight) - 1000);

    expect(await offlineAt(at, { rulesJws, device }, 24, listed)).toMatchObject({
      answer: { verdict: { verdict: 'VALID', rule: { id: 'QN-ENTRY' } } },
    });
    for (const labId of ['lab_0000000000000000', undefined]) {
      expect(await offlineAt(at, { rulesJws, device }, 24, labId)).toMatchObject({
        answer: { verdict: { verdict: 'NOT_VALID', reason: 'NO_VALID_RESULT' } },
      });
    }
  });

  it('says CANNOT CHECK with no rules, or rules it cannot verify', async () => {
    const forged = `${(await rulesDocument()).slice(0, -10)}AAAAAAAAAA`;

    expect(await offlineAt(signedAt, { device })).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'NO_RULES' } },
    });
    expect(await offlineAt(signedAt, { rulesJws: forged, device })).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'NO_RULES' } },
    });
  });
});

/** The officer starts the next scan and the camera reads a genuine pass: the screen it gives. */
const scanning =
  (send: ReturnType<typeof bench>['send'], scan: ReturnType<typeof bench>['scan']) => async () => {
    await send({ type: 'nextScanChosen' });
    return (await scan(await pass())).screen;
  };

describe("the phone's clock, offline", () => {
  const HOUR = 3_600_000;
  const cannot = (reason: string) => ({ answer: { verdict: { verdict: 'CANNOT_CHECK', reason } } });

  it('does not judge with a document signed after the phone’s “now” (a clock behind, or set back)', async () => {
    const rulesJws = await rulesDocument();

    // Three days behind: the 60-hour-old RT-PCR would be VALID under v1 and stale rules would look fresh.
    expect(await offlineAt(new Date(signedAt.getTime() - 72 * HOUR), { rulesJws, device })).toMatchObject(
      cannot('CLOCK_WRONG'),
    );
    // A few minutes behind is a phone's ordinary drift.
    expect(await offlineAt(new Date(signedAt.getTime() - 5 * 60_000), { rulesJws, device })).toMatchObject({
      answer: { verdict: { verdict: 'VALID' } },
    });
  });

  it('does not judge while its clock was far from the server’s at the last fetch, and judges again once right', async () => {
    const rulesJws = await rulesDocument();
    let phone = new Date(signedAt.getTime() + 25 * HOUR); // a day ahead
    const { send, scan, stored } = bench({
      credential: 'rg_dev_1',
      keys,
      rules: { kind: 'ok', value: rulesJws },
      device,
      clock: () => phone,
      serverClock: () => new Date(signedAt.getTime() + 1000),
      verify: () => ({ kind: 'unreachable' }),
      held: { keys, device },
    });
    await send({ type: 'refreshDue' });
    const scanned = scanning(send, scan);

    // Fresh rules, a wrong clock: "too old, go online" would be wrong; the clock is.
    expect(stored.clockOff).toBe(true);
    expect(await scanned()).toMatchObject(cannot('CLOCK_WRONG'));
    // The officer sets the clock; the next fetch finds it right.
    phone = new Date(signedAt.getTime() + 2000);
    await send({ type: 'refreshDue' });
    expect(stored.clockOff).toBe(false);
    expect(await scanned()).toMatchObject({ answer: { verdict: { verdict: 'VALID' } } });
  });

  it('keeps judging with the last document the server still serves while it cannot sign a new one', async () => {
    // The server answers the document signed 3 hours ago (its key service failing), at its own right time.
    const rulesJws = await rulesDocument();
    const phone = new Date(signedAt.getTime() + 3 * HOUR);
    const { send, scan, stored } = bench({
      credential: 'rg_dev_1',
      keys,
      rules: { kind: 'ok', value: rulesJws },
      device,
      clock: () => phone,
      verify: () => ({ kind: 'unreachable' }),
      held: { keys, device, rulesJws, rulesFetchedAt: signedAt },
    });
    await send({ type: 'refreshDue' });
    expect(stored.clockOff).toBe(false);

    await send({ type: 'nextScanChosen' });
    expect((await scan(await pass())).screen).toMatchObject({ answer: { verdict: { verdict: 'VALID' } } });
  });

  it('does not let one scan at a clock far ahead, past the rules’ use, lock a right clock out', async () => {
    const rulesJws = await rulesDocument();
    let phone = new Date(signedAt.getTime() + HOUR);
    const { send, scan, stored } = bench({
      credential: 'rg_dev_1',
      verify: () => ({ kind: 'unreachable' }),
      clock: () => phone,
      held: { keys, rulesJws, device },
    });
    const scanned = scanning(send, scan);

    expect(await scanned()).toMatchObject({ answer: { verdict: { verdict: 'VALID' } } });
    phone = new Date(signedAt.getTime() + 72 * HOUR); // three days ahead, offline: too old to use
    expect(await scanned()).toMatchObject(cannot('RULES_TOO_OLD'));
    expect(stored.clockMark).toEqual(new Date(signedAt.getTime() + HOUR));
    phone = new Date(signedAt.getTime() + 2 * HOUR); // put right
    expect(await scanned()).toMatchObject({ answer: { verdict: { verdict: 'VALID' } } });
  });

  it('never judges at an instant before one it already judged at, until a fetch shows the clock right again', async () => {
    const rulesJws = await rulesDocument();
    let phone = new Date(signedAt.getTime() + 5 * HOUR); // before midnight: v1 (72 h) decides
    const { send, scan, stored } = bench({
      credential: 'rg_dev_1',
      verify: () => ({ kind: 'unreachable' }),
      clock: () => phone,
      held: { keys, rulesJws, rulesFetchedAt: signedAt, device },
      rules: { kind: 'ok', value: rulesJws },
    });
    const scanned = scanning(send, scan);

    expect(await scanned()).toMatchObject({ answer: { source: 'offline', verdict: { verdict: 'VALID' } } });
    expect(stored.clockMark).toEqual(phone);
    // The officer sets the date back to before that scan (after a CANNOT CHECK for old rules, say).
    phone = new Date(signedAt.getTime() + 1 * HOUR);
    expect(await scanned()).toMatchObject(cannot('CLOCK_WRONG'));

    // Online again with the clock right: a fresh document (signed now) resets what the page trusts.
    phone = new Date(signedAt.getTime() + 6 * HOUR);
    const fresh = await rulesDocument(phone);
    const again = bench({
      keys,
      clock: () => phone,
      held: {
        keys,
        rulesJws,
        rulesFetchedAt: signedAt,
        device,
        clockMark: new Date(phone.getTime() + 5 * HOUR),
      },
      rules: { kind: 'ok', value: fresh },
      device,
    });
    await again.send({ type: 'pairSubmitted', text: 'rg_dev_1' });
    expect(again.stored.clockMark).toEqual(phone);
    expect(again.stored.rulesJws).toBe(fresh);
  });

  it('says the device profile is missing, not the rules, when only the profile is', async () => {
    expect(await offlineAt(signedAt, { rulesJws: await rulesDocument() })).toMatchObject(
      cannot('NO_PROFILE'),
    );
  });

  it('names the rule in force on an offline PASS_INVALID, as the API does', async () => {
    const rulesJws = await rulesDocument();
    const { send, scan } = bench({
      credential: 'rg_dev_1',
      verify: () => ({ kind: 'unreachable' }),
      clock: () => signedAt,
      held: { keys, rulesJws, device },
    });
    const genuine = await pass();
    const altered = `${genuine.slice(0, -12)}${genuine.slice(-12, -11) === 'A' ? 'B' : 'A'}${genuine.slice(-11)}`;

    await send({ type: 'nextScanChosen' });
    expect((await scan(altered)).screen).toMatchObject({
      answer: {
        verdict: { verdict: 'NOT_VALID', reason: 'PASS_INVALID', rule: { id: 'QN-ENTRY', version: 1 } },
      },
    });
  });
});

describe('revoked results offline', () => {
  const LAB = 'lab_3f9a1c2b4d5e6f70';
  const at = new Date(Date.parse(midnight) - 1000);
  const revokedDocument = (revoked: { labId: string; from: string; to: string }[]) =>
    signRulesDocument(
      {
        v: 1,
        iat: Math.floor(signedAt.getTime() / 1000),
        exp: Math.floor(signedAt.getTime() / 1000) + 60,
        ruleSets,
        revoked,
      },
      rulesSigner,
    );
  const around = (from: number, to: number) => ({
    labId: LAB,
    from: new Date(Date.parse(sampledAt) + from).toISOString(),
    to: new Date(Date.parse(sampledAt) + to).toISOString(),
  });

  it('answers NOT VALID (revoked) for a pass whose lab and sampling time fall in a revoked window', async () => {
    const rulesJws = await revokedDocument([around(0, 1)]);

    expect(await offlineAt(at, { rulesJws, device }, 24, LAB)).toMatchObject({
      answer: {
        source: 'offline',
        verdict: { verdict: 'NOT_VALID', reason: 'REVOKED', rule: { id: 'QN-ENTRY', version: 1 } },
      },
    });
  });

  it('keeps VALID a pass of another lab, of a time outside the window (to is exclusive), or naming no lab', async () => {
    const otherLab = await revokedDocument([{ ...around(-1000, 1000), labId: 'lab_0000000000000000' }]);
    const endsAtSampling = await revokedDocument([around(-3_600_000, 0)]);
    const covering = await revokedDocument([around(-1000, 1000)]);

    for (const [rulesJws, labId] of [
      [otherLab, LAB],
      [endsAtSampling, LAB],
      [covering, undefined],
    ] as const) {
      expect(await offlineAt(at, { rulesJws, device }, 24, labId)).toMatchObject({
        answer: { verdict: { verdict: 'VALID' } },
      });
    }
  });

  it('refuses a document whose revoked list it cannot read (no rules: CANNOT CHECK)', async () => {
    const unreadable = await signRulesDocument(
      {
        v: 1,
        iat: Math.floor(signedAt.getTime() / 1000),
        exp: Math.floor(signedAt.getTime() / 1000) + 60,
        ruleSets,
        revoked: [{ labId: LAB, from: 'yesterday', to: 'today' }],
      },
      rulesSigner,
    );

    expect(await verifyRulesDocument(unreadable, keys)).toBeUndefined();
    expect(await offlineAt(at, { rulesJws: unreadable, device }, 24, LAB)).toMatchObject({
      answer: { verdict: { verdict: 'CANNOT_CHECK', reason: 'NO_RULES' } },
    });
  });
});

describe('keeping the rules', () => {
  it('fetches the device profile and the rules when paired, and keeps them once they verify', async () => {
    const rulesJws = await rulesDocument();
    const { send, stored } = bench({ keys, rules: { kind: 'ok', value: rulesJws }, device });

    await send({ type: 'pairSubmitted', text: 'rg_dev_1' });

    expect(stored.rulesJws).toBe(rulesJws);
    expect(stored.device).toEqual(device);
  });

  it('tells the scan screen which rules it holds and until when offline checks may use them', async () => {
    const rulesJws = await rulesDocument();
    const { send } = bench({ keys, rules: { kind: 'ok', value: rulesJws }, device, maxAgeHours: 24 });

    const state = await send({ type: 'pairSubmitted', text: 'rg_dev_1' });

    expect(state.rules).toEqual({
      signedAt: Math.floor(signedAt.getTime() / 1000) * 1000,
      usableUntil: Math.floor(signedAt.getTime() / 1000) * 1000 + 24 * 3_600_000,
    });
  });

  it('does not keep a document that does not verify, nor replace a newer one with an older one', async () => {
    const newer = await rulesDocument(new Date(signedAt.getTime() + 60_000));
    const older = await rulesDocument();
    const forged = `${newer.slice(0, -10)}AAAAAAAAAA`;
    for (const answer of [older, forged]) {
      const { send, stored } = bench({
        credential: 'rg_dev_1',
        keys,
        rules: { kind: 'ok', value: answer },
        device,
        held: { keys, rulesJws: newer },
      });

      await send({ type: 'refreshDue' });

      expect(stored.rulesJws).toBe(newer);
    }
  });
});
