import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveVersions, type RuleSet, ruleInForce } from '../../../contract/rules.js';
import { readRulesDocumentClaims } from '../../../contract/rules-document.js';
import { createLocalSigner, generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { makeRulesDocument, RETRY_AFTER_FAILURE_MS } from '../../../functions/domain/rules-document.js';

/** Which versions the signed document holds, and that a burst of requests costs one Query and one Sign. */

const rule = (id: string, version: number, validFrom: string, validTo?: string): RuleSet => ({
  id,
  version,
  jurisdiction: 'VN-13',
  mode: 'ENTRY',
  validFrom,
  ...(validTo === undefined ? {} : { validTo }),
  legalBasis: 'doc',
  description: { vi: 'vi', en: 'en' },
  accept: [{ testType: 'RT_PCR', hours: 72 }],
  tests: [
    {
      name: 't',
      checkedAt: validFrom,
      results: [],
      expect: { verdict: 'NOT_VALID' },
    },
  ],
});
const now = new Date('2021-08-20T12:00:00Z');
const payloadOf = (jws: string): unknown =>
  JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
const ids = (rules: readonly RuleSet[]) => rules.map((r) => `${r.id}#${r.version}`);

describe('the versions in the document', () => {
  it('keeps the version in force and every scheduled one; drops superseded and ended versions', () => {
    const rules = [
      rule('QN-ENTRY', 2, '2021-08-20T00:00:00Z'),
      rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z'),
      rule('QN-ENTRY', 3, '2021-08-21T00:00:00Z'),
      rule('QN-ENTRY', 4, '2021-08-25T00:00:00Z'),
      rule('QN-FREIGHT', 1, '2021-08-01T00:00:00Z', '2021-08-20T12:00:00Z'),
      rule('HP-ENTRY', 1, '2021-08-01T00:00:00Z', '2021-09-01T00:00:00Z'),
    ];

    expect(ids(liveVersions(rules, now))).toEqual(['HP-ENTRY#1', 'QN-ENTRY#2', 'QN-ENTRY#3', 'QN-ENTRY#4']);
  });

  it('keeps a version until the instant its successor starts', () => {
    const rules = [rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z'), rule('QN-ENTRY', 2, '2021-08-20T12:00:00Z')];

    expect(ids(liveVersions(rules, new Date(now.getTime() - 1)))).toEqual(['QN-ENTRY#1', 'QN-ENTRY#2']);
    expect(ids(liveVersions(rules, now))).toEqual(['QN-ENTRY#2']);
  });
});

describe('signing at most once per change', () => {
  const setup = (rules: RuleSet[]) => {
    let clock = now;
    const counts = { lists: 0, signs: 0 };
    const signer = createLocalSigner(generateSigningKeyPem());
    const document = makeRulesDocument({
      ruleSets: {
        listLive: async () => {
          counts.lists += 1;
          return rules;
        },
      },
      signer: async () => ({
        kid: signer.kid,
        sign: (data) => {
          counts.signs += 1;
          return signer.sign(data);
        },
      }),
      clock: { now: () => clock },
    });
    return { document, counts, move: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
  };

  it('answers a burst of requests with one Query and one Sign', async () => {
    const { document, counts, move } = setup([rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z')]);

    const burst = await Promise.all(Array.from({ length: 50 }, () => document()));
    move(59_000);
    const later = await document();

    expect(new Set([...burst, later].map((signed) => signed.jws)).size).toBe(1);
    expect(counts).toEqual({ lists: 1, signs: 1 });
  });

  it('asks again after a minute, and signs again at once when a version starts', async () => {
    const { document, counts, move } = setup([
      rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z'),
      rule('QN-ENTRY', 2, '2021-08-20T12:00:30Z'),
    ]);

    const first = await document();
    move(30_000);
    const switched = await document();
    move(60_000);
    await document();

    expect(ids(first.claims.ruleSets)).toEqual(['QN-ENTRY#1', 'QN-ENTRY#2']);
    expect(ids(switched.claims.ruleSets)).toEqual(['QN-ENTRY#2']);
    expect(counts).toEqual({ lists: 2, signs: 3 });
  });
});

describe('when the rules key cannot sign', () => {
  it('serves the last document signed, rests 10 s before trying again, and fails only with none to serve', async () => {
    let clock = now;
    let kmsUp = true;
    let signs = 0;
    const stale: unknown[] = [];
    const signer = createLocalSigner(generateSigningKeyPem());
    const document = makeRulesDocument({
      ruleSets: { listLive: async () => [rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z')] },
      signer: async () => ({
        kid: signer.kid,
        sign: (data) => {
          signs += 1;
          if (!kmsUp) throw new Error('KMS unavailable');
          return signer.sign(data);
        },
      }),
      clock: { now: () => clock },
      onStale: (error) => stale.push(error),
    });
    const first = await document();
    kmsUp = false;
    clock = new Date(now.getTime() + 61_000);

    const served = await Promise.all([document(), document()]);
    clock = new Date(clock.getTime() + RETRY_AFTER_FAILURE_MS - 1);
    await document();
    const signsWhileResting = signs;
    clock = new Date(clock.getTime() + 1);
    kmsUp = true;
    const fresh = await document();

    expect(served.map((s) => s.jws)).toEqual([first.jws, first.jws]);
    expect(stale).toHaveLength(1);
    expect(signsWhileResting).toBe(2);
    expect(fresh.claims.iat).toBeGreaterThan(first.claims.iat);

    const cold = makeRulesDocument({
      ruleSets: { listLive: async () => [] },
      signer: async () => {
        throw new Error('KMS unavailable');
      },
      clock: { now: () => now },
    });
    await expect(cold()).rejects.toThrow('KMS unavailable');
  });
});

describe('revoked windows in the document', () => {
  const signer = createLocalSigner(generateSigningKeyPem());
  const windowOf = (labId: string) => ({
    labId,
    from: '2021-08-01T00:00:00.000Z',
    to: '2021-08-10T00:00:00.000Z',
  });
  const setup = (windows: () => { labId: string; from: string; to: string }[]) => {
    let clock = now;
    const document = makeRulesDocument({
      ruleSets: { listLive: async () => [rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z')] },
      signer: async () => signer,
      clock: { now: () => clock },
      revokedWindows: async () => windows(),
    });
    return { document, move: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
  };

  it('lists the revoked windows, signed, and leaves the member out when there is none', async () => {
    const withWindow = await setup(() => [windowOf('lab_a')]).document();
    const without = await setup(() => []).document();

    expect(withWindow.claims.revoked).toEqual([windowOf('lab_a')]);
    expect(readRulesDocumentClaims(payloadOf(withWindow.jws))?.revoked).toEqual([windowOf('lab_a')]);
    expect('revoked' in without.claims).toBe(false);
    expect(readRulesDocumentClaims(payloadOf(without.jws))?.revoked).toBeUndefined();
  });

  it('signs a new document within the max age once a window is revoked', async () => {
    let windows: { labId: string; from: string; to: string }[] = [];
    const { document, move } = setup(() => windows);
    const before = await document();

    windows = [windowOf('lab_b')];
    move(60_000);
    const after = await document();

    expect(before.claims.revoked).toBeUndefined();
    expect(after.claims.revoked).toEqual([windowOf('lab_b')]);
  });

  it('refuses a document with an empty or unreadable revoked list', () => {
    const base = { v: 1, iat: 1, exp: 2, ruleSets: [] };

    expect(readRulesDocumentClaims({ ...base, revoked: [] })).toBeUndefined();
    expect(
      readRulesDocumentClaims({ ...base, revoked: [{ labId: 'lab_a', from: 'x', to: 'y' }] }),
    ).toBeUndefined();
    expect(
      readRulesDocumentClaims({ ...base, revoked: [{ ...windowOf('lab_a'), reason: 'fraud' }] }),
    ).toBeUndefined();
  });
});

describe('versions that end or are superseded', () => {
  it('never brings an older version back when the newer one ends: the id has no rule then', () => {
    const rules = [
      rule('QN-ENTRY', 1, '2021-07-13T00:00:00Z'),
      rule('QN-ENTRY', 2, '2021-08-01T00:00:00Z', '2021-08-10T00:00:00Z'),
    ];

    expect(ruleInForce(rules, 'VN-13', 'ENTRY', new Date('2021-08-05T00:00:00Z'))?.version).toBe(2);
    expect(ruleInForce(rules, 'VN-13', 'ENTRY', new Date('2021-08-10T00:00:00Z'))).toBeUndefined();
  });

  it('lets a higher version that starts earlier than a scheduled lower one win from its start', () => {
    const rules = [rule('QN-ENTRY', 1, '2021-09-01T00:00:00Z'), rule('QN-ENTRY', 2, '2021-08-25T00:00:00Z')];

    expect(ruleInForce(rules, 'VN-13', 'ENTRY', new Date('2021-09-02T00:00:00Z'))?.version).toBe(2);
    expect(ids(liveVersions(rules, new Date('2021-08-20T00:00:00Z')))).toEqual(['QN-ENTRY#1', 'QN-ENTRY#2']);
    expect(ids(liveVersions(rules, new Date('2021-08-26T00:00:00Z')))).toEqual(['QN-ENTRY#2']);
  });

  // What lets verify read only the live copies and a phone judge offline with an older document: from
  // the instant the live versions were taken on, they decide exactly as every version ever published.
  it('answers from the live versions as from all versions, at every later instant', () => {
    const day = 86_400_000;
    const start = Date.parse('2021-07-01T00:00:00Z');
    const instant = (d: number) => new Date(start + d * day).toISOString();
    // A rule set's validTo is after its validFrom (ruleSetProblems refuses the rest).
    const version = fc.record({
      id: fc.constantFrom('QN-ENTRY', 'QN-ENTRY-2', 'HP-ENTRY'),
      from: fc.integer({ min: 0, max: 60 }),
      lasts: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(version, { maxLength: 12 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (drafts, takenOn, later) => {
          const versions = new Map<string, number>();
          const rules = drafts.map((d) => {
            const next = (versions.get(d.id) ?? 0) + 1;
            versions.set(d.id, next);
            const r = rule(
              d.id,
              next,
              instant(d.from),
              d.lasts === undefined ? undefined : instant(d.from + d.lasts),
            );
            return d.id === 'HP-ENTRY' ? { ...r, jurisdiction: 'VN-HP' } : r;
          });
          const taken = new Date(start + takenOn * day);
          const live = liveVersions(rules, taken);
          for (const hour of [0, 1, 23]) {
            const at = new Date(taken.getTime() + later * day + hour * 3_600_000);
            for (const jurisdiction of ['VN-13', 'VN-HP']) {
              expect(ruleInForce(live, jurisdiction, 'ENTRY', at)).toEqual(
                ruleInForce(rules, jurisdiction, 'ENTRY', at),
              );
            }
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
